"""One lab host: a copy of the cached root file system, booted with systemd-nspawn."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from tests.lab import config, prereq, proxy
from tests.lab.rootfs import cached_rootfs
from tests.lab.shell import LabError, progress, run

BOOT_TIMEOUT_S = 90


@dataclass(frozen=True)
class LabHost:
    """What a deploy or a test needs to reach a lab host, saved as state.json."""

    name: str
    address: str
    ssh_user: str
    ssh_key: str
    known_hosts: str
    pid: int

    @property
    def directory(self) -> Path:
        return config.host_dir(self.name)

    def ssh_args(self) -> list[str]:
        return [
            "ssh",
            "-i",
            self.ssh_key,
            "-o",
            f"UserKnownHostsFile={self.known_hosts}",
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "ConnectTimeout=5",
            f"{self.ssh_user}@{self.address}",
        ]


def _state_file(name: str) -> Path:
    return config.host_dir(name) / "state.json"


def load(name: str) -> LabHost | None:
    try:
        data = json.loads(_state_file(name).read_text())
        return LabHost(**data)
    except (FileNotFoundError, TypeError, ValueError):
        return None  # absent, or only an address reservation of a host being created


def all_names() -> list[str]:
    if not config.HOSTS_DIR.exists():
        return []
    return sorted(p.name for p in config.HOSTS_DIR.iterdir() if (p / "state.json").exists())


def is_running(host: LabHost) -> bool:
    try:
        cmdline = Path(f"/proc/{host.pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return False
    return b"systemd-nspawn" in cmdline and config.machine_name(host.name).encode() in cmdline


@contextlib.contextmanager
def _allocation_lock() -> Iterator[None]:
    config.STATE_DIR.mkdir(parents=True, exist_ok=True)
    with (config.STATE_DIR / ".allocation.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _reserved_address(name: str) -> str | None:
    try:
        return str(json.loads(_state_file(name).read_text())["address"])
    except (FileNotFoundError, KeyError, ValueError):
        return None


def _free_address() -> str:
    taken = {a for n in all_names() if (a := _reserved_address(n)) is not None}
    for octet in range(config.FIRST_HOST_OCTET, config.LAST_HOST_OCTET + 1):
        candidate = str(config.NETWORK.network_address + octet)
        if candidate not in taken:
            return candidate
    raise LabError("no free lab address left: run `python -m tests.lab down NAME` for old hosts")


def _chown_like(path: Path, root: Path, user: str) -> None:
    for line in (root / "etc/passwd").read_text().splitlines():
        fields = line.split(":")
        if fields[0] == user:
            os.chown(path, int(fields[2]), int(fields[3]))
            return
    raise LabError(f"user {user} missing from the lab root file system; rebuild it")


def _personalise(name: str, root: Path, address: str) -> tuple[Path, Path]:
    """Give the copy its own name, address, host keys and operator key."""
    directory = config.host_dir(name)
    (root / "etc/hostname").write_text(config.machine_name(name) + "\n")
    (root / "etc/hosts").write_text(
        f"127.0.0.1 localhost\n127.0.1.1 {config.machine_name(name)}\n"
        "::1 localhost ip6-localhost ip6-loopback\n"
    )
    network = root / "etc/systemd/network/10-bia-lab.network"
    network.parent.mkdir(parents=True, exist_ok=True)
    # Lower number than the container's own 80-container-host0.network, so it wins.
    network.write_text(
        "# managed by Bia lab\n[Match]\nName=host0\n\n[Network]\n"
        f"Address={address}/{config.NETWORK.prefixlen}\n"
        "LinkLocalAddressing=no\nIPv6AcceptRA=no\n"
    )
    key = directory / "id_ed25519"
    run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"bia-lab-{name}", "-f", str(key)])
    ssh_dir = root / "home" / config.OPERATOR / ".ssh"
    ssh_dir.mkdir(mode=0o700, exist_ok=True)
    authorized = ssh_dir / "authorized_keys"
    authorized.write_text(Path(f"{key}.pub").read_text())
    authorized.chmod(0o600)
    for path in (ssh_dir, authorized):
        _chown_like(path, root, config.OPERATOR)
    known_lines = []
    for kind, extra in (("ed25519", []), ("rsa", ["-b", "4096"])):
        host_key = root / f"etc/ssh/ssh_host_{kind}_key"
        run(["ssh-keygen", "-q", "-t", kind, *extra, "-N", "", "-C", "", "-f", str(host_key)])
        known_lines.append(
            f"{address} {Path(f'{host_key}.pub').read_text().split()[0]} "
            f"{Path(f'{host_key}.pub').read_text().split()[1]}"
        )
    known_hosts = directory / "known_hosts"
    known_hosts.write_text("\n".join(known_lines) + "\n")
    return key, known_hosts


def up(name: str) -> LabHost:
    """Boot lab host NAME (harmless if it already runs)."""
    prereq.require()
    config.validate_name(name)
    existing = load(name)
    if existing is not None and is_running(existing):
        progress(f"{name} is already running at {existing.address}")
        return existing
    if existing is not None or config.host_dir(name).exists():
        progress(f"{name} has leftovers but no running container: cleaning them up first")
        down(name)
    started = time.monotonic()
    base = cached_rootfs()
    proxy.ensure_bridge()
    proxy.ensure_proxy()
    directory = config.host_dir(name)
    directory.mkdir(parents=True, exist_ok=True)
    root = directory / "rootfs"
    progress(f"copying the root file system for {name}")
    run(["cp", "-a", "--reflink=auto", str(base), str(root)])
    (root / ".bia-complete").unlink(missing_ok=True)
    with _allocation_lock():
        address = _free_address()
        # Reserve the address at once: another `up` running in parallel must not take it.
        _state_file(name).write_text(json.dumps({"name": name, "address": address}) + "\n")
    key, known_hosts = _personalise(name, root, address)
    log = (directory / "console.log").open("ab")
    progress(f"booting {config.machine_name(name)} at {address}")
    proc = subprocess.Popen(
        [
            "systemd-nspawn",
            "--boot",
            "--register=no",
            "--keep-unit",
            f"--network-bridge={config.BRIDGE}",
            f"--machine={config.machine_name(name)}",
            f"--directory={root}",
            "--console=passive",
            "--resolv-conf=off",
            "--timezone=off",
        ],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    host = LabHost(
        name=name,
        address=address,
        ssh_user=config.OPERATOR,
        ssh_key=str(key),
        known_hosts=str(known_hosts),
        pid=proc.pid,
    )
    _state_file(name).write_text(json.dumps(asdict(host), indent=2) + "\n")
    _wait_for_ssh(host, proc)
    progress(f"{name} is up at {address} in {time.monotonic() - started:.1f} s")
    return host


def _wait_for_ssh(host: LabHost, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + BOOT_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise LabError(f"the container exited during boot; see {host.directory}/console.log")
        result = subprocess.run(
            [*host.ssh_args(), "systemctl is-system-running --wait"],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.stdout.strip() in {"running", "degraded"}:
            return
        time.sleep(0.5)
    raise LabError(
        f"{host.name} did not answer on SSH within {BOOT_TIMEOUT_S} s; see "
        f"{host.directory}/console.log, then `python -m tests.lab down {host.name}`"
    )


def down(name: str) -> None:
    """Stop lab host NAME and remove every trace of it."""
    config.validate_name(name)
    host = load(name)
    if host is not None and is_running(host):
        progress(f"stopping {name}")
        os.kill(host.pid, signal.SIGTERM)  # nspawn asks the container's systemd to power off
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and is_running(host):
            time.sleep(0.2)
        if is_running(host):
            os.killpg(host.pid, signal.SIGKILL)
            time.sleep(0.5)
    directory = config.host_dir(name)
    if directory.exists():
        shutil.rmtree(directory)
    if not all_names():
        proxy.stop_proxy()
        proxy.remove_bridge()
