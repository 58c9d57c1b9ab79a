"""The desktop client: package size, cold start to an interactive window, memory.

    .venv/bin/python -m bench.client                 # size, cold start (5 runs), memory
    .venv/bin/python -m bench.client --runs 10
    .venv/bin/python -m bench.client --lab e2e       # also: the baked package from that
                                                     # lab host, and memory after login

The package is built as the appliance gets it (desktop/build.py), installed into a fresh
venv on Debian's python3 and started as `bia` under Xvfb in a private D-Bus session with
an unlocked gnome-keyring. "Cold start" runs from the exec of `bia` to the page having
drawn its first view and answered through the Python API (document.body.dataset.ready),
with a new home folder each run (no WebKit cache). Memory is PSS (shared pages divided
among the processes that map them) of the client and WebKit's own processes.

With --lab, the package is downloaded from that lab host's /download/ page and installed
by the page's own steps; a fresh Keycloak user signs in through Chromium, and the client
reports its memory once the first day view has loaded (needs root, for the test's Unix
user whose password unlocks the client). Goals (issue 7): under 5 MB, interactive in
under 2 s. For scale: an empty Electron app is over 100 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from roles.client import client_build
from tests.desktop.session import (
    DBUS_RUN_SESSION,
    KEYRING_PASSWORD,
    client_env,
    process_group,
    unix_user,
)

ROOT = Path(__file__).resolve().parents[1]
ELECTRON_EMPTY_MB = 100.0


def fresh_venv(wheel: Path, where: Path) -> tuple[Path, float]:
    venv = where / "venv"
    started = time.monotonic()
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", venv], check=True)
    subprocess.run(
        [venv / "bin" / "pip", "install", "-q", "--no-index", "--no-deps", str(wheel)], check=True
    )
    return venv, time.monotonic() - started


def cold_start(venv: Path, work: Path) -> dict[str, float]:
    home = Path(tempfile.mkdtemp(dir=work, prefix="home-"))
    ready, started = home / "ready.json", home / "started"
    script = (
        f"printf %s {KEYRING_PASSWORD} | gnome-keyring-daemon --unlock --components=secrets"
        ' >/dev/null && date +%s.%N > "$2" && exec "$0" --report-ready "$1"'
    )
    env = client_env(home)
    del env["PYTHONPATH"]
    command = [
        "xvfb-run", "-a", *DBUS_RUN_SESSION, "bash", "-c", script,
        str(venv / "bin" / "bia"), str(ready), str(started),
    ]  # fmt: skip
    with process_group(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as app:
        deadline = time.monotonic() + 60
        while not ready.exists() or not ready.read_text():
            if app.poll() is not None:
                raise SystemExit(f"the client exited: {app.stderr.read() if app.stderr else ''}")
            if time.monotonic() > deadline:
                raise SystemExit("no interactive window within 60 s")
            time.sleep(0.02)
        report = json.loads(ready.read_text())
        seconds = report["ready_at"] - float(started.read_text())
    shutil.rmtree(home, ignore_errors=True)
    return {"seconds": seconds, "python_rss_mib": report["python_rss_kib"] / 1024}


def after_login(lab_name: str, work: Path) -> dict[str, Any]:
    """Download, verify and install from the lab host's page, sign in, and measure."""
    import httpx
    from playwright.sync_api import sync_playwright

    from tests.e2e.desktop_session import blocks, install, run_session, shell
    from tests.e2e.test_login import new_user
    from tests.lab import host as lab_hosts
    from tests.lab.welcome import fetch_ca, fingerprint_handout

    if os.geteuid() != 0:
        raise SystemExit("--lab needs root: it makes a Unix user whose password unlocks Bia")
    lab = lab_hosts.load(lab_name)
    if lab is None:
        raise SystemExit(f"lab host {lab_name!r} is not up: make lab LAB={lab_name}")
    ca = fetch_ca(lab)  # as an operator would, over the pinned SSH
    page = httpx.get(f"https://{lab.address}/download/", verify=ca, timeout=15)
    page.raise_for_status()
    steps = blocks(page.text)
    home = work / "patient"
    home.mkdir()
    downloaded = shell(steps["download"], home)
    if downloaded.returncode != 0:
        raise SystemExit(f"download failed: {downloaded.stderr}")
    expected = fingerprint_handout(lab, ca)
    for line in expected:
        if line not in downloaded.stdout:
            raise SystemExit(f"the download printed other fingerprints than {lab_name}'s: {line}")
    venv, _verified = install(steps, home)
    wheel = next((home / "bia-download").glob("*.whl"))
    keycloak_user = new_user(lab)[:2]
    with unix_user("biabench") as computer_user, sync_playwright() as playwright:
        report = run_session(
            venv, home, playwright.chromium, keycloak_user, computer_user, work / "session"
        )
    return {"baked_wheel_bytes": wheel.stat().st_size, "memory": report["memory_after_login_kib"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lab", help="a deployed lab host: also measure after a real login")
    args = parser.parse_args()
    for tool in ("xvfb-run", "dbus-run-session", "gnome-keyring-daemon"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: run `make host-deps` first")
    with tempfile.TemporaryDirectory(prefix="bia-bench-client-") as tmp:
        work = Path(tmp)
        wheel = client_build().build(work / "build")
        size_mb = wheel.stat().st_size / 1e6
        print(f"package        {wheel.name}: {wheel.stat().st_size:,} bytes ({size_mb:.2f} MB)")
        print(f"               goal < 5 MB: {'met' if size_mb < 5 else 'NOT met'}; "
              f"an empty Electron app (> {ELECTRON_EMPTY_MB:.0f} MB) is "
              f"{ELECTRON_EMPTY_MB / size_mb:.0f}x larger")  # fmt: skip
        venv, install_seconds = fresh_venv(wheel, work)
        print(f"install        fresh venv + pip install (offline): {install_seconds:.2f} s")
        cold_start(venv, work)  # the first start also compiles nothing, but warms the disk
        runs = [cold_start(venv, work) for _ in range(args.runs)]
        seconds = sorted(r["seconds"] for r in runs)
        median = statistics.median(seconds)
        print(f"cold start     to an interactive window, {args.runs} runs: median {median:.2f} s, "
              f"min {seconds[0]:.2f} s, max {seconds[-1]:.2f} s; goal < 2 s: "
              f"{'met' if median < 2 else 'NOT met'} ({median / 2:.2f} of the budget)")  # fmt: skip
        rss = statistics.median(r["python_rss_mib"] for r in runs)
        print(f"memory         signed out, interactive: client process RSS {rss:.0f} MiB")
        if args.lab:
            measured = after_login(args.lab, work)
            mem = measured["memory"]
            print(f"baked package  from {args.lab}: {measured['baked_wheel_bytes']:,} bytes")
            print(
                f"memory         after login, first day loaded: PSS {mem['total_pss'] / 1024:.0f}"
                f" MiB in all (client {mem['python_pss'] / 1024:.0f} MiB, WebKit processes "
                f"{mem['webkit_pss'] / 1024:.0f} MiB); "
                f"client RSS {mem['python_rss'] / 1024:.0f} MiB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
