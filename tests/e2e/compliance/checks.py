"""How each kind of control is observed on a host, and whether the observation complies.

One function per kind (see hardening/controls.py for what ``key`` and ``expect`` mean);
each returns what it saw, as text for the report.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field

import testinfra

from hardening.controls import Control


@dataclass
class Target:
    """The host under audit, as the compliance checks see it."""

    name: str
    address: str
    host: testinfra.host.Host
    container: str  # systemd-detect-virt --container, or "" on a VM / bare metal
    waivers: dict[str, str]
    ssh: list[str]  # an ssh command line that reaches the host (pinned host key)
    cache: dict[str, str] = field(default_factory=dict)

    def run(self, command: str) -> str:
        """Output of a command run as root ('' on failure is the command's business)."""
        if command not in self.cache:
            self.cache[command] = self.host.run(command).stdout.strip()
        return self.cache[command]


@dataclass(frozen=True)
class Observation:
    observed: str
    ok: bool


def _sshd(control: Control, target: Target) -> Observation:
    lines = target.run("sshd -T").splitlines()
    values = [line.split(" ", 1)[1] for line in lines if line.split(" ", 1)[0] == control.key]
    observed = "\n".join(values)
    return Observation(observed, observed == control.expect)


def _regex(control: Control, observed: str) -> Observation:
    return Observation(observed, re.search(control.expect, observed) is not None)


def _sysctl(control: Control, target: Target) -> Observation:
    observed = target.run(f"sysctl -n {shlex.quote(control.key)}")
    return Observation(observed, re.fullmatch(control.expect, observed) is not None)


def _module(control: Control, target: Target) -> Observation:
    observed = target.run(f"modprobe -n -v {shlex.quote(control.key)} 2>&1")
    return Observation(observed, "install /bin/false" in observed)


def _mount(control: Control, target: Target) -> Observation:
    observed = target.run(f"findmnt -no OPTIONS {shlex.quote(control.key)}")
    wanted = set(control.expect.split(","))
    return Observation(observed, wanted <= set(observed.split(",")))


def _file(control: Control, target: Target) -> Observation:
    observed = target.run(f"stat -c '%U:%G:%a' {shlex.quote(control.key)}")
    if not observed:
        return Observation("absent", control.missing_ok)
    user, group, mode = observed.split(":")
    want_user, want_group, max_mode = control.expect.split(":")
    stricter = int(mode, 8) & ~int(max_mode, 8) == 0
    return Observation(observed, user == want_user and group == want_group and stricter)


def _login_defs(control: Control, target: Target) -> Observation:
    observed = target.run(f"awk '$1==\"{control.key}\"{{v=$2}} END{{print v}}' /etc/login.defs")
    return Observation(observed, observed == control.expect)


def _journald(control: Control, target: Target) -> Observation:
    observed = target.run(
        "systemd-analyze cat-config systemd/journald.conf | "
        f"awk -F= '$1==\"{control.key}\"{{v=$2}} END{{print v}}'"
    )
    return Observation(observed, observed == control.expect)


def _package_absent(control: Control, target: Target) -> Observation:
    observed = target.run(f"dpkg-query -W -f='${{db:Status-Status}}' {control.key} 2>/dev/null")
    return Observation(observed or "not known to dpkg", observed != "installed")


def open_tcp_ports(ruleset: str) -> set[int]:
    """TCP ports that the input chain accepts new connections on, from `nft list`."""
    ports: set[int] = set()
    for line in ruleset.splitlines():
        match = re.search(r"tcp dport (\{[^}]*\}|\d+)\s.*accept", line)
        if match:
            ports |= {int(p) for p in re.findall(r"\d+", match.group(1))}
    return ports


def _open_ports(control: Control, target: Target) -> Observation:
    ports = open_tcp_ports(target.run("nft list chain inet bia input"))
    expected = {int(p) for p in control.expect.split(",")}
    return Observation(",".join(map(str, sorted(ports))) or "none", ports == expected)


def public_listeners(ss_output: str) -> set[int]:
    """Ports of TCP listeners on non-loopback addresses, from `ss -Hltn`."""
    ports = set()
    for line in ss_output.splitlines():
        local = line.split()[3]
        address, port = local.rsplit(":", 1)
        address = address.strip("[]").split("%")[0].removeprefix("::ffff:")
        if address != "::1" and not address.startswith("127."):
            ports.add(int(port))
    return ports


def _listening(control: Control, target: Target) -> Observation:
    ports = public_listeners(target.run("ss -Hltn"))
    allowed = {int(p) for p in control.expect.split(",")}
    return Observation(",".join(map(str, sorted(ports))), ports <= allowed)


def exposure(output: str) -> float | None:
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", output)
    return float(match.group(1)) if match else None


def _systemd_exposure(control: Control, target: Target) -> Observation:
    out = target.run(f"systemd-analyze security --no-pager {shlex.quote(control.key)} 2>&1")
    score = exposure(out)
    if score is None:
        return Observation(out[-200:] or "no score", False)
    return Observation(f"{score:.1f}", score <= float(control.expect))


def _http_header(control: Control, target: Target) -> Observation:
    headers = target.run("curl -sk -D - -o /dev/null https://127.0.0.1/healthz")
    values = [
        line.split(":", 1)[1].strip()
        for line in headers.splitlines()
        if line.split(":", 1)[0].strip().lower() == control.key.lower()
    ]
    observed = "\n".join(values)
    return Observation(
        observed, len(values) == 1 and re.search(control.expect, observed) is not None
    )


def _postgres_setting(control: Control, target: Target) -> Observation:
    observed = target.run(f"runuser -u postgres -- psql -X -tAqc 'show {control.key}'")
    return _regex(control, observed)


def _command(control: Control, target: Target) -> Observation:
    return _regex(control, target.run(control.command))


CHECKS: dict[str, Callable[[Control, Target], Observation]] = {
    "sshd": _sshd,
    "sysctl": _sysctl,
    "module": _module,
    "mount": _mount,
    "file": _file,
    "login_defs": _login_defs,
    "journald": _journald,
    "package_absent": _package_absent,
    "open_ports": _open_ports,
    "listening": _listening,
    "systemd_exposure": _systemd_exposure,
    "http_header": _http_header,
    "postgres_setting": _postgres_setting,
    "command": _command,
}


def observe(control: Control, target: Target) -> Observation:
    return CHECKS[control.kind](control, target)
