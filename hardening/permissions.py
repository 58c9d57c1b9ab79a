"""permissions: owners and modes of sensitive files (file-*).

Runs after the roles that create those files (the edge's TLS key among them); a mode
stricter than the control's is left as it is.
"""

from __future__ import annotations

from pyinfra import host
from pyinfra.api import deploy
from pyinfra.operations import server

from hardening.lib import active, op_name, ownership
from roles.lib.context import settings
from roles.lib.facts import Command

OPEN_HOMES = "find /home -mindepth 1 -maxdepth 1 -type d -perm /027"


@deploy("permissions")
def permissions() -> None:
    for control in active("file"):
        user, group, mode = control.expect.split(":")
        ownership(
            name=op_name(f"{control.key} {control.expect} or stricter", control.id),
            path=control.key,
            user=user,
            group=group,
            max_mode=mode,
        )
    if "file-14" not in settings().hardening.waivers and host.get_fact(Command, command=OPEN_HOMES):
        server.shell(
            name=op_name("Home directories 0750 or stricter", "file-14"),
            commands=[f"{OPEN_HOMES} -exec chmod g-w,o-rwx {{}} +"],
        )
