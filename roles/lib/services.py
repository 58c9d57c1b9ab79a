"""One Bia service as systemd runs it: a validated unit, enabled and running, restarted
when its unit changes, and waited for until it listens."""

from __future__ import annotations

from pyinfra.operations import server, systemd

from roles.lib.ops import validated_file, wait_until


def listening_service(label: str, unit: str, content: str, ports: tuple[int, ...]) -> None:
    """``label`` names the service in operation names and errors ("Login service")."""
    path = f"/etc/systemd/system/{unit}.service"
    service = validated_file(
        name=f"{label} unit (sandboxed, loopback only)",
        content=content,
        dest=path,
        validate=f"systemd-analyze verify {path}",
        reload="systemctl daemon-reload",
    )
    systemd.service(name=f"{label} enabled and running", service=unit, running=True, enabled=True)
    systemd.service(
        name=f"Restart the {label.lower()} for a new unit",
        service=unit,
        restarted=True,
        _if=service.did_change,
    )
    listening = " && ".join(f"ss -Hltn 'sport = :{port}' | grep -q ." for port in ports)
    server.shell(
        name=f"Wait until the {label.lower()} listens",
        commands=[wait_until(listening, unit, f"the {label.lower()} did not start listening")],
        _if=service.did_change,
    )
