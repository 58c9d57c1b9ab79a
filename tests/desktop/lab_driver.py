"""Drives the client INSTALLED from the appliance's package against the lab appliance.

Run by tests/e2e/test_desktop_client.py with the clean venv's Python, inside Xvfb, a
private D-Bus session and an unlocked gnome-keyring:

    VENV/bin/python -m tests.desktop.lab_driver OUT_DIR UNIX_USER

`bia_desktop` comes from that venv (this checkout's desktop/ is not on the path), with
the appliance address and CA baked in at the appliance. The system browser is whatever
$BROWSER says: the test points it at a script that hands the URL to the test, which
signs in through Keycloak's real page in Chromium. Unlocking checks UNIX_USER's password
through the real PAM stack (a user the test made).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

import bia_desktop  # first: puts the package's own dependencies on the path
from bia_desktop.app import Running, configure
from bia_desktop.guard import pam_authenticator

from tests.desktop.ui_driver import ENTRY_COUNT, PageDriver, run_driven


class LabDriver(PageDriver):
    def __init__(self, running: Running, out: Path, password: str) -> None:
        super().__init__(running, out)
        self.password = password
        self.sent: list[str] = []  # every script sent into the page
        self.tokens: set[str] = set()  # every token the client has held

    def drive(self) -> None:
        self.report["package"] = str(Path(bia_desktop.__file__).parent)
        self.record_what_reaches_the_page()
        self.sign_in_from_first_page(60)
        # The test signs in through Keycloak in Chromium, then AwaitTokens delivers.
        self.until("signed in", lambda: self.hidden("signin"), 240)
        self.note_tokens()
        self.until(
            "day loaded", lambda: self.js("document.querySelectorAll('#timeline li').length"), 20
        )
        time.sleep(1)  # let WebKit settle after the first timeline draws
        self.report["memory_after_login_kib"] = memory_kib()

        # A meal: search as you type, Enter on the first hit; twice; then a portion.
        for query, name in (("oats, r", "oats, rolled"), ("banana, f", "banana, firm")):
            self.js("document.getElementById('food-search').focus()")
            self.type(query)
            self.until(
                f"search results for {query}",
                lambda: self.js(
                    "document.querySelectorAll('#food-results li[role=option]').length"
                ),
                20,
            )
            self.key("Return")
            self.until(f"{name} added", partial(self.meal_lists, name))
        self.js(
            "const amount = document.querySelector('#meal-items li input');"
            "amount.focus(); amount.select()"
        )
        self.type("60")
        self.js(  # the unit list has no shortcut; a person would click it too
            "const unit = document.querySelector('#meal-items li select');"
            "unit.value = 'g'; unit.dispatchEvent(new Event('change'))"
        )
        self.screenshot("01-meal")
        self.key("ctrl+Return")
        self.until("meal on the appliance", lambda: self.saved_count() >= 1, 20)

        self.log_bloating_of_7()
        self.until("symptom on the appliance", lambda: self.saved_count() >= 2, 20)

        self.log_bristol_4_with_urgency()
        self.until("bowel movement on the appliance", lambda: self.saved_count() >= 3, 20)
        self.report["pending_after_writes"] = self.running.client.status()["pending"]

        self.capture_day_and_week()

        # The OS locks: the page empties and the access token leaves memory.
        self.note_tokens()
        locked_at = self.send_screensaver_active()
        self.until("lock screen", lambda: not self.hidden("lockscreen"), 1)
        self.report["lock_seconds"] = time.monotonic() - locked_at
        self.report["lock_reason"] = self.running.client.guard.lock_reason
        self.report["token_in_memory_when_locked"] = self.running.client.tokens.present
        self.report["entries_in_page_when_locked"] = self.js(
            "document.querySelectorAll('#timeline li, #week button').length"
        )
        self.screenshot("06-locked")
        self.type("not my password")
        self.key("Return")
        self.until(
            "refused",
            lambda: (
                "did not unlock" in self.js("document.getElementById('unlock-message').textContent")
            ),
            15,
        )
        self.report["locked_after_wrong"] = self.running.client.guard.locked
        self.type(self.password)
        self.key("Return")
        self.until("unlocked", lambda: self.hidden("lockscreen"), 15)
        # Back from the appliance: a new access token from the refresh token in the keychain.
        self.until("timeline back from the appliance", lambda: self.js(ENTRY_COUNT) == 3, 20)
        self.report["token_in_memory_after_unlock"] = self.running.client.tokens.present
        self.note_tokens()
        self.check_where_tokens_are()
        self.report["ok"] = True

    def record_what_reaches_the_page(self) -> None:
        """Every script Python sends into the page, which is how pywebview delivers every
        Api result (app.py routes evaluate_js to run_js): the whole Python-to-JS channel."""
        send = self.window.run_js

        def recording(script: str) -> Any:
            self.sent.append(script)
            return send(script)

        self.window.run_js = recording

    def note_tokens(self) -> None:
        """Remember the tokens the client holds now (they change on refresh)."""
        access = self.running.client.tokens.get()
        refresh = self.running.client.keychain.load_refresh_token()
        self.tokens.update(t.reveal() for t in (access, refresh) if t is not None)

    def check_where_tokens_are(self) -> None:
        tokens = self.tokens
        self.report["tokens_seen"] = len(tokens)
        self.report["scripts_sent_to_page"] = len(self.sent)
        self.report["token_sent_to_page"] = any(t in script for t in tokens for script in self.sent)
        page = str(self.js("document.documentElement.outerHTML"))
        self.report["token_in_page_html"] = any(t in page for t in tokens)
        refresh = self.running.client.keychain.load_refresh_token()
        self.report["refresh_token_in_keychain"] = refresh is not None
        # Nowhere on disk in the clear (gnome-keyring's own file is encrypted).
        found = []
        for path in Path.home().rglob("*"):
            with contextlib.suppress(OSError):
                if path.is_file() and path.stat().st_size < 5_000_000:
                    data = path.read_bytes()
                    found += [str(path) for t in tokens if t.encode() in data]
        self.report["token_files"] = found

    def meal_lists(self, name: str) -> bool:
        return name in str(self.js("document.getElementById('meal-items').textContent")).lower()

    def saved_count(self) -> int:
        """Entries the appliance has confirmed: the outbox is empty and the day lists them."""
        status = self.running.client.status()
        if status["rejected"]:
            refused = [repr(p) for p in self.running.client.outbox.pending() if p.rejected]
            raise AssertionError(f"the appliance refused a write: {refused}")
        if status["pending"]:
            return 0
        return int(
            self.js(
                "[...document.querySelectorAll('#timeline li:not(.empty)')]"
                ".filter(li => !li.querySelector('.badge')).length"
            )
        )


def _pss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def memory_kib() -> dict[str, int]:
    """PSS of this process and of its descendants (WebKit's web and network processes),
    and this process's RSS, in KiB."""
    me = os.getpid()
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
    family, grew = {me}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in family and pid not in family:
                family.add(pid)
                grew = True
    rss = next(
        int(line.split()[1])
        for line in Path("/proc/self/status").read_text().splitlines()
        if line.startswith("VmRSS:")
    )
    python = _pss_kib(me)
    others = 0
    for pid in family - {me}:
        with contextlib.suppress(OSError):
            others += _pss_kib(pid)
    return {
        "python_pss": python,
        "webkit_pss": others,
        "total_pss": python + others,
        "python_rss": rss,
    }


def main() -> int:
    out, unix_user = Path(sys.argv[1]), sys.argv[2]
    password = sys.stdin.readline().rstrip("\n")
    options, transport = configure([])
    options = dataclasses.replace(
        options,
        username=unix_user,
        authenticate=pam_authenticator("login"),
        outbox_path=out / "state" / "outbox.json",
        idle_seconds=3600,
    )

    return run_driven(options, transport, out, partial(LabDriver, out=out, password=password))


if __name__ == "__main__":
    sys.exit(main())
