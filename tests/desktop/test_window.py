"""The real window: pywebview's GTK backend on WebKit2GTK under Xvfb, a private D-Bus
session with an unlocked gnome-keyring, and the in-memory fake appliance (for this
test only). ui_driver.py types and clicks through the page; this checks what it saw.
Screenshots land in artifacts/desktop/ (kept as CI artifacts, not committed)."""

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.desktop.session import DBUS_RUN_SESSION, KEYRING_PASSWORD, client_env, have, run_in_group

pytestmark = pytest.mark.desktop
pytest.importorskip("webview")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "desktop"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not have("xvfb-run", "dbus-run-session", "gnome-keyring-daemon", "xdotool", "import"):
        pytest.skip("needs xvfb, dbus, gnome-keyring, xdotool and imagemagick")
    home = tmp_path_factory.mktemp("home")
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    script = (
        f"printf %s {KEYRING_PASSWORD} | gnome-keyring-daemon --unlock --components=secrets"
        ' >/dev/null && exec "$0" -m tests.desktop.ui_driver "$1"'
    )
    env = client_env(home)
    env["PYTHONPATH"] = f"{env['PYTHONPATH']}:{ROOT}"
    run = run_in_group(
        [
            "xvfb-run", "-a", "-s", "-screen 0 1280x900x24",
            *DBUS_RUN_SESSION, "bash", "-c", script, sys.executable, str(ARTIFACTS),
        ],
        env=env,
        cwd=ROOT,
        timeout=300,
    )  # fmt: skip
    (ARTIFACTS / "driver.log").write_text(run.stdout + run.stderr)
    result: dict[str, Any] = json.loads((ARTIFACTS / "report.json").read_text())
    assert run.returncode == 0 and result["ok"], result.get("error") or run.stderr[-3000:]
    return result


def test_a_meal_a_symptom_and_a_bowel_movement_logged_through_the_page(
    report: dict[str, Any],
) -> None:
    meal = report["meal"]
    assert [(i["name"], i["amount"], i["unit"]) for i in meal["items"]] == [
        ("Porridge oats", 60.0, "g"),  # searched as typed, Enter on the first hit
        ("Banana, firm", 1.0, "portion"),  # a favourite, one click
    ]
    assert (report["symptom"]["type"], report["symptom"]["severity"]) == ("bloating", 7)
    assert (report["bowel_movement"]["bristol"], report["bowel_movement"]["urgency"]) == (4, True)
    assert report["server_entries"] == ["bowel_movement", "meal", "note", "symptom"]
    assert report["browser_opened"][0].startswith("https://appliance.test/login/")


def test_an_offline_write_is_shown_as_pending_then_refused_then_sent_again(
    report: dict[str, Any],
) -> None:
    assert report["pending_text"] == "1 waiting to sync"
    assert report["refused_text"] == "0 waiting, 1 refused"
    assert "sent after retry" in report["steps"]  # by the user's "Send again"


def test_the_os_lock_hides_every_entry_and_drops_the_token(report: dict[str, Any]) -> None:
    assert report["lock_reason"] == "os-screensaver"  # ActiveChanged on the session bus
    assert report["lock_seconds"] < 1.0
    assert report["entries_in_page_when_locked"] == 0
    assert report["token_in_memory_when_locked"] is False
    assert report["locked_after_wrong"] is True
    assert report["token_in_memory_after_unlock"] is True
    assert report["page_html_has_token"] is False


def test_screenshots_of_the_main_views(report: dict[str, Any]) -> None:
    expected = ["00-signed-out", "01-meal", "02-symptom", "03-bowel-movement", "04-day"]
    expected += ["05-week", "06-pending", "07-locked"]
    assert report["screenshots"] == [f"{name}.png" for name in expected]
    for name in report["screenshots"]:
        assert (ARTIFACTS / name).stat().st_size > 10_000
