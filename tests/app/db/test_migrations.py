"""Migrations: empty -> head -> base -> head, as the owner only."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from app.db import migrate
from tests.pg import BiaDatabase, ThrowawayPostgres, drop_database, provision_bia

pytestmark = pytest.mark.integration


@pytest.fixture
def empty_db(postgres: ThrowawayPostgres) -> Iterator[BiaDatabase]:
    database = provision_bia(postgres, "bia_migration_test")
    yield database
    drop_database(postgres, database.dbname)


def _bia_objects(db: BiaDatabase) -> int:
    with psycopg.connect(db.owner_dsn) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'bia'"
        ).fetchone()
        assert row is not None
        return int(row[0])


def _version(db: BiaDatabase) -> list[tuple[object, ...]]:
    with psycopg.connect(db.owner_dsn) as conn:
        return conn.execute("SELECT version_num FROM public.alembic_version").fetchall()


def test_up_to_head_down_to_base_and_up_again(empty_db: BiaDatabase) -> None:
    migrate.upgrade(empty_db.owner_dsn, "head")
    assert _version(empty_db) == [("0003",)]
    assert _bia_objects(empty_db) > 20
    migrate.downgrade(empty_db.owner_dsn, "base")
    assert _version(empty_db) == []
    assert _bia_objects(empty_db) == 0
    with psycopg.connect(empty_db.owner_dsn) as conn:
        assert conn.execute("SELECT to_regnamespace('bia')").fetchone() == (None,)
    migrate.upgrade(empty_db.owner_dsn, "head")
    assert _version(empty_db) == [("0003",)]


def test_step_by_step_down(empty_db: BiaDatabase) -> None:
    migrate.upgrade(empty_db.owner_dsn, "head")
    for revision in ("0002", "0001", "base"):
        migrate.downgrade(empty_db.owner_dsn, revision)
    assert _bia_objects(empty_db) == 0


def test_cli_reads_the_owner_dsn_from_the_environment(
    empty_db: BiaDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIA_DATABASE_OWNER_URL", empty_db.owner_dsn)
    assert migrate.main(["upgrade", "head"]) == 0
    assert _version(empty_db) == [("0003",)]
    assert migrate.main(["downgrade", "base"]) == 0


def test_refuses_to_run_as_anyone_but_the_owner(empty_db: BiaDatabase) -> None:
    for dsn in (empty_db.superuser_dsn, empty_db.app_dsn):
        with pytest.raises(SystemExit, match="must run as 'bia_owner'"):
            migrate.upgrade(dsn, "head")
    assert _bia_objects(empty_db) == 0
