"""Login transactions: short-lived, single use, and stored only under hashes.

A transaction is found by the SHA-256 of its id (what the client holds) or of its OIDC
``state`` (what travels through the browser); neither value itself is kept. The PKCE
verifier and nonce stay in this process's memory only, until the transaction ends.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def sha256(value: str | bytes) -> bytes:
    return hashlib.sha256(value.encode() if isinstance(value, str) else value).digest()


class TransactionError(Exception):
    """Why a transaction cannot be used; safe to show to the client."""


class UnknownTransaction(TransactionError):
    pass


class ExpiredTransaction(TransactionError):
    pass


class WrongBindingSecret(TransactionError):
    pass


@dataclass
class Transaction:
    binding_hash: bytes
    nonce: str
    code_verifier: str
    expires_at: float
    state_key: bytes
    tokens: dict[str, Any] | None = None
    failure: str | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)
    claimed: bool = False


@dataclass(frozen=True)
class Started:
    transaction_id: str
    state: str
    nonce: str
    code_verifier: str


class TransactionStore:
    def __init__(self, ttl_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl_seconds
        self.clock = clock
        self._by_id: dict[bytes, Transaction] = {}
        self._by_state: dict[bytes, bytes] = {}

    def __len__(self) -> int:
        return len(self._by_id)

    def begin(self, binding_hash: bytes) -> Started:
        if len(binding_hash) != 32:
            raise TransactionError("binding_secret_sha256 must be 32 bytes (a SHA-256 digest)")
        self.sweep()
        started = Started(
            transaction_id=secrets.token_urlsafe(32),
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            code_verifier=secrets.token_urlsafe(64),
        )
        key, state_key = sha256(started.transaction_id), sha256(started.state)
        self._by_id[key] = Transaction(
            binding_hash=binding_hash,
            nonce=started.nonce,
            code_verifier=started.code_verifier,
            expires_at=self.clock() + self.ttl,
            state_key=state_key,
        )
        self._by_state[state_key] = key
        return started

    def for_callback(self, state: str) -> Transaction:
        """The transaction a callback's ``state`` belongs to; a state works once."""
        key = self._by_state.pop(sha256(state), None)
        transaction = self._by_id.get(key) if key else None
        if transaction is None:
            raise UnknownTransaction("unknown or already used login (state)")
        if self.clock() > transaction.expires_at:
            self._erase(key)  # type: ignore[arg-type]
            raise ExpiredTransaction("this login has expired: start again")
        return transaction

    def claim(self, transaction_id: str, binding_secret: bytes) -> tuple[bytes, Transaction]:
        """The transaction, for the one caller that proves it holds the binding secret."""
        key = sha256(transaction_id)
        transaction = self._by_id.get(key)
        if transaction is None or transaction.claimed:
            raise UnknownTransaction("unknown, expired or already delivered login")
        if self.clock() > transaction.expires_at:
            self._erase(key)
            raise ExpiredTransaction("this login has expired: start again")
        if not hmac.compare_digest(sha256(binding_secret), transaction.binding_hash):
            raise WrongBindingSecret("the binding secret does not match this login")
        transaction.claimed = True
        return key, transaction

    def release(self, key: bytes) -> None:
        """A claimed stream ended before delivery: another AwaitTokens may try again."""
        transaction = self._by_id.get(key)
        if transaction is not None:
            transaction.claimed = False

    def finish(self, key: bytes) -> None:
        """Delivered (or failed for good): erase every trace."""
        self._erase(key)

    def remaining(self, transaction: Transaction) -> float:
        return transaction.expires_at - self.clock()

    def sweep(self) -> None:
        now = self.clock()
        for key in [k for k, t in self._by_id.items() if now > t.expires_at]:
            self._erase(key)

    def _erase(self, key: bytes) -> None:
        transaction = self._by_id.pop(key, None)
        if transaction is not None:
            self._by_state.pop(transaction.state_key, None)
            transaction.tokens = None
