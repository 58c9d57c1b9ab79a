import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.desktop
pytest.importorskip("keyring")

from bia_desktop.api import Api  # noqa: E402
from bia_desktop.client import Client  # noqa: E402
from bia_desktop.guard import SessionGuard  # noqa: E402
from bia_desktop.outbox import Outbox  # noqa: E402

from tests.desktop.fakes import FakeTransport, MemoryTokenStore  # noqa: E402

DAY = "2026-12-04"
MEAL = {
    "time": f"{DAY}T08:15",
    "items": [{"food_id": "f-oats", "name": "Porridge oats", "amount": 60, "unit": "g"}],
}


class Rig:
    def __init__(self, tmp_path: Path) -> None:
        self.transport = FakeTransport()
        self.store = MemoryTokenStore()
        self.opened: list[str] = []
        self.guard = SessionGuard(
            authenticate=lambda user, pw: (user, pw) == ("alice", "right"), username="alice"
        )
        self.client = Client(
            transport=self.transport,
            keychain=self.store,
            guard=self.guard,
            outbox=Outbox(tmp_path / "outbox.json"),
            open_browser=self.opened.append,
        )
        self.api = Api(self.client)
        self.results: list[Any] = []

    def call(self, result: Any) -> Any:
        self.results.append(result)
        return result

    def sign_in(self) -> None:
        assert self.call(self.api.session.begin_login())["ok"]
        deadline = time.monotonic() + 5
        while self.api.session.status()["login"] != "signed-in":
            assert time.monotonic() < deadline, self.api.session.status()
            time.sleep(0.01)

    def secrets(self) -> list[str]:
        return [*self.transport.valid_access, *self.transport.refresh_tokens]


@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    return Rig(tmp_path)


def test_login_opens_the_browser_and_keeps_tokens_out_of_every_answer(rig: Rig) -> None:
    rig.sign_in()
    assert rig.opened and rig.opened[0].startswith("https://appliance.test/login/")
    assert rig.store.value is not None  # refresh token in the keychain
    assert rig.client.tokens.present  # access token in memory
    rig.call(rig.api.journal.save("meal", MEAL))
    rig.call(rig.api.journal.day(DAY))
    rig.call(rig.api.session.status())
    rig.call(rig.api.outbox.list())
    answers = json.dumps(rig.results)
    assert rig.secrets() and not any(s in answers for s in rig.secrets())


def test_a_logged_meal_reaches_the_appliance_and_shows_on_the_day(rig: Rig) -> None:
    rig.sign_in()
    saved = rig.api.journal.save("meal", MEAL)
    assert saved["ok"] and not saved["pending"]
    [entry] = rig.api.journal.day(DAY)["entries"]
    assert entry["items"][0]["name"] == "Porridge oats" and "pending" not in entry
    assert rig.api.journal.week("2026-12-06")["start"] == "2026-11-30"  # Monday
    assert rig.api.journal.day("2026-12-05")["entries"] == []


def test_offline_writes_wait_show_as_pending_and_are_sent_once_with_their_key(rig: Rig) -> None:
    rig.sign_in()
    rig.transport.online = False
    saved = rig.api.journal.save(
        "symptom", {"type": "bloating", "severity": 6, "onset": f"{DAY}T10:00"}
    )
    assert saved == {"ok": True, "entry_id": saved["entry_id"], "pending": True}
    assert rig.api.session.status()["pending"] == 1
    [write] = rig.api.outbox.list()["writes"]
    assert write["kind"] == "symptom" and write["attempts"] == 1
    day = rig.api.journal.day(DAY)
    assert not day["online"] and day["entries"][0]["pending"] is True

    rig.transport.online = True
    assert rig.api.outbox.retry()["sent"] == 1
    assert rig.api.outbox.retry()["sent"] == 0
    assert rig.transport.applied_keys == [write["key"]]
    assert rig.api.session.status()["pending"] == 0


def test_locking_drops_the_access_token_and_refuses_the_journal(rig: Rig) -> None:
    rig.sign_in()
    rig.api.session.lock()
    assert not rig.client.tokens.present
    for answer in (
        rig.api.journal.day(DAY),
        rig.api.journal.save("meal", MEAL),
        rig.api.catalog.search("oat"),
        rig.api.outbox.list(),
    ):
        assert answer["ok"] is False and answer["locked"] is True
    assert rig.api.session.unlock("wrong") == {
        "ok": False,
        "error": "That password did not unlock Bia. Try again.",
    }
    assert rig.api.session.unlock("right") == {"ok": True, "online": True}
    assert rig.client.tokens.present  # a fresh one, from the keychain's refresh token
    assert rig.api.catalog.search("oat")["foods"][0]["name"] == "Porridge oats"


def test_logout_forgets_the_refresh_token(rig: Rig) -> None:
    rig.sign_in()
    rig.api.session.logout()
    assert rig.store.value is None and not rig.client.tokens.present
    assert rig.transport.refresh_tokens == set()  # revoked at the appliance


