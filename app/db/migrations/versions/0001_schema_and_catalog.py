"""Schema `bia`, pg_trgm, database grants, and the shared FODMAP food catalog.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import csv
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

FOODS_CSV = Path(__file__).resolve().parents[2] / "data" / "foods.csv"
FODMAP_COLUMNS = ("fructose", "lactose", "fructans", "gos", "sorbitol", "mannitol")


def upgrade() -> None:
    op.execute("""
    DO $$
    DECLARE missing text;
    BEGIN
        SELECT string_agg(r, ', ') INTO missing
        FROM unnest(ARRAY['bia_app', 'bia_stats']) AS r
        WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r);
        IF missing IS NOT NULL THEN
            RAISE EXCEPTION 'roles missing: %', missing
                USING HINT = 'The deploy creates the roles (bia_owner, bia_app, bia_stats); '
                             'run it before migrating.';
        END IF;
        -- Only the roles that need this database may connect; no one gets TEMP.
        EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO bia_app, bia_stats',
                       current_database());
    END $$;

    CREATE SCHEMA bia;
    REVOKE ALL ON SCHEMA bia FROM PUBLIC;
    GRANT USAGE ON SCHEMA bia TO bia_app, bia_stats;

    -- Trusted since PostgreSQL 13: the database owner may create it.
    CREATE EXTENSION pg_trgm SCHEMA bia;

    CREATE DOMAIN bia.fodmap_level AS text
        CHECK (VALUE IN ('low', 'moderate', 'high'));

    CREATE FUNCTION bia.touch_updated_at() RETURNS trigger
        LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
        AS $$BEGIN NEW.updated_at := now(); RETURN NEW; END$$;
    REVOKE ALL ON FUNCTION bia.touch_updated_at() FROM PUBLIC;

    -- Shared reference data: everyone reads it, no user writes it.
    CREATE TABLE bia.catalog_food (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        category text NOT NULL CHECK (length(category) BETWEEN 1 AND 50),
        serving_size numeric(8, 2) NOT NULL CHECK (serving_size > 0),
        serving_unit text NOT NULL CHECK (serving_unit IN ('g', 'ml')),
        fructose bia.fodmap_level NOT NULL,
        lactose bia.fodmap_level NOT NULL,
        fructans bia.fodmap_level NOT NULL,
        gos bia.fodmap_level NOT NULL,
        sorbitol bia.fodmap_level NOT NULL,
        mannitol bia.fodmap_level NOT NULL,
        source text NOT NULL CHECK (length(source) BETWEEN 1 AND 500)
    );
    CREATE UNIQUE INDEX catalog_food_name_key ON bia.catalog_food (lower(name));
    CREATE INDEX catalog_food_name_trgm ON bia.catalog_food
        USING gin (lower(name) bia.gin_trgm_ops);
    GRANT SELECT ON bia.catalog_food TO bia_app;
    """)
    op.execute(
        "ALTER TABLE bia.catalog_food ENABLE ROW LEVEL SECURITY;\n" + _policy("0001_catalog.sql")
    )
    _load_foods()


def _policy(name: str) -> str:
    from app.db.sqlfiles import rls_policy_sql

    return rls_policy_sql(name)


def _load_foods() -> None:
    with FOODS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = ("name", "category", "serving_size", "serving_unit", *FODMAP_COLUMNS, "source")
    insert = sa.text(
        f"INSERT INTO bia.catalog_food ({', '.join(columns)}) "  # noqa: S608 - fixed names
        f"VALUES ({', '.join(':' + c for c in columns)})"
    )
    op.get_bind().execute(insert, [{c: row[c] for c in columns} for row in rows])


def downgrade() -> None:
    op.execute("""
    DROP TABLE bia.catalog_food;
    DROP FUNCTION bia.touch_updated_at();
    DROP DOMAIN bia.fodmap_level;
    DROP EXTENSION pg_trgm;
    DROP SCHEMA bia;
    DO $$
    BEGIN
        EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM bia_app, bia_stats',
                       current_database());
        EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO PUBLIC',
                       current_database());
    END $$;
    """)
