"""ssh: keys only, no root, ssh-audit-clean algorithms, no forwarding (controls ssh-*).

The whole sshd_config is ours (no Include of sshd_config.d, where a cloud image may turn
passwords back on); it is checked with ``sshd -t`` before it replaces the old one, and
sshd is reloaded, which keeps the deploy's own session open. The deploy's SSH user is
always in AllowUsers.
"""

from __future__ import annotations

from pyinfra import host
from pyinfra.api import deploy
from pyinfra.operations import files, server

from hardening.controls import Control
from hardening.lib import active, op_name
from roles.lib.context import settings
from roles.lib.facts import Command
from roles.lib.ops import HEADER, text, validated_file
from roles.lib.settings import ApplianceSettings

# Settings whose values are not a control of their own, or are only part of one.
FIXED = {
    "port": "22",
    "addressfamily": "any",
    "hostkey": "/etc/ssh/ssh_host_ed25519_key\nHostKey /etc/ssh/ssh_host_rsa_key",
    "usepam": "yes",
    "printmotd": "no",
    "clientaliveinterval": "300",
    "subsystem": "sftp /usr/lib/openssh/sftp-server",
}
SPELLING = {  # sshd -T prints lower case; sshd_config is easier to read in CamelCase
    "permitrootlogin": "PermitRootLogin",
    "passwordauthentication": "PasswordAuthentication",
    "kbdinteractiveauthentication": "KbdInteractiveAuthentication",
    "pubkeyauthentication": "PubkeyAuthentication",
    "permitemptypasswords": "PermitEmptyPasswords",
    "maxauthtries": "MaxAuthTries",
    "logingracetime": "LoginGraceTime",
    "maxstartups": "MaxStartups",
    "allowtcpforwarding": "AllowTcpForwarding",
    "allowagentforwarding": "AllowAgentForwarding",
    "x11forwarding": "X11Forwarding",
    "permittunnel": "PermitTunnel",
    "allowstreamlocalforwarding": "AllowStreamLocalForwarding",
    "gatewayports": "GatewayPorts",
    "kexalgorithms": "KexAlgorithms",
    "ciphers": "Ciphers",
    "macs": "MACs",
    "hostkeyalgorithms": "HostKeyAlgorithms",
    "requiredrsasize": "RequiredRSASize",
    "loglevel": "LogLevel",
    "permituserenvironment": "PermitUserEnvironment",
    "hostbasedauthentication": "HostbasedAuthentication",
    "ignorerhosts": "IgnoreRhosts",
    "clientalivecountmax": "ClientAliveCountMax",
    "compression": "Compression",
    "banner": "Banner",
    "tcpkeepalive": "TCPKeepAlive",
    "port": "Port",
    "addressfamily": "AddressFamily",
    "hostkey": "HostKey",
    "usepam": "UsePAM",
    "printmotd": "PrintMotd",
    "clientaliveinterval": "ClientAliveInterval",
    "subsystem": "Subsystem",
}
BANNER = (
    "Authorised access only. This system stores health data; activity is logged.\n"
    "Unauthorised use is prohibited.\n"
)


def ssh_users(s: ApplianceSettings, deploy_user: str) -> list[str]:
    users = [deploy_user, *s.hardening.ssh_users]
    return list(dict.fromkeys(users))


def sshd_config(applied: list[Control], users: list[str]) -> str:
    lines = [
        f"# {HEADER}",
        "# Each setting names the control it implements (policies/controls.toml).",
    ]
    for control in applied:
        lines.append(f"# {control.id}: {control.title}")
        lines.append(f"{SPELLING[control.key]} {control.expect}")
    for key, value in FIXED.items():
        lines.append(f"{SPELLING[key]} {value}")
    lines.append("# ssh-23: only the operator accounts may log in over SSH")
    lines.append(f"AllowUsers {' '.join(users)}")
    lines.append("AcceptEnv LANG LC_*")
    return "\n".join(lines) + "\n"


@deploy("ssh")
def ssh() -> None:
    s = settings()
    deploy_user = host.data.get("ssh_user")
    if not deploy_user or deploy_user == "root":
        raise SystemExit(
            f"{host.name}: set ssh_user in the inventory to the sudo-capable operator account: "
            "root logins are switched off by control ssh-01"
        )
    applied = active("sshd")
    for path in ("/etc/issue", "/etc/issue.net"):
        files.put(
            name=op_name(f"Legal banner {path}", "ssh-30", "file-13"),
            src=text(BANNER),
            dest=path,
            mode="644",
        )
    waived = s.hardening.waivers
    if "ssh-22" not in waived and _short_moduli() > 0:
        server.shell(
            name=op_name("Drop Diffie-Hellman moduli shorter than 3071 bits", "ssh-22"),
            commands=[
                "awk '$1 ~ /^#/ || $5 >= 3071' /etc/ssh/moduli > /etc/ssh/moduli.bia-new && "
                "chmod 644 /etc/ssh/moduli.bia-new && mv /etc/ssh/moduli.bia-new /etc/ssh/moduli"
            ],
        )
    users = ssh_users(s, deploy_user)
    ids = [c.id for c in applied] + ["ssh-23"]
    validated_file(
        name=op_name("sshd_config: keys only, no root, strong algorithms", *ids),
        content=sshd_config(applied, users),
        dest="/etc/ssh/sshd_config",
        mode="600",
        validate="sshd -t -f /etc/ssh/sshd_config",
        # reload, not restart: the deploy's own connection stays up
        reload="systemctl reload ssh",
    )


def _short_moduli() -> int:
    out = host.get_fact(Command, command="awk '$1 !~ /^#/ && $5 < 3071' /etc/ssh/moduli | wc -l")
    return int(out or "0")
