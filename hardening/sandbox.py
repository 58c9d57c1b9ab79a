"""sandbox: systemd sandboxing for the services Bia takes from Debian (sd-*).

Bia's own units carry their sandbox in the unit (roles/backend.py SANDBOX). nginx gets a
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

NGINX_DROPIN = f"""# {HEADER}
# sd-02: nginx, the TLS edge, sandboxed (systemd-analyze security nginx.service)
[Service]
CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_SETUID CAP_SETGID
NoNewPrivileges=yes
ProtectSystem=strict
ReadWritePaths=/var/log/nginx /var/lib/nginx /run
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
PrivateIPC=yes
ProtectHostname=yes
ProtectClock=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectProc=invisible
ProcSubset=pid
RestrictAddressFamilies=AF_INET AF_INET6
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
RemoveIPC=yes
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@resources @obsolete
SystemCallErrorNumber=EPERM
DevicePolicy=closed
UMask=0077
"""
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
