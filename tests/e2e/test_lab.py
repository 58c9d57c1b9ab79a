"""The lab CLI itself: `up` twice is harmless, `down` leaves nothing behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.lab import config, host
from tests.lab.host import LabHost

pytestmark = pytest.mark.lab


def _lab_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.lab", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_up_twice_is_harmless_and_down_leaves_nothing(lab: LabHost) -> None:
    name = f"{lab.name}c"
    first = _lab_cli("up", name)
    assert first.returncode == 0, first.stderr
    booted = host.load(name)
    assert booted is not None and host.is_running(booted)
    again = _lab_cli("up", name)
    assert again.returncode == 0, again.stderr
    assert "already running" in again.stderr
    assert host.load(name) == booted

    down = _lab_cli("down", name)
    assert down.returncode == 0, down.stderr
    assert not config.host_dir(name).exists()
    interface = f"vb-{config.machine_name(name)}"[:15]
    assert (
        subprocess.run(
            ["ip", "link", "show", interface], capture_output=True, check=False
        ).returncode
        != 0
    )
    assert str(config.host_dir(name)) not in Path("/proc/self/mounts").read_text()
    leftover = subprocess.run(
        ["pgrep", "-f", "--", f"--machine={config.machine_name(name)} "],
        capture_output=True,
        text=True,
        check=False,
    )
    assert leftover.stdout.strip() == ""
    # The session's own lab host is untouched.
    assert host.is_running(lab)


def test_a_bad_name_is_refused_with_the_rule(lab: LabHost) -> None:
    result = _lab_cli("up", "Bad_Name")
    assert result.returncode != 0
    assert "1-8 lower-case letters or digits" in result.stderr
