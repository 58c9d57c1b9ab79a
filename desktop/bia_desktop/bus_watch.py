"""Watch the OS session lock over D-Bus (jeepney: pure Python, what keyring uses).

- logind (system bus): the session's LockedHint property (PropertiesChanged) is the
  state; its Lock signal is a request to lock; Manager.PrepareForSleep(true) means
  the machine is about to sleep.
- org.freedesktop.ScreenSaver (session bus): ActiveChanged(true).

Signals only ever lock. Any process on the session bus can send a fake
ActiveChanged, which at worst locks Bia; nothing received here can unlock it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Callable
from typing import Any, Final

from jeepney import DBusAddress, MatchRule, message_bus, new_method_call
from jeepney.io.blocking import DBusConnection, Proxy, open_dbus_connection
from jeepney.low_level import Message

log = logging.getLogger(__name__)

LOGIN1: Final = "org.freedesktop.login1"
LOGIN1_PATH: Final = "/org/freedesktop/login1"
LOGIN1_MANAGER: Final = "org.freedesktop.login1.Manager"
LOGIN1_SESSION: Final = "org.freedesktop.login1.Session"
PROPERTIES: Final = "org.freedesktop.DBus.Properties"
SCREENSAVER: Final = "org.freedesktop.ScreenSaver"

LockCallback = Callable[[str], None]


def _session_path(conn: DBusConnection) -> str:
    manager = DBusAddress(LOGIN1_PATH, bus_name=LOGIN1, interface=LOGIN1_MANAGER)
    session_id = os.environ.get("XDG_SESSION_ID")
    if session_id:
        msg = new_method_call(manager, "GetSession", "s", (session_id,))
    else:
        msg = new_method_call(manager, "GetSessionByPID", "u", (os.getpid(),))
    reply = conn.send_and_get_reply(msg, timeout=5)
    if reply.header.message_type.name == "error":
        raise RuntimeError(f"logind has no session for this process: {reply.body}")
    return str(reply.body[0])


def logind_rules(session_path: str) -> dict[str, MatchRule]:
    return {
        "locked-hint": MatchRule(
            type="signal",
            interface=PROPERTIES,
            member="PropertiesChanged",
            path=session_path,
        ),
        "lock": MatchRule(
            type="signal", interface=LOGIN1_SESSION, member="Lock", path=session_path
        ),
        "sleep": MatchRule(
            type="signal", interface=LOGIN1_MANAGER, member="PrepareForSleep", path=LOGIN1_PATH
        ),
    }


def screensaver_rules() -> dict[str, MatchRule]:
    return {"screensaver": MatchRule(type="signal", interface=SCREENSAVER, member="ActiveChanged")}


def lock_reason(kind: str, body: tuple[Any, ...]) -> str | None:
    """The reason to lock for a received signal, or None if it does not mean 'lock'."""
    if kind == "locked-hint":
        interface, changed = body[0], body[1]
        if interface == LOGIN1_SESSION and "LockedHint" in changed:
            _signature, value = changed["LockedHint"]
            return "os-session-locked" if value else None
        return None
    if kind == "lock":
        return "os-lock-requested"
    if kind in ("sleep", "screensaver"):
        return f"os-{kind}" if body and body[0] else None
    return None


class BusWatcher:
    """One thread per bus, listening for the signals that mean 'lock now'."""

    def __init__(self, name: str, bus: str, on_lock: LockCallback, *, logind: bool) -> None:
        self.name = name
        self._bus = bus
        self._on_lock = on_lock
        self._logind = logind
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._error: str | None = None
        self._thread = threading.Thread(target=self._run, name=f"bia-watch-{name}", daemon=True)

    def start(self, ready_timeout: float = 5.0) -> bool:
        """Start listening; True once the match rules are in place."""
        self._thread.start()
        self._ready.wait(ready_timeout)
        return self._error is None and self._ready.is_set()

    @property
    def error(self) -> str | None:
        return self._error

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        try:
            with open_dbus_connection(bus=self._bus) as conn:
                rules = logind_rules(_session_path(conn)) if self._logind else screensaver_rules()
                self._listen(conn, rules)
        except Exception as exc:  # no bus, no logind: the idle timer still guards
            self._error = f"{type(exc).__name__}: {exc}"
            log.warning("not watching %s for locks: %s", self.name, self._error)
            self._ready.set()

    def _listen(self, conn: DBusConnection, rules: dict[str, MatchRule]) -> None:
        bus = Proxy(message_bus, conn)
        for rule in rules.values():
            bus.AddMatch(rule)
        queue: deque[Message] = deque()
        filters = [conn.filter(rule, queue=queue, bufsize=64) for rule in rules.values()]
        try:
            self._ready.set()
            while not self._stop.is_set():
                try:
                    msg = conn.recv_until_filtered(queue, timeout=0.25)
                except TimeoutError:
                    continue
                self._dispatch(msg, rules)
        finally:
            for f in filters:
                f.close()

    def _dispatch(self, msg: Message, rules: dict[str, MatchRule]) -> None:
        for kind, rule in rules.items():
            if rule.matches(msg):
                reason = lock_reason(kind, msg.body)
                if reason is not None:
                    self._on_lock(reason)
                return


def watch_os_lock(
    on_lock: LockCallback, *, session_bus: str = "SESSION", system_bus: str = "SYSTEM"
) -> list[BusWatcher]:
    """Start both watchers; those that could not start carry an error."""
    watchers = [
        BusWatcher("screensaver", session_bus, on_lock, logind=False),
        BusWatcher("logind", system_bus, on_lock, logind=True),
    ]
    for watcher in watchers:
        watcher.start()
    return watchers
