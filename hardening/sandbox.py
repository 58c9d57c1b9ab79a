"""sandbox: systemd sandboxing for the services Bia takes from Debian (sd-*).

Bia's own units carry their sandbox in the unit (roles/lib/sandbox.py). nginx gets a
drop-in: its master process stays root (it binds 80/443 and switches its workers to
www-data), but with only the capabilities that needs (no CAP_DAC_OVERRIDE, no CAP_CHOWN)
and a read-only view of the system. Without CAP_CHOWN nginx cannot hand reopened log files
to its workers, so its logs are root-owned and rotated with copytruncate instead of the
reopen signal. Exposure 2.1: the documented exception in control sd-02.
"""

from __future__ import annotations

from pyinfra.api import deploy
from pyinfra.operations import files, systemd

from hardening.lib import op_name, ownership
from roles.lib.context import settings
from roles.lib.ops import HEADER, text, validated_file
from roles.lib.sandbox import sandbox as sandbox_directives

NGINX_DROPIN = (
    f"# {HEADER}\n"
    "# sd-02: nginx, the TLS edge, sandboxed (systemd-analyze security nginx.service)\n"
    "[Service]\n"
    + sandbox_directives(
        # The master binds 80/443 and switches its workers to www-data: root with only
        # these capabilities, and no user namespace (it must see the real www-data).
        CapabilityBoundingSet="CAP_NET_BIND_SERVICE CAP_SETUID CAP_SETGID",
        AmbientCapabilities=None,
        PrivateUsers=None,
        SystemCallFilter=("@system-service", "~@resources @obsolete"),
        # It serves the network: no IP allow list, and it needs no Unix sockets.
        RestrictAddressFamilies="AF_INET AF_INET6",
        IPAddressDeny=None,
        IPAddressAllow=None,
        ReadWritePaths="/var/log/nginx /var/lib/nginx /run",
    )
)
NGINX_DROPIN_PATH = "/etc/systemd/system/nginx.service.d/90-bia-sandbox.conf"
NGINX_LOGROTATE = f"""# {HEADER}
# sd-02: nginx runs without CAP_CHOWN, so logs are truncated in place, not reopened
/var/log/nginx/*.log {{
	daily
	missingok
	rotate 14
	compress
	delaycompress
	notifempty
	copytruncate
}}
"""
NGINX_LOGS = ("/var/log/nginx/access.log", "/var/log/nginx/error.log")


@deploy("sandbox")
def sandbox() -> None:
    if "sd-02" in settings().hardening.waivers:
        return
    files.put(
        name=op_name("nginx logs rotated by copytruncate", "sd-02"),
        src=text(NGINX_LOGROTATE),
        dest="/etc/logrotate.d/nginx",
        mode="644",
    )
    for log in NGINX_LOGS:
        ownership(
            name=op_name(f"{log} owned by root (written by the master)", "sd-02"),
            path=log,
            user="root",
            group="adm",
            max_mode="640",
        )
    files.directory(
        name=op_name("nginx drop-in directory", "sd-02"),
        path="/etc/systemd/system/nginx.service.d",
        mode="755",
    )
    dropin = validated_file(
        name=op_name("nginx sandbox drop-in", "sd-02"),
        content=NGINX_DROPIN,
        dest=NGINX_DROPIN_PATH,
        validate="systemd-analyze verify --man=no nginx.service",
        reload="systemctl daemon-reload",
    )
    systemd.service(
        name=op_name("Restart nginx into its sandbox", "sd-02"),
        service="nginx",
        restarted=True,
        _if=dropin.did_change,
    )
