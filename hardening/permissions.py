"""permissions: owners and modes of sensitive files (file-*).

Runs after the roles that create those files (the edge's TLS key among them); a mode
stricter than the control's is left as it is.
"""

from __future__ import annotations

from pyinfra.api import deploy

from hardening.lib import active, op_name, ownership


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
