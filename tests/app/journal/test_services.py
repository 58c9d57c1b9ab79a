"""Journal services against the real database: the happy paths and the messages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from app.journal import bowel, days, foods, meals, symptoms, timeline, user_settings
from app.journal.errors import Conflict, Invalid, NotFound
from app.journal.fields import parse
from tests.app.conftest import UserTx
from tests.app.journal.factories import NOW, TODAY, fill_journal

pytestmark = pytest.mark.integration


def test_meal_with_items_round_trip_and_replace(as_user: UserTx, user_a: UUID) -> None:
    with as_user(user_a) as conn:
        j = fill_journal(conn)
        meal = meals.get_meal(conn, j.meal)
        assert [i.food_name for i in meal.items] == ["apple", "Grandma's soup"]
        updated = meals.update_meal(
            conn,
            meal.id,
            meals.MealUpdate(items=[meals.MealItemCreate(catalog_food_id=2, amount=50, unit="g")]),
        )
        assert [(i.food_name, i.amount) for i in updated.items] == [("pear", 50.0)]
        assert updated.updated_at >= meal.updated_at
        meals.delete_meal(conn, meal.id)
        assert conn.execute("SELECT count(*) AS n FROM bia.meal_item").fetchone() == {"n": 0}
        with pytest.raises(NotFound, match="No meal with id"):
            meals.get_meal(conn, meal.id)


def test_meal_with_a_bad_item_writes_nothing(as_user: UserTx, user_a: UUID) -> None:
    with as_user(user_a) as conn:
        data = meals.MealCreate(
            eaten_at=NOW,
            meal_type="dinner",
            items=[
                meals.MealItemCreate(catalog_food_id=1, amount=1, unit="g"),
                meals.MealItemCreate(catalog_food_id=999_999, amount=1, unit="g"),
            ],
        )
        with pytest.raises(Invalid) as caught:
            meals.create_meal(conn, data)
        assert "items.catalog_food_id" in caught.value.fields
        assert conn.execute("SELECT count(*) AS n FROM bia.meal").fetchone() == {"n": 0}


def test_idempotency_key_creates_once(as_user: UserTx, user_a: UUID) -> None:
    data = bowel.BowelMovementCreate(occurred_at=NOW, bristol=3)
    with as_user(user_a) as conn:
        first = bowel.create_bowel_movement(conn, data, idempotency_key="req-1")
    with as_user(user_a) as conn:
        again = bowel.create_bowel_movement(conn, data, idempotency_key="req-1")
        assert again == first
        meal = meals.MealCreate(
            eaten_at=NOW, meal_type="snack",
            items=[meals.MealItemCreate(catalog_food_id=3, amount=1, unit="piece")],
        )  # fmt: skip
        m1 = meals.create_meal(conn, meal, idempotency_key="req-2")
        m2 = meals.create_meal(conn, meal, idempotency_key="req-2")
        assert m1 == m2 and len(m2.items) == 1
        assert conn.execute("SELECT count(*) AS n FROM bia.bowel_movement").fetchone() == {"n": 1}
        # Keys live with their rows: once the row is deleted, the key is free again.
        bowel.delete_bowel_movement(conn, first.id)
        assert bowel.create_bowel_movement(conn, data, idempotency_key="req-1").id != first.id


def test_same_key_for_two_users_is_two_rows(as_user: UserTx, user_a: UUID, user_b: UUID) -> None:
    data = bowel.BowelMovementCreate(occurred_at=NOW, bristol=3)
    for user in (user_a, user_b):
        with as_user(user) as conn:
            bowel.create_bowel_movement(conn, data, idempotency_key="same")
            hour = timedelta(hours=1)
            assert len(bowel.list_bowel_movements(conn, NOW - hour, NOW + hour)) == 1


def test_one_context_day_per_day(as_user: UserTx, user_a: UUID) -> None:
    with as_user(user_a) as conn:
        days.create_context_day(conn, days.ContextDayCreate(day=TODAY, sleep_hours=7.5))
        with pytest.raises(Conflict, match="update them"):
            days.create_context_day(conn, days.ContextDayCreate(day=TODAY, stress=2))
        # The failed create did not spoil the transaction (savepoint).
        assert len(days.list_context_days(conn, TODAY, TODAY)) == 1


def test_deleting_a_food_in_use_is_a_conflict(as_user: UserTx, user_a: UUID) -> None:
    with as_user(user_a) as conn:
        j = fill_journal(conn)
        with pytest.raises(Conflict, match="remove it from them first"):
            foods.delete_user_food(conn, j.user_food)
        with pytest.raises(Conflict, match="a food with this name"):
            foods.create_user_food(conn, foods.UserFoodCreate(name="GRANDMA'S SOUP"))


GAS = {"kind": "gas", "severity": 2, "onset_at": NOW}
Symptom, Bowel, Meal = symptoms.SymptomCreate, bowel.BowelMovementCreate, meals.MealCreate


@pytest.mark.parametrize(
    ("model", "raw", "field", "words"),
    [
        (Symptom, {**GAS, "severity": 11}, "severity", "10"),
        (Symptom, {**GAS, "onset_at": NOW + timedelta(days=3)}, "onset_at", "future"),
        (Symptom, {**GAS, "onset_at": "2024-01-01T10:00"}, "onset_at", "timezone"),
        (Symptom, {**GAS, "kind": "itch"}, "kind", "bloating"),
        (Bowel, {"occurred_at": NOW, "bristol": 8}, "bristol", "7"),
        (Meal, {"eaten_at": NOW, "meal_type": "lunch", "colour": "red"}, "colour", "Extra"),
        (days.DailyNoteCreate, {"day": TODAY, "body": "a\x00b"}, "body", "unsupported character"),
        (
            meals.MealItemCreate,
            {"catalog_food_id": 1, "amount": 0.001, "unit": "g"},
            "amount",
            "0.01",
        ),
        (user_settings.UserSettingsUpdate, {"time_zone": "Mars/Olympus"}, "time_zone", "IANA"),
        (bowel.BowelMovementUpdate, {"bristol": None}, "", "cannot be cleared"),
    ],
)
def test_invalid_input_says_what_to_fix(model, raw, field, words) -> None:
    with pytest.raises(Invalid) as caught:
        parse(model, raw)
    message = caught.value.message
    assert field in message and words in message, message


def test_timeline_merges_and_sorts(as_user: UserTx, user_a: UUID) -> None:
    day = date(2024, 3, 5)
    with as_user(user_a) as conn:
        user_settings.update_settings(
            conn, user_settings.UserSettingsUpdate(time_zone="Pacific/Auckland")
        )
        fill_journal(conn, day)
        late = datetime(2024, 3, 5, 10, 30, tzinfo=UTC)  # 23:30 on 5 March in Auckland
        bowel.create_bowel_movement(conn, bowel.BowelMovementCreate(occurred_at=late, bristol=4))
        utc_day = timeline.timeline(
            conn, datetime(2024, 3, 5, tzinfo=UTC), datetime(2024, 3, 6, tzinfo=UTC)
        )
        kinds = [e.kind for e in utc_day.entries]
        assert kinds == ["bowel_movement", "meal", "dose", "bowel_movement", "symptom"]
        assert [e.at for e in utc_day.entries] == sorted(e.at for e in utc_day.entries)
        # Noon UTC is 01:00 the next day in Auckland (UTC+13 in March).
        auckland_5th = timeline.day_timeline(conn, date(2024, 3, 5))
        assert [e.at for e in auckland_5th.entries] == [late]
        assert [c.day for c in auckland_5th.context_days] == [date(2024, 3, 5)]
        auckland_6th = timeline.day_timeline(conn, date(2024, 3, 6))
        assert len(auckland_6th.entries) == 4
        assert [c.day for c in auckland_6th.context_days] == []  # stored for 5 March
        with pytest.raises(Invalid, match="366 days"):
            timeline.timeline(conn, NOW - timedelta(days=400), NOW)


def test_catalog_search_prefix_then_fuzzy(as_user: UserTx, user_a: UUID) -> None:
    with as_user(user_a) as conn:
        foods.create_user_food(conn, foods.UserFoodCreate(name="Garlic bread, homemade"))
        names = [m.name for m in foods.search_foods(conn, "garl")]
        assert names[:2] == ["garlic", "Garlic bread, homemade"] or names[0].startswith("Garlic")
        assert {"garlic powder", "garlic-infused oil"} <= set(names)
        assert foods.search_foods(conn, "chedar")[0].name == "cheese, cheddar"
        hit = foods.search_foods(conn, "watermelon")[0]
        assert (hit.origin, hit.fructose, hit.mannitol) == ("catalog", "high", "high")
        assert foods.search_foods(conn, "100%_\\") == []
        with pytest.raises(Invalid, match="query"):
            foods.search_foods(conn, "   ")


def test_settings_defaults_and_lag_window(as_user: UserTx) -> None:
    with as_user(uuid4()) as conn:
        assert user_settings.get_settings(conn).time_zone == "UTC"
        with pytest.raises(Invalid, match="less than lag_max_hours"):
            user_settings.update_settings(conn, user_settings.UserSettingsUpdate(lag_min_hours=30))
        saved = user_settings.update_settings(
            conn, user_settings.UserSettingsUpdate(lag_min_hours=1, units="imperial")
        )
        assert (saved.lag_min_hours, saved.lag_max_hours, saved.units) == (1, 24, "imperial")
