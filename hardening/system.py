"""system: packages that must be absent, security updates, journald, /dev/shm,
and (on a VM) auditd and AppArmor (pkg-*, upd-*, log-*, mnt-*, aud-*, aa-*).
"""

from __future__ import annotations

from collections.abc import Generator

from pyinfra import host
from pyinfra.api import deploy, operation
from pyinfra.operations import apt, files, server, systemd

from hardening.lib import active, op_name
from roles.lib.context import in_container, settings
from roles.lib.facts import Command
from roles.lib.ops import HEADER, text

# Tools an auditor expects on a Debian server: which services need a restart after an
# upgrade, verification of installed files against the packages, resource and process
# accounting. (apt-listbugs is left out: it queries bugs.debian.org during every install.)
HYGIENE = ["needrestart", "debsums", "apt-show-versions", "apt-listchanges", "sysstat", "acct"]
AUTO_UPGRADES = f"""// {HEADER}
// upd-01: refresh the package lists and apply security updates every day
APT::Periodic::Update-Package-Lists "1";
APT::Periodic::Unattended-Upgrade "1";
APT::Periodic::AutocleanInterval "7";
"""
AUDIT_RULES = f"""## {HEADER}
## aud-02: changes to identity files, sudoers and sshd_config
-w /etc/passwd -p wa -k identity
-w /etc/shadow -p wa -k identity
-w /etc/group -p wa -k identity
-w /etc/gshadow -p wa -k identity
-w /etc/sudoers -p wa -k privilege
-w /etc/sudoers.d/ -p wa -k privilege
-w /etc/ssh/sshd_config -p wa -k sshd
"""


def journald_conf() -> str:
    lines = [f"# {HEADER}", "[Journal]"]
    for control in active("journald"):
        lines += [f"# {control.id}: {control.title}", f"{control.key}={control.expect}"]
    return "\n".join(lines) + "\n"


@deploy("system")
def system() -> None:
    waivers = settings().hardening.waivers
    absent = active("package_absent")
    apt.packages(
        name=op_name("Remove unneeded network services", *(c.id for c in absent)),
        packages=[c.key for c in absent],
        present=False,
        purge=True,
    )
    apt.packages(
        name=op_name("Install unattended-upgrades and audit tooling", "upd-01"),
        packages=["unattended-upgrades", *HYGIENE],
        no_recommends=True,
    )
    if "upd-01" not in waivers:
        files.put(
            name=op_name("Daily unattended security upgrades", "upd-01"),
            src=text(AUTO_UPGRADES),
            dest="/etc/apt/apt.conf.d/20auto-upgrades",
            mode="644",
        )
        security_updates(name=op_name("Apply pending security updates now", "upd-01", "upd-02"))
    _journald()
    if "log-05" not in waivers:
        sysstat = files.line(
            name=op_name("sysstat collects accounting", "log-05"),
            path="/etc/default/sysstat",
            line=r"^ENABLED=",
            replace='ENABLED="true"',
        )
        systemd.service(
            name=op_name("sysstat enabled and running", "log-05"),
            service="sysstat",
            enabled=True,
            running=True,
            restarted=False,
            _if=sysstat.did_change,
        )
    _shm(waivers)
    if not in_container():
        _audit_and_apparmor(waivers)


@operation()
def security_updates() -> Generator[str, None, None]:
    """Run unattended-upgrade when security updates are pending.

    An operation, so that the check runs when it executes, after this deploy has refreshed
    the package lists (a fact read in the deploy function would see the old lists).
    """
    pending = host.get_fact(
        Command, command="apt-get -s -o Debug::NoLocking=1 upgrade | grep -i '^Inst .*security'"
    )
    if not pending:
        host.noop("no security updates pending")
        return
    yield "unattended-upgrade"


def _journald() -> None:
    ids = [c.id for c in active("journald")]
    conf = files.put(
        name=op_name("journald: persistent, capped, compressed, sealed", *ids),
        src=text(journald_conf()),
        dest="/etc/systemd/journald.conf.d/90-bia.conf",
        mode="644",
    )
    journal = files.directory(
        name=op_name("Persistent journal directory", "log-01"),
        path="/var/log/journal",
        group="systemd-journal",
        mode="2755",
    )
    systemd.service(
        name=op_name("Restart journald for its new settings", *ids),
        service="systemd-journald",
        restarted=True,
        _if=lambda: conf.did_change() or journal.did_change(),
    )


def _shm(waivers: dict[str, str]) -> None:
    if "mnt-02" in waivers:
        return
    files.line(
        name=op_name("Shared memory mount nodev,nosuid,noexec at boot", "mnt-02"),
        path="/etc/fstab",
        line=r"^\S+\s+/dev/shm\s",
        replace="tmpfs /dev/shm tmpfs defaults,nodev,nosuid,noexec 0 0",
    )
    options = host.get_fact(Command, command="findmnt -no OPTIONS /dev/shm").split(",")
    if not {"nodev", "nosuid", "noexec"} <= set(options):
        server.shell(
            name=op_name("Remount shared memory nodev,nosuid,noexec", "mnt-02"),
            commands=["mount -o remount,nodev,nosuid,noexec /dev/shm"],
        )


def _audit_and_apparmor(waivers: dict[str, str]) -> None:
    if "aud-01" not in waivers:
        apt.packages(
            name=op_name("Install auditd", "aud-01"), packages=["auditd"], no_recommends=True
        )
        rules = files.put(
            name=op_name("Audit rules for identity files and sudoers", "aud-02"),
            src=text(AUDIT_RULES),
            dest="/etc/audit/rules.d/90-bia.rules",
            mode="640",
        )
        server.shell(
            name=op_name("Load the audit rules", "aud-02"),
            commands=["augenrules --load"],
            _if=rules.did_change,
        )
        systemd.service(
            name=op_name("auditd enabled and running", "aud-01"),
            service="auditd",
            enabled=True,
            running=True,
        )
    if "aa-01" not in waivers:
        apt.packages(
            name=op_name("Install AppArmor", "aa-01"),
            packages=["apparmor", "apparmor-utils"],
            no_recommends=True,
        )
