"""The lab's private network (a bridge) and its caching apt proxy on the bridge address."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from tests.lab import config
from tests.lab.rootfs import host_debian_mirror
from tests.lab.shell import LabError, progress, run

PROXY_DIR = config.STATE_DIR / "apt-proxy"
PROXY_PID = PROXY_DIR / "pid"
PROXY_USER = "apt-cacher-ng"


def bridge_exists() -> bool:
    return run(["ip", "link", "show", config.BRIDGE], check=False).returncode == 0


def ensure_bridge() -> None:
    if not bridge_exists():
        run(["ip", "link", "add", config.BRIDGE, "type", "bridge"])
    address = f"{config.BRIDGE_ADDRESS}/{config.NETWORK.prefixlen}"
    shown = run(["ip", "-o", "addr", "show", "dev", config.BRIDGE]).stdout
    if f" {address} " not in shown:
        run(["ip", "addr", "add", address, "dev", config.BRIDGE])
    run(["ip", "link", "set", config.BRIDGE, "up"])


def remove_bridge() -> None:
    if bridge_exists():
        run(["ip", "link", "del", config.BRIDGE])


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/cmdline").read_bytes().find(b"apt-cacher-ng") >= 0


def proxy_pid() -> int | None:
    try:
        pid = int(PROXY_PID.read_text())
    except (FileNotFoundError, ValueError):
        return None
    return pid if _pid_alive(pid) else None


def _write_config(mirror: str) -> None:
    PROXY_DIR.mkdir(parents=True, exist_ok=True)
    (PROXY_DIR / "log").mkdir(exist_ok=True)
    config.APT_CACHE_DIR.mkdir(parents=True, exist_ok=True)
    (PROXY_DIR / "backends_debian").write_text(mirror + "\n")
    (PROXY_DIR / "acng.conf").write_text(
        "# managed by Bia lab: a private apt-cacher-ng for the lab bridge only\n"
        f"CacheDir: {config.APT_CACHE_DIR}\n"
        f"LogDir: {PROXY_DIR / 'log'}\n"
        "SupportDir: /usr/lib/apt-cacher-ng\n"
        f"BindAddress: {config.BRIDGE_ADDRESS}\n"
        f"Port: {config.PROXY_PORT}\n"
        "Remap-debrep: file:deb_mirror*.gz /debian ; file:backends_debian\n"
        "Remap-secdeb: security.debian.org security.debian.org/debian-security "
        "deb.debian.org/debian-security /debian-security ; deb.debian.org/debian-security\n"
        "ExThreshold: 4\n"
        "ReportPage: acng-report.html\n"
    )
    for path in (PROXY_DIR, PROXY_DIR / "log", config.APT_CACHE_DIR):
        shutil.chown(path, PROXY_USER, PROXY_USER)


def _listening() -> bool:
    try:
        with socket.create_connection((str(config.BRIDGE_ADDRESS), config.PROXY_PORT), 1):
            return True
    except OSError:
        return False


def ensure_proxy() -> None:
    if proxy_pid() is not None and _listening():
        return
    _write_config(host_debian_mirror())
    progress(f"starting the apt proxy on {config.BRIDGE_ADDRESS}:{config.PROXY_PORT}")
    log = (PROXY_DIR / "log" / "stdout.log").open("ab")
    proc = subprocess.Popen(
        [
            "setpriv",
            f"--reuid={PROXY_USER}",
            f"--regid={PROXY_USER}",
            "--init-groups",
            "/usr/sbin/apt-cacher-ng",
            "-c",
            str(PROXY_DIR),
            "ForeGround=1",
        ],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    PROXY_PID.write_text(f"{proc.pid}\n")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise LabError(
                f"the apt proxy exited at once ({proc.returncode}); see {PROXY_DIR}/log/"
            )
        if _listening():
            return
        time.sleep(0.2)
    raise LabError(f"the apt proxy did not start listening in 15 s; see {PROXY_DIR}/log/")


def stop_proxy() -> None:
    pid = proxy_pid()
    if pid is None:
        PROXY_PID.unlink(missing_ok=True)
        return
    progress("stopping the apt proxy")
    os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _pid_alive(pid):
        time.sleep(0.1)
    if _pid_alive(pid):
        os.killpg(pid, signal.SIGKILL)
    PROXY_PID.unlink(missing_ok=True)
