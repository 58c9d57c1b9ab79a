"""Helpers shared by the hardening roles: which controls apply on this host, and an
operation that corrects a path's owner, group and mode."""

from __future__ import annotations

import shlex
from collections.abc import Generator

from pyinfra import host
from pyinfra.api import operation

from hardening.controls import Control, controls
from roles.lib.context import in_container, settings
from roles.lib.facts import Command


def active(kind: str) -> list[Control]:
    """The controls of ``kind`` to apply on this host: not waived, and not kernel-level
    controls inside a container."""
    waivers = settings().hardening.waivers
    container = in_container()
    return [
        c for c in controls(kind) if c.id not in waivers and not (container and c.applies == "vm")
    ]


def op_name(title: str, *ids: str) -> str:
    """Operation names carry the control IDs, so pyinfra's output points at the control."""
    return f"{title} | {', '.join(ids)}" if ids else title


@operation()
def ownership(path: str, user: str, group: str, max_mode: str) -> Generator[str, None, None]:
    """Give ``path`` its owner and group, and remove mode bits beyond ``max_mode``.

    An absent path is left alone (the control says whether that is acceptable).
    """
    q = shlex.quote(path)
    current = host.get_fact(Command, command=f"stat -c '%U:%G:%a' {q}")
    if not current:
        host.noop(f"{path} does not exist")
        return
    owner, grp, mode = current.split(":")
    allowed = int(max_mode, 8)
    if owner == user and grp == group and int(mode, 8) & ~allowed == 0:
        host.noop(f"{path} is {current}")
        return
    yield f"chown {user}:{group} {q} && chmod {int(mode, 8) & allowed:o} {q}"
