"""Getting and running the desktop client the way a patient does, against a lab host:
shared by tests/e2e/test_desktop_client.py and bench/client.py."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserType

from tests.desktop.session import DBUS_RUN_SESSION, KEYRING_PASSWORD, client_env, process_group
from tests.e2e.test_login import CHROMIUM, CHROMIUM_ARGS, sign_in

ROOT = Path(__file__).resolve().parents[2]
VENV = ".local/share/bia/venv"
PATIENT_PATH = "/usr/local/bin:/usr/bin:/bin"


def shell(script: str, home: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run a block from the page as a person would paste it into a terminal (no `set -e`
    of ours: each block stops at its own first failure)."""
    # A patient's Debian: the distribution's python3, whatever this machine adds to PATH.
    env = {"PATH": PATIENT_PATH, "HOME": str(home), "LANG": "C.UTF-8"}
    return subprocess.run(
        ["bash", "-c", script],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def blocks(page_html: str) -> dict[str, str]:
    """The command blocks of the download page, by id, as a person would copy them."""
    found = re.findall(r'<pre id="([a-z-]+)">(.*?)</pre>', page_html, flags=re.S)
    return {name: html.unescape(text) for name, text in found}


def install(steps: dict[str, str], home: Path) -> tuple[Path, str]:
    """After the page's download step: its browser-trust and verify-and-install steps
    (not the start step: a driver starts the app). Returns the venv and what the install
    step printed."""
    trusted = shell(steps["browser"], home)
    if trusted.returncode != 0:
        raise AssertionError(f"the browser step failed: {trusted.stderr}")
    run = shell(steps["install"], home)
    if run.returncode != 0:
        raise AssertionError(f"verify and install failed: {run.stdout}{run.stderr}")
    assert steps["start"].strip() == f"~/{VENV}/bin/bia"
    return home / VENV, run.stdout + run.stderr


def run_session(
    venv: Path,
    home: Path,
    chromium: BrowserType,
    keycloak_user: tuple[str, str],
    unix_user: tuple[str, str],
    out: Path,
) -> dict[str, Any]:
    """Start the installed client with tests/desktop/lab_driver.py (Xvfb, private session
    bus, unlocked gnome-keyring), sign in through Keycloak in Chromium when it opens the
    'system browser', and return the driver's report. Chromium runs as the patient's:
    same home, so it trusts the appliance only through the page's browser step."""
    out.mkdir(parents=True, exist_ok=True)
    url_file = out / "login-url"
    url_file.unlink(missing_ok=True)
    opener = out / "system-browser"
    opener.write_text(
        f'#!/bin/sh\nprintf %s "$1" > {url_file}.tmp && mv {url_file}.tmp {url_file}\n'
    )
    opener.chmod(0o755)
    env = client_env(home, BROWSER=str(opener), PYTHONPATH=str(ROOT))
    script = (
        f"printf %s {KEYRING_PASSWORD} | gnome-keyring-daemon --unlock --components=secrets"
        ' >/dev/null && exec "$0" -m tests.desktop.lab_driver "$1" "$2"'
    )
    command = [
        "xvfb-run", "-a", "-s", "-screen 0 1280x900x24", *DBUS_RUN_SESSION,
        "bash", "-c", script, str(venv / "bin" / "python"), str(out), unix_user[0],
    ]  # fmt: skip
    log_path = out / "driver.log"
    with (
        log_path.open("w") as log,
        process_group(
            command, env=env, cwd=home, stdin=subprocess.PIPE, stdout=log, stderr=log
        ) as app,
    ):
        assert app.stdin is not None
        app.stdin.write(unix_user[1] + "\n")
        app.stdin.close()
        deadline = time.monotonic() + 120
        while not url_file.exists():
            assert app.poll() is None, log_path.read_text()[-3000:]
            assert time.monotonic() < deadline, "the client never opened the browser"
            time.sleep(0.1)
        browser = chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env={**os.environ, "HOME": str(home)}
        )
        try:
            sign_in(browser.new_page(), url_file.read_text(), *keycloak_user)
        finally:
            browser.close()
        app.wait(timeout=300)
    report: dict[str, Any] = json.loads((out / "report.json").read_text())
    assert report.get("ok"), report.get("error") or log_path.read_text()[-3000:]
    report["login_url"] = url_file.read_text()
    return report
