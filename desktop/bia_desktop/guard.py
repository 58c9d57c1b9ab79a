"""The session guard: the OS lock is the client's lock.

The client locks when the OS session locks (watched over D-Bus by bus_watch.py),
when nobody has touched it for a while, or on request. Locking hides every entry
(through the listeners, e.g. the window) and drops the access token from memory.
Unlocking takes the user's own OS password, checked through PAM for the user this
process runs as: the page never chooses whose password is checked.
"""

from __future__ import annotations

import logging
import os
import pwd
import threading
import time
from collections.abc import Callable
from typing import Final, Protocol

log = logging.getLogger(__name__)

DEFAULT_IDLE_SECONDS: Final = 300.0
DEFAULT_PAM_SERVICE: Final = "login"  # what console logins and i3lock use: common-auth


class Authenticator(Protocol):
    def __call__(self, username: str, password: str) -> bool: ...


def pam_authenticator(service: str = DEFAULT_PAM_SERVICE) -> Authenticator:
    """Check a password through PAM. As non-root, pam_unix can only check this
    process's own user (through the setgid unix_chkpwd), which is all we ask of it."""
    import pam  # python-pam: imported late so the rest of the guard works without it

    def authenticate(username: str, password: str) -> bool:
        # A fresh handle per call: python-pam's module function is thread-safe this way.
        return bool(pam.authenticate(username, password, service=service))

    return authenticate


def current_username() -> str:
    return pwd.getpwuid(os.getuid()).pw_name


LockListener = Callable[[str], None]


class SessionGuard:
    """Locked or not, the idle timer, and unlocking by password. Thread-safe."""

    def __init__(
        self,
        *,
        authenticate: Authenticator,
        username: str | None = None,
        idle_seconds: float = DEFAULT_IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if idle_seconds <= 0:
            raise ValueError("idle_seconds must be positive")
        self._authenticate = authenticate
        self._username = username if username is not None else current_username()
        self._idle_seconds = idle_seconds
        self._clock = clock
        self._state_lock = threading.Lock()
        # One password check at a time: parallel guesses from the page gain nothing.
        self._unlock_lock = threading.Lock()
        self._locked = False
        self._lock_reason = ""
        self._last_activity = clock()
        self._listeners: list[LockListener] = []
        self._stop = threading.Event()
        self._idle_thread: threading.Thread | None = None

    @property
    def username(self) -> str:
        return self._username

    @property
    def locked(self) -> bool:
        with self._state_lock:
            return self._locked

    @property
    def lock_reason(self) -> str:
        with self._state_lock:
            return self._lock_reason

    @property
    def idle_seconds(self) -> float:
        return self._idle_seconds

    def add_lock_listener(self, listener: LockListener) -> None:
        with self._state_lock:
            self._listeners.append(listener)

    def lock(self, reason: str) -> None:
        """Lock (again). Listeners run every time: dropping a token twice is harmless,
        keeping one because of a race is not."""
        with self._state_lock:
            newly = not self._locked
            self._locked = True
            if newly:
                self._lock_reason = reason
            listeners = list(self._listeners)
        if newly:
            log.info("session locked: %s", reason)
        for listener in listeners:
            try:
                listener(reason)
            except Exception:  # one failing listener must not stop the others
                log.exception("lock listener failed")

    def unlock(self, password: str) -> bool:
        with self._unlock_lock:
            if not self.locked:
                return True
            if not password:
                return False
            ok = self._authenticate(self._username, password)
            if ok:
                with self._state_lock:
                    self._locked = False
                    self._lock_reason = ""
                    self._last_activity = self._clock()
                log.info("session unlocked")
            else:
                log.warning("unlock refused: wrong password for %s", self._username)
            return ok

    def touch(self) -> None:
        """The user did something: restart the idle timer (not while locked)."""
        with self._state_lock:
            if not self._locked:
                self._last_activity = self._clock()

    def check_idle(self) -> bool:
        """Lock if idle for too long; True if this call locked."""
        with self._state_lock:
            idle = not self._locked and self._clock() - self._last_activity >= self._idle_seconds
        if idle:
            self.lock("idle")
        return idle

    def start(self, poll_seconds: float = 1.0) -> None:
        if self._idle_thread is not None:
            return
        self._idle_thread = threading.Thread(
            target=self._idle_loop, args=(poll_seconds,), name="bia-idle", daemon=True
        )
        self._idle_thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._idle_thread is not None:
            self._idle_thread.join(timeout=5)
            self._idle_thread = None

    def _idle_loop(self, poll_seconds: float) -> None:
        while not self._stop.wait(poll_seconds):
            self.check_idle()
