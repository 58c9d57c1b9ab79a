"""The app role is ordinary; the stats role sees counts and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest

from app.journal import symptoms
from tests.app.conftest import UserTx
from tests.pg import BiaDatabase

pytestmark = pytest.mark.integration


def _one(dsn: str, query: str) -> tuple[object, ...]:
    with psycopg.connect(dsn) as conn:
        row = conn.execute(query).fetchone()
        assert row is not None
        return row


def test_app_role_has_no_privileged_attributes(bia_db: BiaDatabase) -> None:
    attributes = _one(
        bia_db.superuser_dsn,
        "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication "
        "FROM pg_roles WHERE rolname = 'bia_app'",
    )
    assert attributes == (False, False, False, False, False)


def test_app_role_is_member_of_no_role(bia_db: BiaDatabase) -> None:
    count = _one(
        bia_db.superuser_dsn,
        "SELECT count(*) FROM pg_auth_members WHERE member = 'bia_app'::regrole",
    )
    assert count == (0,)


@pytest.mark.parametrize(
    ("catalog", "owner_column"),
    [
        ("pg_class", "relowner"),
        ("pg_namespace", "nspowner"),
        ("pg_proc", "proowner"),
        ("pg_type", "typowner"),
        ("pg_database", "datdba"),
    ],
)
def test_app_and_stats_roles_own_nothing(
    bia_db: BiaDatabase, catalog: str, owner_column: str
) -> None:
    count = _one(
        bia_db.superuser_dsn,
        f"SELECT count(*) FROM {catalog} "  # noqa: S608 - fixed catalog names
        f"WHERE {owner_column} IN ('bia_app'::regrole, 'bia_stats'::regrole)",
    )
    assert count == (0,)


def test_app_role_cannot_write_the_shared_catalog(bia_db: BiaDatabase) -> None:
    with psycopg.connect(bia_db.app_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM bia.catalog_food").fetchone() == (238,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE bia.catalog_food SET name = 'x'")


def test_app_role_cannot_read_migration_state_or_call_stats(bia_db: BiaDatabase) -> None:
    for query in ("SELECT * FROM public.alembic_version", "SELECT * FROM bia.usage_counts()"):
        with (
            psycopg.connect(bia_db.app_dsn) as conn,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            conn.execute(query)


def test_stats_role_gets_counts_but_no_rows(bia_db: BiaDatabase, as_user: UserTx, user_a) -> None:
    with psycopg.connect(bia_db.stats_dsn) as conn:
        before: dict[str, int] = dict(
            conn.execute("SELECT metric, value FROM bia.usage_counts()").fetchall()
        )
    with as_user(user_a) as conn:
        symptoms.create_symptom(
            conn,
            symptoms.SymptomCreate(kind="gas", severity=3, onset_at=datetime.now(UTC)),
        )
    with psycopg.connect(bia_db.stats_dsn) as conn:
        after: dict[str, int] = dict(
            conn.execute("SELECT metric, value FROM bia.usage_counts()").fetchall()
        )
        assert after["symptoms"] == before["symptoms"] + 1
        assert after["users"] >= 1
        for table in ("symptom", "meal", "catalog_food", "user_settings"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT 1 FROM bia.{table}")  # noqa: S608
            conn.rollback()


def test_database_is_closed_to_public(bia_db: BiaDatabase) -> None:
    acl = _one(bia_db.superuser_dsn, "SELECT datacl::text FROM pg_database WHERE datname = 'bia'")
    assert acl[0] is not None
    assert "=c" not in str(acl[0]).replace("bia_app=c", "").replace("bia_stats=c", "")
