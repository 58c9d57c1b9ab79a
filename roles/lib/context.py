"""The settings of the host being deployed, parsed once per host."""

from __future__ import annotations

from pyinfra import host

from roles.lib.facts import Command
from roles.lib.settings import ApplianceSettings, parse

_CACHE: dict[str, ApplianceSettings] = {}


def settings() -> ApplianceSettings:
    if host.name not in _CACHE:
        _CACHE[host.name] = parse(host.data.get("bia"), host.name)
    return _CACHE[host.name]


def in_container() -> bool:
    """True on a container such as the lab (kernel-level controls do not apply there)."""
    kind = host.get_fact(Command, command="systemd-detect-virt --container")
    return kind not in ("", "none")
