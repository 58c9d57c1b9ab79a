"""Adversarial: user B, through every service and through raw SQL, cannot touch A's rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

import psycopg
import pytest

from app.journal import bowel, days, foods, meals, medications, symptoms, timeline
from app.journal.errors import Invalid, NotFound
from tests.app.conftest import UserTx
from tests.app.journal.factories import NOW, TODAY, Journal, fill_journal
from tests.pg import BiaDatabase

pytestmark = pytest.mark.integration

# (journal field, service call given (conn, id)) for every get/update/delete.
Call = Callable[[Any, UUID], object]
BY_ID: list[tuple[str, str, Call]] = [
    ("user_food", "get", foods.get_user_food),
    ("user_food", "update", lambda c, i: foods.update_user_food(
        c, i, foods.UserFoodUpdate(name="x"))),
    ("user_food", "delete", foods.delete_user_food),
    ("meal", "get", meals.get_meal),
    ("meal", "update", lambda c, i: meals.update_meal(c, i, meals.MealUpdate(notes="x"))),
    ("meal", "update items", lambda c, i: meals.update_meal(c, i, meals.MealUpdate(items=[]))),
    ("meal", "delete", meals.delete_meal),
    ("symptom_type", "update", lambda c, i: symptoms.update_symptom_type(
        c, i, symptoms.SymptomTypeUpdate(name="x"))),
    ("symptom_type", "delete", symptoms.delete_symptom_type),
    ("symptom", "get", symptoms.get_symptom),
    ("symptom", "update", lambda c, i: symptoms.update_symptom(
        c, i, symptoms.SymptomUpdate(severity=0))),
    ("symptom", "delete", symptoms.delete_symptom),
    ("bowel_movement", "get", bowel.get_bowel_movement),
    ("bowel_movement", "update", lambda c, i: bowel.update_bowel_movement(
        c, i, bowel.BowelMovementUpdate(bristol=1))),
    ("bowel_movement", "delete", bowel.delete_bowel_movement),
    ("medication", "update", lambda c, i: medications.update_medication(
        c, i, medications.MedicationUpdate(active=False))),
    ("medication", "delete", medications.delete_medication),
    ("dose", "update", lambda c, i: medications.update_dose(
        c, i, medications.DoseUpdate(status="skipped"))),
    ("dose", "delete", medications.delete_dose),
    ("context_day", "update", lambda c, i: days.update_context_day(
        c, i, days.ContextDayUpdate(stress=0))),
    ("context_day", "delete", days.delete_context_day),
    ("daily_note", "update", lambda c, i: days.update_daily_note(
        c, i, days.DailyNoteUpdate(body="mine now"))),
    ("daily_note", "delete", days.delete_daily_note),
]  # fmt: skip


@pytest.fixture
def a_journal(as_user: UserTx, user_a: UUID) -> Journal:
    with as_user(user_a) as conn:
        return fill_journal(conn)


def _everything(as_user: UserTx, user: UUID) -> dict[str, object]:
    with as_user(user) as conn:
        start, end = NOW - timedelta(days=2), NOW + timedelta(hours=1)
        return {
            "timeline": timeline.timeline(conn, start, end).model_dump(),
            "foods": foods.list_user_foods(conn),
            "types": symptoms.list_symptom_types(conn),
            "medications": medications.list_medications(conn),
            "context": days.list_context_days(conn, TODAY - timedelta(days=2), TODAY),
        }


@pytest.mark.parametrize(("field", "action", "call"), BY_ID, ids=[f"{f}-{a}" for f, a, _ in BY_ID])
def test_other_users_ids_are_not_found(
    as_user: UserTx,
    user_a: UUID,
    user_b: UUID,
    a_journal: Journal,
    field: str,
    action: str,
    call: Call,
) -> None:
    before = _everything(as_user, user_a)
    with as_user(user_b) as conn, pytest.raises(NotFound):
        call(conn, getattr(a_journal, field))
    assert _everything(as_user, user_a) == before


def test_lists_and_timeline_show_only_own_rows(
    as_user: UserTx, user_a: UUID, user_b: UUID, a_journal: Journal
) -> None:
    b_view = _everything(as_user, user_b)
    assert b_view["foods"] == b_view["types"] == b_view["medications"] == b_view["context"] == []
    assert b_view["timeline"]["entries"] == []  # type: ignore[index]
    a_view = _everything(as_user, user_a)
    assert len(a_view["timeline"]["entries"]) == 4  # type: ignore[index]


def test_search_does_not_find_other_users_foods(
    as_user: UserTx, user_b: UUID, a_journal: Journal
) -> None:
    with as_user(user_b) as conn:
        assert [m.name for m in foods.search_foods(conn, "grandma")] == []


@pytest.mark.parametrize(
    "make",
    [
        lambda j: meals.MealCreate(eaten_at=NOW, meal_type="snack", items=[
            meals.MealItemCreate(user_food_id=j.user_food, amount=1, unit="g")]),
        lambda j: symptoms.SymptomCreate(symptom_type_id=j.symptom_type, severity=1, onset_at=NOW),
        lambda j: medications.DoseCreate(medication_id=j.medication, dose_at=NOW, status="taken"),
    ],
    ids=["meal-with-others-food", "symptom-of-others-type", "dose-of-others-medication"],
)  # fmt: skip
def test_cannot_reference_other_users_rows(
    as_user: UserTx, user_b: UUID, a_journal: Journal, make: Callable[[Journal], Any]
) -> None:
    data = make(a_journal)
    creators: dict[type, Callable[..., object]] = {
        meals.MealCreate: meals.create_meal,
        symptoms.SymptomCreate: symptoms.create_symptom,
        medications.DoseCreate: medications.create_dose,
    }
    create = creators[type(data)]
    with as_user(user_b) as conn:
        with pytest.raises(Invalid):
            create(conn, data)
        assert conn.execute("SELECT count(*) AS n FROM bia.meal").fetchone() == {"n": 0}


TABLE_IDS = {
    "user_food": "user_food", "meal": "meal", "symptom_type": "symptom_type",
    "symptom": "symptom", "bowel_movement": "bowel_movement", "medication": "medication",
    "medication_dose": "dose", "context_day": "context_day", "daily_note": "daily_note",
}  # fmt: skip


def _scalar(conn: psycopg.Connection[Any], statement: str, value: object) -> int:
    cur = conn.execute(statement, (value,))
    row = cur.fetchone() if cur.description else None
    return int(row[0]) if row is not None else cur.rowcount


STEAL_AS_A = "INSERT INTO bia.bowel_movement (user_id, occurred_at, bristol) VALUES (%s, now(), 3)"


@pytest.mark.parametrize("table", sorted(TABLE_IDS))
def test_raw_sql_as_app_role_cannot_reach_other_users_rows(
    bia_db: BiaDatabase, user_a: UUID, user_b: UUID, a_journal: Journal, table: str
) -> None:
    row_id = getattr(a_journal, TABLE_IDS[table])
    q = f"bia.{table}"
    with psycopg.connect(bia_db.app_dsn) as conn:
        conn.execute("SELECT set_config('bia.user_id', %s, false)", (str(user_b),))
        assert _scalar(conn, f"SELECT count(*) FROM {q} WHERE id = %s", row_id) == 0  # noqa: S608
        assert _scalar(conn, f"SELECT count(*) FROM {q} WHERE user_id = %s", user_a) == 0  # noqa: S608
        assert _scalar(conn, f"UPDATE {q} SET updated_at = now() WHERE id = %s", row_id) == 0  # noqa: S608
        assert _scalar(conn, f"DELETE FROM {q} WHERE id = %s", row_id) == 0  # noqa: S608
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(STEAL_AS_A, (user_a,))
    with psycopg.connect(bia_db.app_dsn) as conn:
        conn.execute("SELECT set_config('bia.user_id', %s, false)", (str(user_a),))
        assert _scalar(conn, f"SELECT count(*) FROM {q} WHERE id = %s", row_id) == 1  # noqa: S608


def test_cannot_move_own_rows_to_another_user(
    bia_db: BiaDatabase, as_user: UserTx, user_a: UUID, user_b: UUID
) -> None:
    with as_user(user_b) as conn:
        fill_journal(conn)
    with psycopg.connect(bia_db.app_dsn) as conn:
        for table in TABLE_IDS:
            # (set inside the loop: the rollback below also undoes set_config)
            conn.execute("SELECT set_config('bia.user_id', %s, false)", (str(user_b),))
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
                conn.execute(f"UPDATE bia.{table} SET user_id = %s", (user_a,))  # noqa: S608
            conn.rollback()
