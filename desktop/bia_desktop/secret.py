"""Secrets that must not leak through repr(), logs or tracebacks."""

from __future__ import annotations

import hmac
import threading
from typing import Final

_REDACTED: Final = "<redacted>"


class Secret:
    """A string that prints as <redacted>; reveal() is the one way to read it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not value:
            raise ValueError("a secret cannot be empty")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def matches(self, other: str) -> bool:
        # Constant time, so a comparison cannot be timed to guess the value.
        return hmac.compare_digest(self._value.encode(), other.encode())

    def __repr__(self) -> str:
        return _REDACTED

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and self.matches(other._value)

    def __hash__(self) -> int:
        return hash(Secret)


class AccessTokenHolder:
    """The access token lives here, in this process's memory only, and nowhere else.

    Methods run on pywebview's worker threads and on the guard's threads at once,
    hence the lock; drop() is what locking the session calls.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._token: Secret | None = None

    def set(self, token: Secret) -> None:
        with self._lock:
            self._token = token

    def get(self) -> Secret | None:
        with self._lock:
            return self._token

    def drop(self) -> None:
        with self._lock:
            self._token = None

    @property
    def present(self) -> bool:
        with self._lock:
            return self._token is not None
