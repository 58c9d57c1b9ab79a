"""One Bia service as systemd runs it: a validated, sandboxed unit, enabled and running,
restarted when its unit or anything it runs changed, and checked until it is up."""

from __future__ import annotations

from collections.abc import Sequence

from pyinfra.api.operation import OperationMeta
from pyinfra.operations import systemd

from roles.lib.ops import ready, validated_file


def sandboxed_service(
    label: str,
    unit: str,
    content: str,
    up: str,
    restart_when: Sequence[OperationMeta] = (),
    seconds: int = 90,
) -> None:
    """``label`` names the service in operation names and errors ("Login service"); ``up``
    is a shell check that succeeds once it serves; ``restart_when`` are the operations
    (code, configuration, ...) whose change needs a restart besides the unit's own."""
    path = f"/etc/systemd/system/{unit}.service"
    service = validated_file(
        name=f"{label} unit (sandboxed, loopback only)",
        content=content,
        dest=path,
        validate=f"systemd-analyze verify {path}",
        reload="systemctl daemon-reload",
    )
    systemd.service(name=f"{label} enabled and running", service=unit, running=True, enabled=True)
    changed = [service, *restart_when]
    systemd.service(
        name=f"Restart the {label.lower()} for a new unit, code or configuration",
        service=unit,
        restarted=True,
        _if=lambda: any(op.did_change() for op in changed),
    )
    ready(
        name=f"{label} is up",
        check=up,
        unit=unit,
        what=f"the {label.lower()} did not come up",
        seconds=seconds,
    )


def listening(*ports: int) -> str:
    """A shell check: something listens on every one of these TCP ports."""
    return " && ".join(f"ss -Hltn 'sport = :{port}' | grep -q ." for port in ports)
