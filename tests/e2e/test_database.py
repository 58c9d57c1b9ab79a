"""The journal database on the lab appliance: migrated by the deploy as the owner role,
isolated by Row Level Security for the app role (the data layer's own tests cover the
rest against a throwaway PostgreSQL)."""

from __future__ import annotations

import pytest
import testinfra

from roles.backend import migration_head

pytestmark = pytest.mark.lab


def _psql(
    appliance: testinfra.host.Host, role: str, sql: str
) -> testinfra.backend.base.CommandResult:
    """Run SQL over TCP as ``role``, with its real password (from its root-only credential)."""
    return appliance.run(
        f"PGPASSWORD=$(cat /etc/bia/credentials/db-{role}) psql -X -h 127.0.0.1 -U {role} "
        f'-d bia -v ON_ERROR_STOP=1 -tAc "{sql}"'
    )


def test_the_schema_is_at_the_newest_migration(appliance: testinfra.host.Host) -> None:
    result = _psql(appliance, "bia_owner", "select version_num from alembic_version")
    assert result.rc == 0, result.stderr
    assert result.stdout.strip() == migration_head()


def test_the_owner_role_owns_every_table_and_the_app_role_none(
    appliance: testinfra.host.Host,
) -> None:
    owners = _psql(
        appliance, "bia_owner", "select distinct tableowner from pg_tables where schemaname = 'bia'"
    )
    assert owners.stdout.split() == ["bia_owner"]


def test_the_shared_catalog_is_readable_by_the_app_role(appliance: testinfra.host.Host) -> None:
    result = _psql(appliance, "bia_app", "select count(*) from bia.catalog_food")
    assert result.rc == 0, result.stderr
    assert int(result.stdout) >= 150


def test_the_app_role_without_a_user_sees_and_writes_nothing(
    appliance: testinfra.host.Host,
) -> None:
    seen = _psql(appliance, "bia_app", "select count(*) from bia.meal")
    assert seen.rc == 0, seen.stderr
    assert seen.stdout.strip() == "0"
    wrote = _psql(
        appliance,
        "bia_app",
        "insert into bia.daily_note (user_id, day, body) "
        "values (gen_random_uuid(), current_date, 'x')",
    )
    assert wrote.rc != 0
    assert "row-level security" in wrote.stderr


def test_the_app_role_cannot_switch_row_security_off(appliance: testinfra.host.Host) -> None:
    result = _psql(appliance, "bia_app", "set row_security = off; select count(*) from bia.meal")
    assert result.rc != 0
    assert "row-level security" in result.stderr or "row level security" in result.stderr
