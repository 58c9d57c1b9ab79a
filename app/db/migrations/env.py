"""Alembic environment: raw-SQL migrations over psycopg 3, run as the owner role."""

from __future__ import annotations

import psycopg
from alembic import context
from sqlalchemy import create_engine, pool, text

from app.db.config import OWNER_ROLE


def _run() -> None:
    owner_dsn: str = context.config.attributes["owner_dsn"]
    # creator= lets any libpq DSN through (sockets, key=value), untouched by URL parsing.
    engine = create_engine(
        "postgresql+psycopg://",
        creator=lambda: psycopg.connect(owner_dsn),
        poolclass=pool.NullPool,
    )
    with engine.connect() as connection:
        who = connection.execute(
            text(
                "SELECT current_user, r.rolsuper, pg_get_userbyid(d.datdba) "
                "FROM pg_roles r, pg_database d "
                "WHERE r.rolname = current_user AND d.datname = current_database()"
            )
        ).one()
        user, is_superuser, db_owner = who
        connection.commit()  # end the autobegun check, so Alembic owns the transactions
        if is_superuser or user != OWNER_ROLE or db_owner != OWNER_ROLE:
            raise SystemExit(
                f"Refusing to migrate as {user!r} on a database owned by {db_owner!r}: "
                f"migrations must run as {OWNER_ROLE!r}, which must own the database, so "
                f"that every object is owned by it (and RLS is forced on its tables). "
                f"Fix the DSN's user, or `ALTER DATABASE ... OWNER TO {OWNER_ROLE}`."
            )
        context.configure(connection=connection, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) mode is not supported; run against the database.")
_run()
