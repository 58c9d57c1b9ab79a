"""The journal: user-owned tables, forced RLS (policies/rls/0002_journal.sql), grants.

Every user-owned table has user_id (the Keycloak `sub`), created_at, updated_at.
user_id defaults to the transaction's `bia.user_id`, so app code never passes it;
the RLS WITH CHECK makes any other value fail. References between user tables
are composite (user_id, id) foreign keys: foreign-key checks bypass RLS, and a
single-column key would let one user point at (and so probe for) another
user's row.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

USER_TABLES = (
    "user_settings",
    "user_food",
    "meal",
    "meal_item",
    "symptom_type",
    "symptom",
    "bowel_movement",
    "medication",
    "medication_dose",
    "context_day",
    "daily_note",
)

# Columns repeated on every user-owned table.
_USER = "user_id uuid NOT NULL DEFAULT (NULLIF(current_setting('bia.user_id', true), ''))::uuid"
_STAMPS = """
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()"""
# Room for "a retried call creates nothing twice": NULL means no key given.
_IDEMPOTENCY = """
        idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        UNIQUE (user_id, idempotency_key)"""
_NOTES = "notes text CHECK (length(notes) <= 2000)"

TABLES_SQL = f"""
    CREATE TABLE bia.user_settings (
        {_USER} PRIMARY KEY,
        time_zone text NOT NULL DEFAULT 'UTC' CHECK (length(time_zone) BETWEEN 1 AND 64),
        lag_min_hours smallint NOT NULL DEFAULT 2 CHECK (lag_min_hours BETWEEN 0 AND 72),
        lag_max_hours smallint NOT NULL DEFAULT 24 CHECK (lag_max_hours BETWEEN 1 AND 96),
        units text NOT NULL DEFAULT 'metric' CHECK (units IN ('metric', 'imperial')),
        CHECK (lag_min_hours < lag_max_hours),{_STAMPS}
    );

    CREATE TABLE bia.user_food (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        {_USER},
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        serving_size numeric(8, 2) CHECK (serving_size > 0),
        serving_unit text CHECK (serving_unit IN ('g', 'ml')),
        fructose bia.fodmap_level,
        lactose bia.fodmap_level,
        fructans bia.fodmap_level,
        gos bia.fodmap_level,
        sorbitol bia.fodmap_level,
        mannitol bia.fodmap_level,
        {_NOTES},
        UNIQUE (user_id, id),{_STAMPS},{_IDEMPOTENCY}
    );
    CREATE UNIQUE INDEX user_food_name_key ON bia.user_food (user_id, lower(name));
    CREATE INDEX user_food_name_trgm ON bia.user_food USING gin (lower(name) bia.gin_trgm_ops);

    CREATE TABLE bia.meal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        {_USER},
        eaten_at timestamptz NOT NULL,
        meal_type text NOT NULL
            CHECK (meal_type IN ('breakfast', 'lunch', 'dinner', 'snack', 'drink', 'other')),
        {_NOTES},
        UNIQUE (user_id, id),{_STAMPS},{_IDEMPOTENCY}
    );
    CREATE INDEX meal_user_time ON bia.meal (user_id, eaten_at);

    CREATE TABLE bia.meal_item (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        {_USER},
        meal_id uuid NOT NULL,
        position smallint NOT NULL CHECK (position BETWEEN 0 AND 99),
        catalog_food_id integer REFERENCES bia.catalog_food (id),
        user_food_id uuid,
        amount numeric(10, 2) NOT NULL CHECK (amount > 0 AND amount <= 100000),
        unit text NOT NULL
            CHECK (unit IN ('g', 'ml', 'serving', 'piece', 'cup', 'tbsp', 'tsp')),
        CHECK (num_nonnulls(catalog_food_id, user_food_id) = 1),
        FOREIGN KEY (user_id, meal_id) REFERENCES bia.meal (user_id, id) ON DELETE CASCADE,
        FOREIGN KEY (user_id, user_food_id) REFERENCES bia.user_food (user_id, id),
        UNIQUE (meal_id, position),{_STAMPS}
    );
    CREATE INDEX meal_item_user_meal ON bia.meal_item (user_id, meal_id);
    CREATE INDEX meal_item_user_food ON bia.meal_item (user_id, user_food_id)
        WHERE user_food_id IS NOT NULL;
    CREATE INDEX meal_item_catalog_food ON bia.meal_item (catalog_food_id)
        WHERE catalog_food_id IS NOT NULL;

    CREATE TABLE bia.symptom_type (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        {_USER},
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        UNIQUE (user_id, id),{_STAMPS},{_IDEMPOTENCY}
    );
    CREATE UNIQUE INDEX symptom_type_name_key ON bia.symptom_type (user_id, lower(name));

    CREATE TABLE bia.symptom (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        {_USER},
        kind text CHECK (kind IN (
            'abdominal_pain', 'bloating', 'gas', 'nausea', 'reflux', 'urgency',
            'diarrhoea', 'constipation', 'fatigue', 'cramping', 'vomiting',
            'incomplete_evacuation', 'loss_of_appetite', 'headache', 'joint_pain')),
        symptom_type_id uuid,
        severity smallint NOT NULL CHECK (severity BETWEEN 0 AND 10),
        onset_at timestamptz NOT NULL,
        duration_minutes integer CHECK (duration_minutes BETWEEN 0 AND 10080),
        {_NOTES},
        CHECK (num_nonnulls(kind, symptom_type_id) = 1),
        FOREIGN KEY (user_id, symptom_type_id) REFERENCES bia.symptom_type (user_id, id),
        UNIQUE (user_id, id),{_STAMPS},{_IDEMPOTENCY}
    );
    CREATE INDEX symptom_user_time ON bia.symptom (user_id, onset_at);
    CREATE INDEX symptom_user_type ON bia.symptom (user_id, symptom_type_id)
        WHERE symptom_type_id IS NOT NULL;

    CREATE TABLE bia.bowel_movement (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        {_USER},
        occurred_at timestamptz NOT NULL,
        bristol smallint NOT NULL CHECK (bristol BETWEEN 1 AND 7),
        urgency smallint NOT NULL DEFAULT 0 CHECK (urgency BETWEEN 0 AND 10),
        blood boolean NOT NULL DEFAULT false,
        mucus boolean NOT NULL DEFAULT false,
        {_NOTES},
        UNIQUE (user_id, id),{_STAMPS},{_IDEMPOTENCY}
    );
    CREATE INDEX bowel_movement_user_time ON bia.bowel_movement (user_id, occurred_at);

    CREATE TABLE bia.medication (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        {_USER},
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        dose numeric(10, 3) CHECK (dose > 0),
        unit text CHECK (unit IN (
            'mg', 'g', 'mcg', 'ml', 'IU', 'tablet', 'capsule', 'drop', 'puff', 'sachet')),
        active boolean NOT NULL DEFAULT true,
        {_NOTES},
        UNIQUE (user_id, id),{_STAMPS},{_IDEMPOTENCY}
    );

    CREATE TABLE bia.medication_dose (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        {_USER},
        medication_id uuid NOT NULL,
        dose_at timestamptz NOT NULL,
        -- Explicit either way; no row means "not recorded", never "skipped".
        status text NOT NULL CHECK (status IN ('taken', 'skipped')),
        amount numeric(10, 3) CHECK (amount > 0),
        {_NOTES},
        FOREIGN KEY (user_id, medication_id) REFERENCES bia.medication (user_id, id),
        UNIQUE (user_id, id),{_STAMPS},{_IDEMPOTENCY}
    );
    CREATE INDEX medication_dose_user_time ON bia.medication_dose (user_id, dose_at);
    CREATE INDEX medication_dose_user_medication ON bia.medication_dose (user_id, medication_id);

    CREATE TABLE bia.context_day (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        {_USER},
        day date NOT NULL,
        stress smallint CHECK (stress BETWEEN 0 AND 10),
        sleep_hours numeric(4, 2) CHECK (sleep_hours BETWEEN 0 AND 24),
        sleep_quality smallint CHECK (sleep_quality BETWEEN 0 AND 10),
        menstruation text
            CHECK (menstruation IN ('none', 'spotting', 'light', 'medium', 'heavy')),
        exercise_minutes smallint CHECK (exercise_minutes BETWEEN 0 AND 1440),
        exercise_intensity text CHECK (exercise_intensity IN ('light', 'moderate', 'vigorous')),
        water_ml integer CHECK (water_ml BETWEEN 0 AND 20000),
        {_NOTES},
        UNIQUE (user_id, day),{_STAMPS},{_IDEMPOTENCY}
    );

    CREATE TABLE bia.daily_note (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        {_USER},
        day date NOT NULL,
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
        UNIQUE (user_id, day),{_STAMPS},{_IDEMPOTENCY}
    );
"""


def upgrade() -> None:
    from app.db.sqlfiles import rls_policy_sql

    op.execute(TABLES_SQL)
    for table in USER_TABLES:
        op.execute(
            f"CREATE TRIGGER touch_updated_at BEFORE UPDATE ON bia.{table} "
            f"FOR EACH ROW EXECUTE FUNCTION bia.touch_updated_at()"
        )
    op.execute(rls_policy_sql("0002_journal.sql"))
    op.execute(
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON "
        f"{', '.join('bia.' + t for t in USER_TABLES)} TO bia_app"
    )


def downgrade() -> None:
    # Reverse dependency order; policies and triggers go with their tables.
    op.execute(f"DROP TABLE {', '.join('bia.' + t for t in reversed(USER_TABLES))}")
