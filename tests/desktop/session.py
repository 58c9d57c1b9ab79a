"""Private D-Bus sessions for tests: a throwaway dbus-daemon, optionally an unlocked
gnome-keyring on it, and the client's Python run inside."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
KEYRING_PASSWORD = "test-keyring-password"


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
    )
    env.update(extra)
    return env


def run_with_keyring(
    code: str, home: Path, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run Python code inside dbus-run-session with gnome-keyring's Secret Service unlocked."""
    script = (
        f"printf %s {KEYRING_PASSWORD} | gnome-keyring-daemon --unlock --components=secrets"
        ' >/dev/null && exec "$0" -c "$1"'
    )
    return subprocess.run(
        ["dbus-run-session", "--", "bash", "-c", script, sys.executable, code],
        env=client_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class PrivateBus:
    """A dbus-daemon of our own (session config), reachable by its address only."""

    def __init__(self, workdir: Path) -> None:
        self.proc = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1", "--nopidfile"],
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
