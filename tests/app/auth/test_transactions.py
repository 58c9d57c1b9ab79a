"""Login transactions: hashed, single use, expiring, bound to the client's secret."""

from __future__ import annotations

import hashlib

import pytest

from app.auth.transactions import (
    ExpiredTransaction,
    TransactionError,
    TransactionStore,
    UnknownTransaction,
    WrongBindingSecret,
)

SECRET = b"s" * 32


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def store(clock: Clock | None = None) -> TransactionStore:
    return TransactionStore(300, clock or Clock())


def test_nothing_is_kept_under_the_raw_id_or_state() -> None:
    s = store()
    started = s.begin(hashlib.sha256(SECRET).digest())
    keys = list(s._by_id) + list(s._by_state)
    assert started.transaction_id.encode() not in keys
    assert started.state.encode() not in keys
    assert all(len(k) == 32 for k in keys)


def test_the_binding_secret_must_match() -> None:
    s = store()
    started = s.begin(hashlib.sha256(SECRET).digest())
    with pytest.raises(WrongBindingSecret):
        s.claim(started.transaction_id, b"x" * 32)
    key, _ = s.claim(started.transaction_id, SECRET)
    s.finish(key)


def test_a_state_works_once() -> None:
    s = store()
    started = s.begin(hashlib.sha256(SECRET).digest())
    s.for_callback(started.state)
    with pytest.raises(UnknownTransaction):
        s.for_callback(started.state)


def test_a_stolen_url_state_is_not_a_transaction_id() -> None:
    s = store()
    started = s.begin(hashlib.sha256(SECRET).digest())
    with pytest.raises(UnknownTransaction):
        s.claim(started.state, SECRET)


def test_a_delivered_transaction_is_gone() -> None:
    s = store()
    started = s.begin(hashlib.sha256(SECRET).digest())
    key, _ = s.claim(started.transaction_id, SECRET)
    with pytest.raises(UnknownTransaction):  # a second stream while the first is open
        s.claim(started.transaction_id, SECRET)
    s.finish(key)
    assert len(s) == 0
    with pytest.raises(UnknownTransaction):
        s.claim(started.transaction_id, SECRET)


def test_transactions_expire() -> None:
    clock = Clock()
    s = store(clock)
    started = s.begin(hashlib.sha256(SECRET).digest())
    clock.now += 301
    with pytest.raises(ExpiredTransaction):
        s.claim(started.transaction_id, SECRET)
    other = s.begin(hashlib.sha256(SECRET).digest())
    clock.now += 301
    with pytest.raises(UnknownTransaction):  # swept: its state is forgotten too
        s.begin(hashlib.sha256(SECRET).digest())
        s.for_callback(other.state)


def test_the_binding_hash_must_be_a_sha256() -> None:
    with pytest.raises(TransactionError, match="32 bytes"):
        store().begin(b"short")
