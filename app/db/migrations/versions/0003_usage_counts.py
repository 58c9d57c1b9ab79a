"""bia.usage_counts(): the only thing bia_stats may do, aggregate counts.

SECURITY DEFINER as bia_owner (which the owner_aggregates policies let read
across users); it returns counts, never a journal row.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
    CREATE FUNCTION bia.usage_counts()
        RETURNS TABLE (metric text, value bigint)
        LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT 'users', count(*) FROM (
            SELECT user_id FROM bia.user_settings
            UNION SELECT user_id FROM bia.meal
            UNION SELECT user_id FROM bia.symptom
            UNION SELECT user_id FROM bia.bowel_movement
            UNION SELECT user_id FROM bia.medication
            UNION SELECT user_id FROM bia.context_day
            UNION SELECT user_id FROM bia.daily_note
            UNION SELECT user_id FROM bia.user_food
        ) AS users
        UNION ALL SELECT 'meals', count(*) FROM bia.meal
        UNION ALL SELECT 'meal_items', count(*) FROM bia.meal_item
        UNION ALL SELECT 'user_foods', count(*) FROM bia.user_food
        UNION ALL SELECT 'symptoms', count(*) FROM bia.symptom
        UNION ALL SELECT 'bowel_movements', count(*) FROM bia.bowel_movement
        UNION ALL SELECT 'medications', count(*) FROM bia.medication
        UNION ALL SELECT 'medication_doses', count(*) FROM bia.medication_dose
        UNION ALL SELECT 'context_days', count(*) FROM bia.context_day
        UNION ALL SELECT 'daily_notes', count(*) FROM bia.daily_note
    $$;
    REVOKE ALL ON FUNCTION bia.usage_counts() FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION bia.usage_counts() TO bia_stats;
    """)


def downgrade() -> None:
    op.execute("DROP FUNCTION bia.usage_counts()")
