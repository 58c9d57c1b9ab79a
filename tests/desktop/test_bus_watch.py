"""The guard against real signals on a private dbus-daemon (no desktop needed)."""

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.desktop
pytest.importorskip("jeepney")

from bia_desktop.bus_watch import (  # noqa: E402
    LOGIN1,
    LOGIN1_MANAGER,
    LOGIN1_PATH,
    LOGIN1_SESSION,
    SCREENSAVER,
    watch_os_lock,
)
from bia_desktop.guard import SessionGuard  # noqa: E402
from bia_desktop.secret import AccessTokenHolder, Secret  # noqa: E402
from jeepney import DBusAddress, HeaderFields, MessageType, new_method_return, new_signal  # noqa: E402
from jeepney.bus_messages import message_bus  # noqa: E402
from jeepney.io.blocking import DBusConnection, Proxy, open_dbus_connection  # noqa: E402

from tests.desktop.session import PrivateBus, have  # noqa: E402

SESSION_PATH = "/org/freedesktop/login1/session/_31"


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[PrivateBus]:
    if not have("dbus-daemon"):
        pytest.skip("dbus-daemon is not installed")
    private = PrivateBus(tmp_path)
    yield private
    private.close()


class FakeLogind:
    """Owns org.freedesktop.login1 on a private bus and answers GetSession*."""

    def __init__(self, address: str) -> None:
        self.conn = open_dbus_connection(address)
        Proxy(message_bus, self.conn).RequestName(LOGIN1)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while not self.stop.is_set():
            try:
                msg = self.conn.receive(timeout=0.2)
            except TimeoutError:
                continue
            member = msg.header.fields.get(HeaderFields.member)
            if msg.header.message_type == MessageType.method_call and member in (
                "GetSession",
                "GetSessionByPID",
            ):
                self.conn.send(new_method_return(msg, "o", (SESSION_PATH,)))

    def emit(
        self, interface: str, member: str, signature: str | None, body: tuple[object, ...]
    ) -> None:
        path = LOGIN1_PATH if interface == LOGIN1_MANAGER else SESSION_PATH
        self.conn.send(new_signal(DBusAddress(path, interface=interface), member, signature, body))

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.conn.close()


def guarded() -> tuple[SessionGuard, AccessTokenHolder]:
    guard = SessionGuard(authenticate=lambda u, p: False, username="alice", idle_seconds=3600)
    tokens = AccessTokenHolder()
    tokens.set(Secret("access-123"))
    guard.add_lock_listener(lambda _reason: tokens.drop())
    return guard, tokens


def wait_locked(guard: SessionGuard, within: float) -> float:
    start = time.monotonic()
    while not guard.locked:
        elapsed = time.monotonic() - start
        assert elapsed < within, f"not locked after {elapsed:.2f} s"
        time.sleep(0.01)
    return time.monotonic() - start


def test_screensaver_active_locks_within_a_second_and_drops_the_token(bus: PrivateBus) -> None:
    guard, tokens = guarded()
    watchers = watch_os_lock(guard.lock, session_bus=bus.address, system_bus=bus.address)
    screensaver: DBusConnection = open_dbus_connection(bus.address)
    try:
        Proxy(message_bus, screensaver).RequestName(SCREENSAVER)
        address = DBusAddress(
            "/org/freedesktop/ScreenSaver", interface="org.freedesktop.ScreenSaver"
        )
        screensaver.send(new_signal(address, "ActiveChanged", "b", (False,)))
        time.sleep(0.3)
        assert not guard.locked  # the screensaver going away is not a reason to lock
        screensaver.send(new_signal(address, "ActiveChanged", "b", (True,)))
        wait_locked(guard, within=1.0)
        assert guard.lock_reason == "os-screensaver"
        assert not tokens.present
    finally:
        screensaver.close()
        for w in watchers:
            w.stop()


@pytest.mark.parametrize(
    ("interface", "member", "signature", "body", "reason"),
    [
        (
            "org.freedesktop.DBus.Properties",
            "PropertiesChanged",
            "sa{sv}as",
            (LOGIN1_SESSION, {"LockedHint": ("b", True)}, []),
            "os-session-locked",
        ),
        (LOGIN1_SESSION, "Lock", None, (), "os-lock-requested"),
        (LOGIN1_MANAGER, "PrepareForSleep", "b", (True,), "os-sleep"),
    ],
    ids=["LockedHint", "Lock", "PrepareForSleep"],
)
def test_logind_locks_within_a_second(
    bus: PrivateBus,
    interface: str,
    member: str,
    signature: str | None,
    body: tuple[object, ...],
    reason: str,
) -> None:
    logind = FakeLogind(bus.address)
    guard, tokens = guarded()
    watchers = watch_os_lock(guard.lock, session_bus=bus.address, system_bus=bus.address)
    try:
        assert all(w.error is None for w in watchers), [w.error for w in watchers]
        logind.emit(
            "org.freedesktop.DBus.Properties",
            "PropertiesChanged",
            "sa{sv}as",
            (LOGIN1_SESSION, {"LockedHint": ("b", False)}, []),
        )
        time.sleep(0.3)
        assert not guard.locked
        logind.emit(interface, member, signature, body)
        wait_locked(guard, within=1.0)
        assert guard.lock_reason == reason
        assert not tokens.present
    finally:
        for w in watchers:
            w.stop()
        logind.close()


def test_without_a_bus_the_watchers_say_so_and_the_guard_still_works(tmp_path: Path) -> None:
    guard, _ = guarded()
    missing = f"unix:path={tmp_path}/no-such-bus"
    watchers = watch_os_lock(guard.lock, session_bus=missing, system_bus=missing)
    assert all(w.error for w in watchers)
    guard.lock("user")
    assert guard.locked
