"""Session-wide fixtures. Keep this file small: the logic lives in tests/pg.py."""

from collections.abc import Iterator

import pytest

from tests.pg import ThrowawayPostgres, running_postgres


@pytest.fixture(scope="session")
def postgres() -> Iterator[ThrowawayPostgres]:
    """A real PostgreSQL for the whole test session (mark users `integration`)."""
    with running_postgres() as server:
        yield server
