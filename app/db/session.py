"""The only way app code gets a connection for user data: `user_transaction`.

It opens a transaction, binds the user with a transaction-local setting
(`set_config('bia.user_id', ..., true)`) and yields the connection. The
setting dies with the transaction, so a pooled connection never carries a
user into the next request; RLS (policies/rls/) does the filtering.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeAlias
from uuid import UUID

from psycopg import Connection
from psycopg.rows import DictRow, dict_row
from psycopg_pool import ConnectionPool

from app.db.config import USER_SETTING

DbConnection: TypeAlias = Connection[DictRow]
Pool: TypeAlias = ConnectionPool[DbConnection]


def _configure(conn: DbConnection) -> None:
    # Autocommit outside explicit transactions: nothing ever idles "in transaction",
    # and every user-data statement runs inside user_transaction's BEGIN ... COMMIT.
    conn.autocommit = True


def _reset(conn: DbConnection) -> None:
    # Belt and braces: a session-level set_config (which app code must not use)
    # would otherwise outlive the request. RESET ALL clears it.
    conn.execute("RESET ALL")


def create_pool(
    conninfo: str, *, min_size: int = 1, max_size: int = 10, open_now: bool = True
) -> Pool:
    """A pool of connections as the app role (bia_app); see Settings.database_url."""
    return ConnectionPool(
        conninfo,
        connection_class=Connection[DictRow],
        kwargs={"row_factory": dict_row},
        min_size=min_size,
        max_size=max_size,
        configure=_configure,
        reset=_reset,
        open=open_now,
        name="bia",
    )


@contextmanager
def user_transaction(pool: Pool, user_id: UUID) -> Iterator[DbConnection]:
    """Yield a connection inside a transaction bound to `user_id`.

    Commits when the block ends normally and rolls back on an exception.
    """
    if not isinstance(user_id, UUID):
        raise TypeError(f"user_id must be a UUID (the Keycloak sub), not {type(user_id)!r}")
    with pool.connection() as conn, conn.transaction():
        conn.execute("SELECT set_config(%s, %s, true)", (USER_SETTING, str(user_id)))
        yield conn
