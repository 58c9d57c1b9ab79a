"""Private D-Bus sessions for tests: a throwaway dbus-daemon, optionally an unlocked
gnome-keyring on it, and the client's Python run inside."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
KEYRING_PASSWORD = "test-keyring-password"
BUS_CONFIG = Path(__file__).resolve().parent / "dbus-session.conf"
DBUS_RUN_SESSION = ["dbus-run-session", f"--config-file={BUS_CONFIG}", "--"]


def have(*tools: str) -> bool:
    return all(shutil.which(t) for t in tools)


def client_env(home: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DBUS_", "PYTHON_KEYRING", "XDG_", "DISPLAY"))
    }
    env.update(
        HOME=str(home),
        XDG_RUNTIME_DIR=str(home),
        XDG_STATE_HOME=str(home / "state"),
        PYTHONPATH=str(DESKTOP),
        NO_AT_BRIDGE="1",  # no accessibility bus on the test's private session
    )
    env.update(extra)
    return env


@contextmanager
def process_group(cmd: list[str], **kwargs: Any) -> Iterator[subprocess.Popen[str]]:
    """Start cmd in its own process group and end the whole group afterwards: killing
    only xvfb-run would leave Xvfb, the bus and the app running."""
    proc = subprocess.Popen(cmd, start_new_session=True, text=True, **kwargs)
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@contextmanager
def unix_user(prefix: str = "biatest") -> Iterator[tuple[str, str]]:
    """A throwaway local user with a random password (for PAM), removed afterwards.
    Needs root."""
    name = f"{prefix}{secrets.token_hex(3)}"
    password = secrets.token_urlsafe(12)
    subprocess.run(
        ["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True
    )
    try:
        subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)
        yield name, password
    finally:
        subprocess.run(["userdel", name], check=True)


def run_in_group(
    cmd: list[str], *, timeout: float, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    with process_group(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            err += f"\n[test] killed after {timeout} s"
        return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def run_with_keyring(
    code: str, home: Path, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run Python code inside dbus-run-session with gnome-keyring's Secret Service unlocked."""
    script = (
        f"printf %s {KEYRING_PASSWORD} | gnome-keyring-daemon --unlock --components=secrets"
        ' >/dev/null && exec "$0" -c "$1"'
    )
    return run_in_group(
        [*DBUS_RUN_SESSION, "bash", "-c", script, sys.executable, code],
        env=client_env(home),
        timeout=timeout,
    )


class PrivateBus:
    """A dbus-daemon of our own (session config), reachable by its address only."""

    def __init__(self, workdir: Path) -> None:
        self.proc = subprocess.Popen(
            ["dbus-daemon", f"--config-file={BUS_CONFIG}", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=workdir,
        )
        assert self.proc.stdout is not None
        self.address = self.proc.stdout.readline().strip()
        if not self.address:
            self.proc.kill()
            raise RuntimeError("dbus-daemon printed no address")

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=5)
