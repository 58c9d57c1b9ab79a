"""user_transaction binds the user for one transaction only; unset means nothing."""

from __future__ import annotations

from uuid import UUID, uuid4

import psycopg
import pytest

from app.db.session import create_pool, user_transaction
from tests.pg import BiaDatabase

pytestmark = pytest.mark.integration

USER_TABLES = (
    "user_settings", "user_food", "meal", "meal_item", "symptom_type", "symptom",
    "bowel_movement", "medication", "medication_dose", "context_day", "daily_note",
)  # fmt: skip


def _seed(db: BiaDatabase, user: UUID) -> None:
    with psycopg.connect(db.app_dsn) as conn:
        conn.execute("SELECT set_config('bia.user_id', %s, true)", (str(user),))
        conn.execute("INSERT INTO bia.bowel_movement (occurred_at, bristol) VALUES (now(), 4)")


@pytest.mark.parametrize("table", USER_TABLES)
def test_unset_user_sees_no_rows(bia_db: BiaDatabase, table: str) -> None:
    _seed(bia_db, uuid4())
    with psycopg.connect(bia_db.app_dsn) as conn:
        assert conn.execute(f"SELECT count(*) FROM bia.{table}").fetchone() == (0,)  # noqa: S608
        conn.execute("SELECT set_config('bia.user_id', '', true)")  # set but empty
        assert conn.execute(f"SELECT count(*) FROM bia.{table}").fetchone() == (0,)  # noqa: S608


def test_unset_user_cannot_insert(bia_db: BiaDatabase) -> None:
    with psycopg.connect(bia_db.app_dsn) as conn:
        # user_id defaults to the (unset) user: NULL, which no policy admits.
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("INSERT INTO bia.bowel_movement (occurred_at, bristol) VALUES (now(), 4)")
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "INSERT INTO bia.bowel_movement (user_id, occurred_at, bristol) "
                "VALUES (%s, now(), 4)",
                (uuid4(),),
            )


def test_pooled_connection_carries_no_user_after_the_transaction(bia_db: BiaDatabase) -> None:
    with create_pool(bia_db.app_dsn, min_size=1, max_size=1) as single:
        with user_transaction(single, uuid4()) as conn:
            backend = conn.info.backend_pid
            assert conn.execute("SELECT current_setting('bia.user_id', true)").fetchone()
        with single.connection() as conn:
            assert conn.info.backend_pid == backend
            row = conn.execute("SELECT current_setting('bia.user_id', true) AS v").fetchone()
            assert row == {"v": ""}
            assert conn.execute("SELECT count(*) AS n FROM bia.bowel_movement").fetchone() == {
                "n": 0
            }


def test_pool_reset_clears_a_session_level_setting(bia_db: BiaDatabase) -> None:
    with create_pool(bia_db.app_dsn, min_size=1, max_size=1) as single:
        with single.connection() as conn:
            conn.execute("SELECT set_config('bia.user_id', %s, false)", (str(uuid4()),))
        with single.connection() as conn:
            row = conn.execute("SELECT current_setting('bia.user_id', true) AS v").fetchone()
            assert row == {"v": ""}


def test_rolled_back_transaction_also_drops_the_user(bia_db: BiaDatabase) -> None:
    with create_pool(bia_db.app_dsn, min_size=1, max_size=1) as single:
        with pytest.raises(RuntimeError), user_transaction(single, uuid4()):
            raise RuntimeError("request failed")
        with single.connection() as conn:
            row = conn.execute("SELECT current_setting('bia.user_id', true) AS v").fetchone()
            assert row == {"v": ""}


def test_row_security_off_is_an_error_for_the_app_role(bia_db: BiaDatabase) -> None:
    with psycopg.connect(bia_db.app_dsn) as conn:
        conn.execute("SET row_security = off")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("SELECT count(*) FROM bia.meal")


def test_user_transaction_wants_a_uuid(bia_db: BiaDatabase) -> None:
    with (
        create_pool(bia_db.app_dsn, min_size=1, max_size=1) as single,
        pytest.raises(TypeError),
        user_transaction(single, "not-a-uuid"),  # type: ignore[arg-type]
    ):
        pass
