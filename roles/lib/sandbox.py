"""systemd sandboxing, defined once: every Bia unit and the nginx drop-in start from
``BASE`` and state only where they differ, each difference with its reason at the call
site. Scored by `systemd-analyze security` (controls sd-*)."""

from __future__ import annotations

# Directive -> value(s). Order is the order written. A tuple writes the directive once per
# value (SystemCallFilter= accumulates).
BASE: dict[str, str | tuple[str, ...]] = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "PrivateUsers": "yes",
    "PrivateIPC": "yes",
    "ProtectHostname": "yes",
    "ProtectClock": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectKernelModules": "yes",
    "ProtectKernelLogs": "yes",
    "ProtectControlGroups": "yes",
    "ProtectProc": "invisible",
    "ProcSubset": "pid",
    "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6",
    "RestrictNamespaces": "yes",
    "RestrictRealtime": "yes",
    "RestrictSUIDSGID": "yes",
    "LockPersonality": "yes",
    "MemoryDenyWriteExecute": "yes",
    "RemoveIPC": "yes",
    "SystemCallArchitectures": "native",
    "SystemCallFilter": ("@system-service", "~@privileged @resources"),
    "SystemCallErrorNumber": "EPERM",
    "CapabilityBoundingSet": "",
    "AmbientCapabilities": "",
    "DevicePolicy": "closed",
    "UMask": "0077",
    "IPAddressDeny": "any",
    "IPAddressAllow": "localhost",
}


def sandbox(**changes: str | tuple[str, ...] | None) -> str:
    """The directives of ``BASE`` with ``changes`` applied: a new value, or None to drop the
    directive. Directives not in BASE are added at the end."""
    unknown_drops = [key for key, value in changes.items() if value is None and key not in BASE]
    if unknown_drops:
        raise ValueError(f"cannot drop directives that BASE does not set: {unknown_drops}")
    merged = {**BASE, **changes}
    lines = []
    for key, value in merged.items():
        if value is None:
            continue
        for each in (value,) if isinstance(value, str) else value:
            lines.append(f"{key}={each}")
    return "\n".join(lines) + "\n"
