"""Drives the real client window (WebKit2GTK under Xvfb) against the in-memory fake
appliance, for tests only. Run inside a private D-Bus session with an unlocked
gnome-keyring: `python -m tests.desktop.ui_driver OUT_DIR` (see test_window.py).

Typing goes through the X server (xdotool), so keystrokes reach the page the way a
person's do; evaluate_js reads the page's state and clicks what has no shortcut.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bia_desktop.app import Options, Running, run
from bia_desktop.bus_watch import SCREENSAVER
from jeepney import DBusAddress, message_bus, new_signal
from jeepney.io.blocking import Proxy, open_dbus_connection

from tests.desktop.fakes import FakeTransport

PASSWORD = "correct horse"
ENTRY_COUNT = "document.querySelectorAll('#timeline li:not(.empty)').length"
SCREENSAVER_PATH = DBusAddress("/org/freedesktop/ScreenSaver", interface=SCREENSAVER)


class PageDriver:
    """Reads and drives the page of a running client; shared with lab_driver.py."""

    def __init__(self, running: Running, out: Path) -> None:
        self.running = running
        self.window = running.window
        self.out = out
        self.report: dict[str, Any] = {"screenshots": [], "steps": []}

    def js(self, script: str) -> Any:
        return self.window.evaluate_js(script)

    def until(self, what: str, check: Callable[[], Any], timeout: float = 10) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = check()
            if value:
                self.report["steps"].append(what)
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for: {what}")
            time.sleep(0.05)

    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], check=True)

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "40", "--", text)  # text may start with "-"

    def key(self, *keys: str) -> None:
        self.xdotool("key", "--delay", "60", *keys)

    def window_id(self) -> str:
        out = subprocess.run(
            ["xdotool", "search", "--name", "^Bia$"], capture_output=True, text=True, check=True
        )
        return out.stdout.split()[0]

    def screenshot(self, name: str) -> None:
        """A capture can be blank, or a frame behind the page: retry until it has content
        and two captures in a row show the same pixels."""
        path = self.out / f"{name}.png"
        previous = ""
        for _ in range(40):
            time.sleep(0.3)
            subprocess.run(["import", "-window", self.window_id(), str(path)], check=True)
            colours, signature = subprocess.run(
                ["identify", "-format", "%k %#", str(path)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            if int(colours) > 64 and signature == previous:
                self.report["screenshots"].append(path.name)
                return
            previous = signature
        raise AssertionError(f"screenshot {name} stayed blank or kept changing")

    def send_screensaver_active(self) -> float:
        """Say on the session bus, as a screensaver would, that the screen is locked;
        returns when it was said (time.monotonic())."""
        with open_dbus_connection("SESSION") as bus:
            Proxy(message_bus, bus).RequestName(SCREENSAVER)
            said_at = time.monotonic()
            bus.send(new_signal(SCREENSAVER_PATH, "ActiveChanged", "b", (True,)))
        return said_at

    def drive(self) -> None:
        raise NotImplementedError

    def sign_in_from_first_page(self, ready_seconds: float) -> None:
        """Wait for the page, focus the window, capture it signed out, press Sign in."""
        self.until(
            "page ready", lambda: self.js("document.body.dataset.ready") == "true", ready_seconds
        )
        wid = self.window_id()
        self.xdotool("windowfocus", "--sync", wid)
        self.xdotool("mousemove", "--window", wid, "500", "400")
        self.screenshot("00-signed-out")
        self.js("document.getElementById('signin-button').click()")

    def log_bloating_of_7(self) -> None:
        """A symptom, all from the keyboard: S, type-ahead in the list, arrows, Ctrl+Enter."""
        self.key("Escape")
        self.js("document.activeElement.blur()")
        self.key("s")
        self.until("symptom form", lambda: self.js("document.activeElement.name") == "type")
        self.type("bloat")  # type-ahead in the select
        self.js("document.getElementById('severity').focus()")
        self.key("Right", "Right")  # from 5
        self.screenshot("02-symptom")
        self.key("ctrl+Return")

    def log_bristol_4_with_urgency(self) -> None:
        """A bowel movement: B, then 4 picks Bristol type 4; urgency by a click."""
        self.js("document.activeElement.blur()")
        self.key("b")
        self.js("document.activeElement.blur()")
        self.key("4")
        self.js("document.querySelector('#form-bowel_movement input[name=urgency]').click()")
        self.screenshot("03-bowel-movement")
        self.key("ctrl+Return")

    def capture_day_and_week(self) -> None:
        """The day view once it lists the three entries just logged, then the week view,
        then back (V)."""
        self.js("document.activeElement.blur()")
        self.until("day shows three entries", lambda: self.js(ENTRY_COUNT) == 3, 20)
        self.screenshot("04-day")
        self.key("w")
        self.until(
            "week view", lambda: self.js("document.querySelectorAll('#week .col').length") == 7
        )
        self.screenshot("05-week")
        self.key("v")

    def hidden(self, element_id: str) -> bool:
        return bool(
            self.js(f"document.getElementById('{element_id}').classList.contains('hidden')")
        )


class Driver(PageDriver):
    def __init__(self, running: Running, out: Path, transport: FakeTransport) -> None:
        super().__init__(running, out)
        self.transport = transport

    def drive(self) -> None:
        self.sign_in_from_first_page(30)
        self.until(
            "signed in",
            lambda: self.js("document.getElementById('signin').classList.contains('hidden')"),
        )
        self.until(
            "favourites shown",
            lambda: self.js("document.querySelectorAll('#favourites button').length") >= 3,
        )

        # A meal: search as you type, Enter on the first hit, a favourite, a portion.
        self.js("document.getElementById('food-search').focus()")
        self.type("oat")
        self.until(
            "search results",
            lambda: self.js("document.querySelectorAll('#food-results li[role=option]').length"),
        )
        self.key("Return")
        self.until(
            "oats added",
            lambda: "Porridge oats" in self.js("document.getElementById('meal-items').textContent"),
        )
        self.js(
            "[...document.querySelectorAll('#favourites button')]"
            ".find(b => b.textContent.startsWith('Banana')).click()"
        )
        self.js(
            "const amount = document.querySelector('#meal-items li input');"
            "amount.focus(); amount.select()"
        )
        self.type("60")
        self.js(
            "document.querySelector('#meal-items li select').value = 'g';"
            "document.querySelector('#meal-items li select').dispatchEvent(new Event('change'))"
        )
        self.screenshot("01-meal")
        self.key("ctrl+Return")
        self.until(
            "meal saved", lambda: any(e["kind"] == "meal" for e in self.transport.entries.values())
        )

        self.log_bloating_of_7()
        self.until(
            "symptom saved",
            lambda: any(e["kind"] == "symptom" for e in self.transport.entries.values()),
        )

        self.log_bristol_4_with_urgency()
        self.until(
            "bowel movement saved",
            lambda: any(e["kind"] == "bowel_movement" for e in self.transport.entries.values()),
        )

        self.capture_day_and_week()

        # Offline: a note waits in the outbox and the header says so.
        self.transport.online = False
        self.key("n")
        self.type("Bad night, woke at 4 with cramps.")
        self.key("ctrl+Return")
        self.until(
            "pending shown",
            lambda: not self.js("document.getElementById('pending').classList.contains('hidden')"),
        )
        self.js("document.activeElement.blur()")
        self.key("p")
        self.until(
            "pending panel",
            lambda: self.js("document.querySelectorAll('#pending-list li').length") == 1,
        )
        self.screenshot("06-pending")
        self.report["pending_text"] = self.js("document.getElementById('pending').textContent")
        self.transport.online = True
        self.transport.reject_next = True  # back online, but the appliance refuses it once
        self.js("document.getElementById('retry').click()")
        self.until(
            "refused, with a way to send it again",
            lambda: self.js(
                "[...document.querySelectorAll('#pending-list li.rejected button')]"
                ".some(b => b.textContent === 'Send again')"
            ),
        )
        self.report["refused_text"] = self.js("document.getElementById('pending').textContent")
        self.js(
            "[...document.querySelectorAll('#pending-list li.rejected button')]"
            ".find(b => b.textContent === 'Send again').click()"
        )
        self.until(
            "sent after retry",
            lambda: any(e["kind"] == "note" for e in self.transport.entries.values()),
        )
        self.until(
            "pending gone",
            lambda: self.js("document.getElementById('pending').classList.contains('hidden')"),
        )

        # The OS locks: everything leaves the page, the token leaves memory.
        # ... as a screensaver says on the session bus (the test's private one).
        locked_at = self.send_screensaver_active()
        self.until(
            "lock screen",
            lambda: (
                not self.js("document.getElementById('lockscreen').classList.contains('hidden')")
            ),
            1,
        )
        self.report["lock_seconds"] = time.monotonic() - locked_at
        self.report["lock_reason"] = self.running.client.guard.lock_reason
        self.report["entries_in_page_when_locked"] = self.js(
            "document.querySelectorAll('#timeline li, #week button').length"
        )
        self.report["token_in_memory_when_locked"] = self.running.client.tokens.present
        self.screenshot("07-locked")
        self.type("wrong password")
        self.key("Return")
        self.until(
            "refused",
            lambda: (
                "did not unlock" in self.js("document.getElementById('unlock-message').textContent")
            ),
        )
        self.report["locked_after_wrong"] = self.running.client.guard.locked
        self.type(PASSWORD)
        self.key("Return")
        self.until(
            "unlocked",
            lambda: self.js("document.getElementById('lockscreen').classList.contains('hidden')"),
        )
        self.until(
            "timeline back",
            lambda: self.js(ENTRY_COUNT) == 4,
        )
        self.report["token_in_memory_after_unlock"] = self.running.client.tokens.present
        self.report["server_entries"] = sorted(e["kind"] for e in self.transport.entries.values())
        self.report["meal"] = next(
            e for e in self.transport.entries.values() if e["kind"] == "meal"
        )
        self.report["symptom"] = next(
            e for e in self.transport.entries.values() if e["kind"] == "symptom"
        )
        self.report["bowel_movement"] = next(
            e for e in self.transport.entries.values() if e["kind"] == "bowel_movement"
        )
        self.report["page_html_has_token"] = any(
            t in self.js("document.documentElement.outerHTML") for t in self.transport.valid_access
        )


def run_driven(
    options: Options,
    transport: Any,
    out: Path,
    driver_for: Callable[[Running], PageDriver],
) -> int:
    """Run the client and, once its window is up, drive it with the driver made by
    ``driver_for``; write its report (with a failure screenshot and the traceback if it
    failed) to out/report.json."""
    result: dict[str, Any] = {}

    def on_started(running: Running) -> None:
        driver = driver_for(running)
        try:
            driver.drive()
            result.update(driver.report)
            result.setdefault("ok", True)
        except Exception:
            result.update(driver.report, ok=False, error=traceback.format_exc())
            with contextlib.suppress(Exception):  # the report says what failed already
                driver.screenshot("99-failure")
        finally:
            (out / "report.json").write_text(json.dumps(result, indent=1, default=str))
            running.window.destroy()

    code = run(options, transport, on_started=on_started)
    return code if result.get("ok") else 1


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    transport = FakeTransport()
    opened: list[str] = []
    options = Options(
        appliance="ui-test",
        outbox_path=out / "state" / "outbox.json",
        authenticate=lambda user, password: password == PASSWORD,
        open_browser=opened.append,
        idle_seconds=3600,
    )

    def driver_for(running: Running) -> PageDriver:
        driver = Driver(running, out, transport)
        driver.report["browser_opened"] = opened
        return driver

    return run_driven(options, transport, out, driver_for)


if __name__ == "__main__":
    sys.exit(main())
