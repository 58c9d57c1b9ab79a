"""The catalog itself proves RLS: no table in schema bia can slip through."""

from __future__ import annotations

import psycopg
import pytest

from tests.pg import BiaDatabase

pytestmark = pytest.mark.integration

SHARED_TABLES = {"catalog_food"}  # reference data: RLS on (read-only policy), not forced
EXPECTED_QUAL = (
    "(user_id = ( SELECT (NULLIF(current_setting('bia.user_id'::text, true), ''::text))::uuid"
    ' AS "nullif"))'
)


def _rows(dsn: str, query: str) -> list[tuple[object, ...]]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(query).fetchall()


def _tables(db: BiaDatabase) -> dict[str, tuple[bool, bool]]:
    rows = _rows(
        db.owner_dsn,
        "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
        "WHERE relnamespace = 'bia'::regnamespace AND relkind IN ('r', 'p')",
    )
    return {str(name): (bool(rls), bool(force)) for name, rls, force in rows}


def test_schema_has_the_journal_tables(bia_db: BiaDatabase) -> None:
    assert {"meal", "meal_item", "symptom", "bowel_movement", "user_settings"} <= set(
        _tables(bia_db)
    )


def test_every_user_table_enables_and_forces_rls(bia_db: BiaDatabase) -> None:
    unprotected = {
        name
        for name, (rls, force) in _tables(bia_db).items()
        if name not in SHARED_TABLES and not (rls and force)
    }
    assert unprotected == set(), f"tables without ENABLE+FORCE RLS: {unprotected}"


def test_shared_catalog_has_rls_with_read_only_policy(bia_db: BiaDatabase) -> None:
    assert all(_tables(bia_db)[name][0] for name in SHARED_TABLES)
    policies = _rows(
        bia_db.owner_dsn,
        "SELECT tablename, cmd FROM pg_policies WHERE schemaname = 'bia' "
        "AND tablename = 'catalog_food'",
    )
    assert policies == [("catalog_food", "SELECT")]


def test_every_user_table_has_the_isolation_policy(bia_db: BiaDatabase) -> None:
    user_tables = set(_tables(bia_db)) - SHARED_TABLES
    rows = _rows(
        bia_db.owner_dsn,
        "SELECT tablename, cmd, roles::text[], qual, with_check FROM pg_policies "
        "WHERE schemaname = 'bia' AND policyname = 'user_isolation'",
    )
    by_table = {row[0]: row[1:] for row in rows}
    assert set(by_table) == user_tables
    for table, (cmd, roles, qual, with_check) in by_table.items():
        assert (cmd, roles) == ("ALL", ["public"]), table
        assert qual == EXPECTED_QUAL, table
        assert with_check == EXPECTED_QUAL, table


def test_every_user_table_has_user_id_stamps_and_an_index_on_user_id(bia_db: BiaDatabase) -> None:
    user_tables = set(_tables(bia_db)) - SHARED_TABLES
    columns = _rows(
        bia_db.owner_dsn,
        "SELECT table_name, array_agg(column_name::text) FROM information_schema.columns "
        "WHERE table_schema = 'bia' GROUP BY table_name",
    )
    for table, names in columns:
        if table in user_tables:
            assert {"user_id", "created_at", "updated_at"} <= set(names), table  # type: ignore[call-overload]
    indexed = {
        row[0]
        for row in _rows(
            bia_db.owner_dsn,
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0] "
            "WHERE c.relnamespace = 'bia'::regnamespace AND a.attname = 'user_id'",
        )
    }
    assert user_tables <= indexed, f"no index leading with user_id: {user_tables - indexed}"


def test_views_if_any_are_security_invoker(bia_db: BiaDatabase) -> None:
    leaky = _rows(
        bia_db.owner_dsn,
        "SELECT relname FROM pg_class WHERE relnamespace = 'bia'::regnamespace "
        "AND (relkind = 'm' OR (relkind = 'v' AND NOT coalesce("
        "'security_invoker=true' = ANY(reloptions) OR 'security_invoker=on' = ANY(reloptions),"
        " false)))",
    )
    assert leaky == []
