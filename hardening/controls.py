"""The hardening controls, read from policies/controls.toml: one definition for both the
hardening/ roles that apply a control and the compliance checks that verify it.

Kinds, and what ``key`` and ``expect`` mean for each:

- ``sshd``: ``sshd -T`` prints ``key expect``.
- ``sysctl``: ``sysctl -n key`` matches the regular expression ``expect``.
- ``module``: kernel module ``key`` cannot be loaded (``install ... /bin/false``).
- ``mount``: the mount point ``key`` has every option in ``expect`` (comma-separated).
- ``file``: ``key`` has owner:group:mode ``expect``, the mode being the most permissive
  allowed (``missing_ok`` accepts an absent file).
- ``login_defs``: /etc/login.defs sets ``key`` to ``expect``.
- ``journald``: the effective journald.conf sets ``key`` to ``expect``.
- ``package_absent``: Debian package ``key`` is not installed.
- ``open_ports``: the firewall accepts new TCP connections on exactly these ports.
- ``listening``: TCP sockets on non-loopback addresses use only these ports.
- ``systemd_exposure``: ``systemd-analyze security key`` scores at most ``expect``.
- ``http_header``: the edge's response header ``key`` matches the regular expression.
- ``postgres_setting``: ``SHOW key`` matches the regular expression ``expect``.
- ``command``: the output of ``command`` (run as root) matches the regular expression.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

POLICY = Path(__file__).resolve().parents[1] / "policies" / "controls.toml"

KINDS = frozenset(
    {
        "sshd",
        "sysctl",
        "module",
        "mount",
        "file",
        "login_defs",
        "journald",
        "package_absent",
        "open_ports",
        "listening",
        "systemd_exposure",
        "http_header",
        "postgres_setting",
        "command",
    }
)
NEEDS_KEY = KINDS - {"open_ports", "listening", "command"}
CONTAINER_REASONS = {
    "sysctl": "kernel-wide sysctls belong to the host kernel that a container shares",
    "module": "kernel modules are loaded (or not) by the host kernel that a container shares",
    "command": "a container shares the host's kernel, clock, audit and AppArmor subsystems",
}


@dataclass(frozen=True)
class Control:
    id: str
    title: str
    kind: str
    expect: str
    applies: Literal["both", "vm"]
    rationale: str
    source: str
    key: str = ""
    command: str = ""
    missing_ok: bool = False
    waivable: bool = True

    @property
    def family(self) -> str:
        return self.id.split("-", 1)[0]

    @property
    def container_reason(self) -> str:
        """Why the control does not apply inside a container ('' if it does)."""
        if self.applies == "both":
            return ""
        return CONTAINER_REASONS.get(self.kind, "needs its own kernel (a VM or bare metal)")


class PolicyError(ValueError):
    """policies/controls.toml is malformed; the message names the control."""


@dataclass(frozen=True)
class Policy:
    controls: tuple[Control, ...]
    retired: frozenset[str]

    def by_id(self) -> dict[str, Control]:
        return {c.id: c for c in self.controls}

    def of_kind(self, kind: str) -> list[Control]:
        return [c for c in self.controls if c.kind == kind]


def parse(raw: dict[str, Any]) -> Policy:
    retired = frozenset(raw.get("retired", []))
    controls = []
    seen: set[str] = set()
    for entry in raw.get("control", []):
        cid = entry.get("id", "<no id>")
        try:
            control = Control(**entry)
        except TypeError as exc:
            raise PolicyError(f"control {cid}: {exc}") from None
        problems = []
        if control.id in seen:
            problems.append("duplicate id")
        if control.id in retired:
            problems.append("id is retired and must never be reused")
        if control.kind not in KINDS:
            problems.append(f"unknown kind {control.kind!r}")
        if control.applies not in ("both", "vm"):
            problems.append("applies must be 'both' or 'vm'")
        for field in ("title", "rationale", "source", "expect"):
            if not getattr(control, field).strip():
                problems.append(f"{field} is empty")
        if control.kind in NEEDS_KEY and not control.key:
            problems.append(f"kind {control.kind} needs a key")
        if control.kind == "command" and not control.command:
            problems.append("kind command needs a command")
        if problems:
            raise PolicyError(f"control {control.id}: " + "; ".join(problems))
        seen.add(control.id)
        controls.append(control)
    return Policy(tuple(controls), retired)


@cache
def policy() -> Policy:
    with POLICY.open("rb") as handle:
        return parse(tomllib.load(handle))


def controls(kind: str | None = None) -> list[Control]:
    every = policy().controls
    return [c for c in every if kind is None or c.kind == kind]
