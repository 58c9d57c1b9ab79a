"""Property tests: any input either works or raises a DomainError, never half-writes."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.journal import bowel, days, foods, meals, symptoms
from app.journal.errors import DomainError
from app.journal.fields import parse
from tests.app.conftest import UserTx

pytestmark = pytest.mark.integration
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TABLES = ("meal", "meal_item", "symptom", "bowel_movement", "daily_note", "user_food")

junk = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
    st.binary(max_size=5), st.lists(st.integers(), max_size=2),
)  # fmt: skip
times = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
) | st.just(datetime.now(UTC) - timedelta(minutes=1))
texts = st.text(max_size=2100)


def maybe(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(valid, valid, junk)


def record(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts whose keys may be missing, with valid-ish or junk values."""
    return st.fixed_dictionaries({}, optional={k: maybe(v) for k, v in fields.items()})


items = st.lists(
    record(
        catalog_food_id=st.integers(-5, 300),
        user_food_id=st.uuids(),
        amount=st.floats(-1, 2e5),
        unit=st.sampled_from(["g", "ml", "cup", "bucket"]),
    ),
    max_size=4,
)
CASES: dict[str, tuple[st.SearchStrategy[dict[str, Any]], type[Any], Callable[..., Any]]] = {
    "meal": (
        record(
            eaten_at=times, meal_type=st.sampled_from(["lunch", "snack", "brunch"]),
            notes=texts, items=items,
        ),
        meals.MealCreate,
        meals.create_meal,
    ),
    "symptom": (
        record(
            kind=st.sampled_from(["gas", "nausea", "sneezing"]), symptom_type_id=st.uuids(),
            severity=st.integers(-3, 13), onset_at=times,
            duration_minutes=st.integers(-10, 20000), notes=texts,
        ),
        symptoms.SymptomCreate,
        symptoms.create_symptom,
    ),
    "bowel_movement": (
        record(
            occurred_at=times, bristol=st.integers(0, 8), urgency=st.integers(-1, 11),
            blood=st.booleans(), mucus=st.booleans(), notes=texts,
        ),
        bowel.BowelMovementCreate,
        bowel.create_bowel_movement,
    ),
    "daily_note": (
        record(day=st.dates(), body=st.text(max_size=10_050)),
        days.DailyNoteCreate,
        days.create_daily_note,
    ),
    "user_food": (
        record(
            name=st.text(max_size=210), serving_size=st.floats(),
            fructose=st.sampled_from(["low", "high", "extreme"]), notes=texts,
        ),
        foods.UserFoodCreate,
        foods.create_user_food,
    ),
}  # fmt: skip


def _counts(conn: Any) -> dict[str, int]:
    return {
        t: conn.execute(f"SELECT count(*) AS n FROM bia.{t}").fetchone()["n"]  # noqa: S608
        for t in TABLES
    }


@pytest.mark.parametrize("kind", sorted(CASES))
def test_create_never_crashes_nor_half_writes(as_user: UserTx, kind: str) -> None:
    strategy, model, create = CASES[kind]

    @SETTINGS
    @given(raw=strategy, key=st.none() | st.text(max_size=210))
    def check(raw: dict[str, Any], key: str | None) -> None:
        with as_user(uuid4()) as conn:
            before = _counts(conn)
            try:
                created = create(conn, parse(model, raw), idempotency_key=key)
            except DomainError:
                assert _counts(conn) == before
                return
            after = _counts(conn)
            assert after[kind] == before[kind] + 1
            if kind == "meal":
                assert after["meal_item"] == before["meal_item"] + len(created.items)

    check()


@SETTINGS
@given(query=st.text(max_size=120), limit=st.integers(-2, 60))
def test_search_never_crashes(as_user: UserTx, query: str, limit: int) -> None:
    with as_user(uuid4()) as conn, contextlib.suppress(DomainError):
        foods.search_foods(conn, query, limit)


@SETTINGS
@given(raw=record(severity=st.integers(-2, 12), onset_at=times, kind=st.just("gas")))
def test_update_of_a_missing_id_is_not_found_or_invalid(
    as_user: UserTx, raw: dict[str, Any]
) -> None:
    user: UUID = uuid4()
    with as_user(user) as conn:
        try:
            symptoms.update_symptom(conn, uuid4(), parse(symptoms.SymptomUpdate, raw))
        except DomainError:
            return
        raise AssertionError("updating a missing id must fail")
