"""Fixtures for the data layer: a migrated `bia` database and an app-role pool."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from uuid import UUID, uuid4

import pytest

from app.db import migrate
from app.db.session import DbConnection, Pool, create_pool, user_transaction
from tests.pg import BiaDatabase, ThrowawayPostgres, provision_bia

UserTx = Callable[[UUID], AbstractContextManager[DbConnection]]


@pytest.fixture(scope="session")
def bia_db(postgres: ThrowawayPostgres) -> BiaDatabase:
    """The `bia` database as the deploy leaves it, migrated to head as bia_owner."""
    database = provision_bia(postgres, "bia")
    migrate.upgrade(database.owner_dsn, "head")
    return database


@pytest.fixture(scope="session")
def pool(bia_db: BiaDatabase) -> Iterator[Pool]:
    app_pool = create_pool(bia_db.app_dsn, min_size=1, max_size=4)
    app_pool.wait()
    yield app_pool
    app_pool.close()


@pytest.fixture
def user_a() -> UUID:
    return uuid4()


@pytest.fixture
def user_b() -> UUID:
    return uuid4()


@pytest.fixture
def as_user(pool: Pool) -> UserTx:
    """`with as_user(uid) as conn:` a transaction bound to uid, via the app helper."""

    def bind(user_id: UUID) -> AbstractContextManager[DbConnection]:
        return user_transaction(pool, user_id)

    return bind
