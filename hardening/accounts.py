"""accounts: login.defs, password quality, lockout after failed logins (auth-*).

SSH logins are key-only (hardening/ssh.py); these settings guard the local passwords
that remain: the operator's sudo password and the console.
"""

from __future__ import annotations

from pyinfra.api import deploy
from pyinfra.operations import apt, files, server

from hardening.lib import active, op_name
from roles.lib.context import settings
from roles.lib.ops import HEADER, text

PWQUALITY = f"""# {HEADER}
# auth-07: at least 14 characters, at least one of each of three classes, no dictionary words
minlen = 14
minclass = 3
dictcheck = 1
enforce_for_root
"""
FAILLOCK = f"""# {HEADER}
# auth-08: lock an account for 15 minutes after 5 failures within 15 minutes
deny = 5
fail_interval = 900
unlock_time = 900
audit
"""
# pam-auth-update profiles, in the form Debian's own packages ship them.
FAILLOCK_PROFILE = """Name: Bia: lock accounts after repeated failed logins (pam_faillock)
Default: yes
Priority: 0
Auth-Type: Primary
Auth:
	[default=die]	pam_faillock.so authfail
"""
FAILLOCK_NOTIFY_PROFILE = """Name: Bia: count failed logins, reset on success (pam_faillock)
Default: yes
Priority: 1024
Auth-Type: Primary
Auth:
	requisite	pam_faillock.so preauth
Account-Type: Primary
Account:
	required	pam_faillock.so
"""


@deploy("accounts")
def accounts() -> None:
    waivers = settings().hardening.waivers
    for control in active("login_defs"):
        files.line(
            name=op_name(f"login.defs {control.key} {control.expect}", control.id),
            path="/etc/login.defs",
            line=rf"^#?\s*{control.key}\s",
            replace=f"{control.key}\t{control.expect}",
        )
    if "auth-01" not in waivers:
        files.put(
            name=op_name("umask 027 for interactive login shells", "auth-01"),
            src=text(
                f"# {HEADER}\n# auth-01: files operators create are not world-readable\numask 027\n"
            ),
            dest="/etc/profile.d/bia-umask.sh",
            mode="644",
        )
    packages = []
    if "auth-06" not in waivers:
        packages.append("libpam-pwquality")
    if packages:
        apt.packages(
            name=op_name("Install PAM password quality checks", "auth-06"),
            packages=packages,
            no_recommends=True,
        )
    if "auth-07" not in waivers:
        files.put(
            name=op_name("Password quality: 14 characters or more", "auth-07"),
            src=text(PWQUALITY),
            dest="/etc/security/pwquality.conf.d/90-bia.conf",
            mode="644",
        )
    if "auth-08" not in waivers:
        _faillock()


def _faillock() -> None:
    conf = files.put(
        name=op_name("faillock: 5 failures lock for 15 minutes", "auth-08"),
        src=text(FAILLOCK),
        dest="/etc/security/faillock.conf",
        mode="644",
    )
    profiles = [
        files.put(
            name=op_name(f"PAM profile {name}", "auth-08"),
            src=text(content),
            dest=f"/usr/share/pam-configs/{name}",
            mode="644",
        )
        for name, content in (
            ("bia-faillock", FAILLOCK_PROFILE),
            ("bia-faillock-notify", FAILLOCK_NOTIFY_PROFILE),
        )
    ]
    server.shell(
        name=op_name("Enable pam_faillock (pam-auth-update)", "auth-08"),
        commands=["DEBIAN_FRONTEND=noninteractive pam-auth-update --package"],
        _if=lambda: conf.did_change() or any(p.did_change() for p in profiles),
    )
