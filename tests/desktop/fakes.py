"""An in-memory appliance for tests only: the real client talks gRPC (issues 4, 5)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from datetime import date
from typing import Any

from bia_desktop.secret import Secret
from bia_desktop.transport import (
    LoginStart,
    NotAuthenticated,
    Tokens,
    TransportUnavailable,
    Write,
    WriteRejected,
)

FOODS: list[dict[str, Any]] = [
    {"food_id": "f-oats", "name": "Porridge oats", "fodmap": [], "favourite": True},
    {"food_id": "f-banana", "name": "Banana, firm", "fodmap": [], "favourite": True},
    {"food_id": "f-rice", "name": "White rice, cooked", "fodmap": [], "favourite": False},
    {"food_id": "f-chicken", "name": "Chicken breast", "fodmap": [], "favourite": True},
    {"food_id": "f-onion", "name": "Onion", "fodmap": ["fructans"], "favourite": False},
    {"food_id": "f-garlic", "name": "Garlic", "fodmap": ["fructans"], "favourite": False},
    {"food_id": "f-milk", "name": "Milk, cow's", "fodmap": ["lactose"], "favourite": False},
    {"food_id": "f-lfmilk", "name": "Lactose-free milk", "fodmap": [], "favourite": True},
    {"food_id": "f-apple", "name": "Apple", "fodmap": ["fructose", "sorbitol"], "favourite": False},
    {"food_id": "f-sourdough", "name": "Sourdough spelt bread", "fodmap": [], "favourite": False},
    {"food_id": "f-carrot", "name": "Carrot", "fodmap": [], "favourite": False},
    {"food_id": "f-chickpeas", "name": "Chickpeas, canned", "fodmap": ["GOS"], "favourite": False},
]


class FakeTransport:
    def __init__(self) -> None:
        self.online = True
        self.reject_next = False
        self.lock = threading.Lock()
        self.entries: dict[str, dict[str, Any]] = {}
        self.applied_keys: list[str] = []
        self.write_calls: list[str] = []
        self.valid_access: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.logins: dict[str, bytes] = {}

    def _check_online(self) -> None:
        if not self.online:
            raise TransportUnavailable("connection refused (test)")

    def _check(self, token: Secret) -> None:
        self._check_online()
        if token.reveal() not in self.valid_access:
            raise NotAuthenticated("expired")

    def issue(self) -> Tokens:
        access, refresh = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        with self.lock:
            self.valid_access.add(access)
            self.refresh_tokens.add(refresh)
        return Tokens(Secret(access), Secret(refresh))

    def begin_login(self, secret_hash: bytes) -> LoginStart:
        self._check_online()
        transaction = secrets.token_urlsafe(8)
        self.logins[transaction] = secret_hash
        return LoginStart(transaction, f"https://appliance.test/login/{transaction}")

    def await_tokens(self, transaction: str, secret: bytes) -> Tokens:
        self._check_online()
        expected = self.logins.pop(transaction)
        if not hmac.compare_digest(expected, hashlib.sha256(secret).digest()):
            raise NotAuthenticated("binding secret does not match")
        return self.issue()

    def refresh(self, refresh_token: Secret) -> Tokens:
        self._check_online()
        with self.lock:
            if refresh_token.reveal() not in self.refresh_tokens:
                raise NotAuthenticated("unknown refresh token")
            self.refresh_tokens.discard(refresh_token.reveal())  # rotation
        return self.issue()

    def logout(self, refresh_token: Secret) -> None:
        self._check_online()
        self.refresh_tokens.discard(refresh_token.reveal())

    def write(self, access_token: Secret, write: Write) -> dict[str, Any]:
        self._check(access_token)
        with self.lock:
            self.write_calls.append(write.idempotency_key)
            if self.reject_next:
                self.reject_next = False
                raise WriteRejected("the appliance refused this entry (test)")
            if write.idempotency_key in self.applied_keys:
                return {"duplicate": True}
            self.applied_keys.append(write.idempotency_key)
            if write.operation == "delete":
                self.entries.pop(write.entry_id, None)
            else:
                self.entries[write.entry_id] = {
                    "entry_id": write.entry_id,
                    "kind": write.kind,
                    **write.payload,
                }
        return {"duplicate": False}

    def timeline(self, access_token: Secret, start: date, end: date) -> list[dict[str, Any]]:
        self._check(access_token)
        out = []
        with self.lock:
            for entry in self.entries.values():
                when = entry.get("time") or entry.get("onset") or entry.get("date")
                if start <= date.fromisoformat(str(when)[:10]) <= end:
                    out.append(dict(entry))
        return out

    def search_foods(self, access_token: Secret, query: str, limit: int) -> list[dict[str, Any]]:
        self._check(access_token)
        q = query.lower()
        return [f for f in FOODS if q in f["name"].lower()][:limit]

    def recent_foods(self, access_token: Secret, limit: int) -> list[dict[str, Any]]:
        self._check(access_token)
        return [f for f in FOODS if f["favourite"]][:limit]


class MemoryTokenStore:
    def __init__(self) -> None:
        self.value: Secret | None = None

    def store_refresh_token(self, token: Secret) -> None:
        self.value = token

    def load_refresh_token(self) -> Secret | None:
        return self.value

    def forget_refresh_token(self) -> None:
        self.value = None