def test_the_page_cannot_reach_private_state_through_pywebviews_bridge(rig: Rig) -> None:
    webview_util = pytest.importorskip("webview.util")
    rig.sign_in()
    calls: list[str] = []
    done = threading.Event()

    class Window:
        def __init__(self) -> None:
            self._functions: dict[str, Any] = {}
            self._js_api = rig.api

        def evaluate_js(self, script: str) -> None:
            calls.append(script)
            done.set()

    for path in (
        "session._get",
        "session.status.__self__._get",
        "__dict__.get",
        "session.__dict__.get",
        "session.__getattribute__",
        "_client_cell",
    ):
        webview_util.js_bridge_call(Window(), path, [], "1")
    time.sleep(0.2)
    assert calls == []  # none of them resolved to something callable

    webview_util.js_bridge_call(Window(), "session.status", [], "2")
    assert done.wait(5)
    assert '"signed_in": true' in calls[0]
    assert not any(s in calls[0] for s in rig.secrets())


def test_pywebview_exposes_exactly_the_public_methods(rig: Rig) -> None:
    exposed = sorted(
        f"{ns}.{name}"
        for ns in dir(rig.api)
        for name in dir(getattr(rig.api, ns))
        if callable(getattr(getattr(rig.api, ns), name))
    )
    assert exposed == [
        "catalog.recent",
        "catalog.search",
        "journal.day",
        "journal.delete",
        "journal.options",
        "journal.save",
        "journal.week",
        "outbox.discard",
        "outbox.list",
        "outbox.retry",
        "outbox.send_again",
        "session.activity",
        "session.begin_login",
        "session.lock",
        "session.logout",
        "session.status",
        "session.unlock",
    ]
    with pytest.raises(AttributeError):
        rig.api.session = None


def test_edit_and_delete_go_through_the_outbox_with_the_same_entry(rig: Rig) -> None:
    rig.sign_in()
    entry_id = rig.api.journal.save("meal", MEAL)["entry_id"]
    changed = {**MEAL, "note": "smaller than usual"}
    assert rig.api.journal.save("meal", changed, entry_id) == {
        "ok": True,
        "entry_id": entry_id,
        "pending": False,
    }
    assert rig.transport.entries[entry_id]["note"] == "smaller than usual"
    assert rig.api.journal.delete("meal", entry_id) == {"ok": True, "pending": False}
    assert rig.api.journal.day(DAY)["entries"] == []
    assert len(rig.transport.applied_keys) == 3  # create, update, delete: three keys


def test_a_deletion_made_offline_hides_the_entry_until_it_is_sent(rig: Rig) -> None:
    rig.sign_in()
    entry_id = rig.api.journal.save("note", {"date": DAY, "text": "x"})["entry_id"]
    rig.transport.online = False
    assert rig.api.journal.delete("note", entry_id)["pending"] is True
    rig.transport.online = True  # reachable again, the deletion not retried yet
    assert entry_id in rig.transport.entries
    day = rig.api.journal.day(DAY)
    assert day["online"] and day["entries"] == []


def test_a_mistake_comes_back_as_a_message_not_an_exception(rig: Rig) -> None:
    answer = rig.api.journal.save("bowel_movement", {"time": f"{DAY}T07:00", "bristol": 9})
    assert answer == {"ok": False, "error": "'bristol' must be from 1 to 7, not 9"}
    assert rig.api.outbox.list()["writes"] == []  # nothing invalid is queued


def test_the_retry_loop_sends_waiting_writes_but_not_while_locked(rig: Rig) -> None:
    from bia_desktop.app import retry_pending

    rig.sign_in()
    rig.transport.online = False
    rig.api.journal.save("note", {"date": DAY, "text": "later"})
    rig.transport.online = True
    rig.api.session.lock()
    stop = threading.Event()
    loop = threading.Thread(target=retry_pending, args=(rig.client, stop, 0.02))
    loop.start()
    try:
        time.sleep(0.2)
        assert rig.transport.entries == {}  # locked: nothing sent, nothing lost
        assert rig.api.session.unlock("right")["ok"]
        deadline = time.monotonic() + 5
        while not rig.transport.entries:
            assert time.monotonic() < deadline, "not retried after unlocking"
            time.sleep(0.02)
    finally:
        stop.set()
        loop.join()
    assert rig.client.outbox.pending() == []


def test_debug_logging_leaves_the_http2_libraries_at_info() -> None:
    """`bia --debug`: hpack's debug log has the encoded headers, the access token too."""
    import logging

    from bia_desktop.app import configure_logging

    root = logging.getLogger()
    saved = (root.level, root.handlers[:])
    root.handlers.clear()  # as in a fresh process: basicConfig applies
    names = ("hpack", "hpack.hpack", "h2", "h2.connection", "grpclib", "grpclib.protocol")
    try:
        configure_logging(debug=True)
        assert logging.getLogger("bia_desktop.client").isEnabledFor(logging.DEBUG)
        for name in names:
            assert not logging.getLogger(name).isEnabledFor(logging.DEBUG), name
            assert logging.getLogger(name).isEnabledFor(logging.INFO), name
    finally:
        for handler in root.handlers:
            root.removeHandler(handler)
        root.handlers[:] = saved[1]
        root.setLevel(saved[0])
        for name in ("hpack", "h2", "grpclib"):
            logging.getLogger(name).setLevel(logging.NOTSET)
