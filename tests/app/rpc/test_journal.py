"""Contract tests for every journal RPC, over a real gRPC channel, against PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import grpc
import pytest

from app.rpc.journal.calls import FIELD_ERRORS_KEY
from app.rpc.journal.v1 import journal_pb2 as pb
from tests.app.rpc.conftest import Client

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC).replace(microsecond=0)
AT = (NOW - timedelta(hours=3)).isoformat()
TODAY = NOW.date().isoformat()
WEEK = pb.TimeRange(
    start=(NOW - timedelta(days=7)).isoformat(), end=(NOW + timedelta(hours=1)).isoformat()
)


def key() -> str:
    return str(uuid4())


def fails(code: grpc.StatusCode, call: Callable[..., Any], *args: Any) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        call(*args)
    error: Any = caught.value
    assert error.code() == code, error.details()
    return error


def field_errors(error: Any) -> dict[str, str]:
    trailers = dict(error.trailing_metadata() or ())
    fields: dict[str, str] = json.loads(trailers[FIELD_ERRORS_KEY])
    return fields


@pytest.fixture
def alice(client_for: Callable[[UUID], Client]) -> Client:
    return client_for(uuid4())


def test_meal_round_trip(alice: Client) -> None:
    food = alice.call(
        "catalog",
        "CreateFood",
        pb.CreateFoodRequest(
            idempotency_key=key(), food=pb.FoodInput(name="Oat porridge", lactose="low")
        ),
    )
    meal = alice.call(
        "journal",
        "CreateMeal",
        pb.CreateMealRequest(
            idempotency_key=key(),
            meal=pb.MealInput(
                eaten_at=AT,
                meal_type="breakfast",
                notes="at home",
                items=[
                    pb.MealItemInput(catalog_food_id=1, amount=150, unit="g"),
                    pb.MealItemInput(user_food_id=food.id, amount=1, unit="serving"),
                ],
            ),
        ),
    )
    assert meal.meal_type == "breakfast" and meal.notes == "at home"
    assert [i.food_name for i in meal.items] == ["apple", "Oat porridge"]
    assert datetime.fromisoformat(meal.eaten_at) == datetime.fromisoformat(AT)

    assert alice.call("journal", "GetMeal", pb.GetRequest(id=meal.id)) == meal
    listed = alice.call("journal", "ListMeals", WEEK)
    assert [m.id for m in listed.meals] == [meal.id]

    changed = alice.call(
        "journal",
        "UpdateMeal",
        pb.UpdateMealRequest(
            id=meal.id,
            idempotency_key=key(),
            meal=pb.MealPatch(
                meal_type="lunch",
                clear=["notes"],
                replace_items=True,
                items=[pb.MealItemInput(catalog_food_id=2, amount=80, unit="g")],
            ),
        ),
    )
    assert changed.meal_type == "lunch" and not changed.HasField("notes")
    assert [i.food_name for i in changed.items] == ["pear"]
    kept = alice.call(
        "journal", "UpdateMeal", pb.UpdateMealRequest(id=meal.id, meal=pb.MealPatch(notes="late"))
    )
    assert [i.food_name for i in kept.items] == ["pear"], "items stay unless replace_items"

    alice.call("journal", "DeleteMeal", pb.DeleteRequest(id=meal.id, idempotency_key=key()))
    fails(
        grpc.StatusCode.NOT_FOUND,
        lambda: alice.call("journal", "GetMeal", pb.GetRequest(id=meal.id)),
    )


def test_a_retried_create_returns_the_first_result(alice: Client) -> None:
    same = key()
    first = alice.call(
        "journal",
        "CreateSymptom",
        pb.CreateSymptomRequest(
            idempotency_key=same, symptom=pb.SymptomInput(kind="bloating", severity=4, onset_at=AT)
        ),
    )
    again = alice.call(
        "journal",
        "CreateSymptom",
        pb.CreateSymptomRequest(
            idempotency_key=same, symptom=pb.SymptomInput(kind="bloating", severity=4, onset_at=AT)
        ),
    )
    assert again == first
    assert len(alice.call("journal", "ListSymptoms", WEEK).symptoms) == 1


def test_a_create_without_idempotency_key_is_refused(alice: Client) -> None:
    error = fails(
        grpc.StatusCode.INVALID_ARGUMENT,
        lambda: alice.call(
            "journal",
            "CreateBowelMovement",
            pb.CreateBowelMovementRequest(
                bowel_movement=pb.BowelMovementInput(occurred_at=AT, bristol=4)
            ),
        ),
    )
    assert "idempotency_key" in field_errors(error)


def test_invalid_input_names_each_field(alice: Client) -> None:
    error = fails(
        grpc.StatusCode.INVALID_ARGUMENT,
        lambda: alice.call(
            "journal",
            "CreateBowelMovement",
            pb.CreateBowelMovementRequest(
                idempotency_key=key(),
                bowel_movement=pb.BowelMovementInput(occurred_at="yesterday", bristol=9),
            ),
        ),
    )
    fields = field_errors(error)
    assert set(fields) == {"occurred_at", "bristol"}
    assert "Traceback" not in (error.details() or "")


# Every other entity: create, update, list (and get where it exists), delete.
ENTITIES: list[tuple[str, str, str, Any, Any, str, Any]] = [
    # (rpc noun, request field, list field, create input, patch input, changed attr, list request)
    (
        "Symptom",
        "symptom",
        "symptoms",
        pb.SymptomInput(kind="gas", severity=3, onset_at=AT, duration_minutes=30),
        pb.SymptomInput(severity=5, clear=["duration_minutes"]),
        "severity",
        WEEK,
    ),
    (
        "BowelMovement",
        "bowel_movement",
        "bowel_movements",
        pb.BowelMovementInput(occurred_at=AT, bristol=6, urgency=7, blood=True),
        pb.BowelMovementInput(bristol=4),
        "bristol",
        WEEK,
    ),
    (
        "Medication",
        "medication",
        "medications",
        pb.MedicationInput(name="Mebeverine", dose=135, unit="mg"),
        pb.MedicationInput(active=False),
        "active",
        pb.ListRequest(),
    ),
    (
        "SymptomType",
        "symptom_type",
        "symptom_types",
        pb.SymptomTypeInput(name="Brain fog"),
        pb.SymptomTypeInput(name="Fog"),
        "name",
        pb.ListRequest(),
    ),
    (
        "ContextDay",
        "context_day",
        "context_days",
        pb.ContextDayInput(day=TODAY, stress=7, sleep_hours=6.5, menstruation="light"),
        pb.ContextDayInput(stress=2),
        "stress",
        pb.DayRange(first=TODAY, last=TODAY),
    ),
    (
        "DailyNote",
        "daily_note",
        "daily_notes",
        pb.DailyNoteInput(day=TODAY, body="Busy day."),
        pb.DailyNoteInput(body="Calm day."),
        "body",
        pb.DayRange(first=TODAY, last=TODAY),
    ),
]
GETS = {"Symptom", "BowelMovement"}


@pytest.mark.parametrize("entity", ENTITIES, ids=[e[0] for e in ENTITIES])
def test_entity_round_trip(alice: Client, entity: tuple[Any, ...]) -> None:
    noun, field, list_field, create, patch, attr, list_request = entity
    plural = "ListSymptomTypes" if noun == "SymptomType" else f"List{noun}s"
    created = alice.call(
        "journal",
        f"Create{noun}",
        getattr(pb, f"Create{noun}Request")(idempotency_key=key(), **{field: create}),
    )
    updated = alice.call(
        "journal",
        f"Update{noun}",
        getattr(pb, f"Update{noun}Request")(id=created.id, idempotency_key=key(), **{field: patch}),
    )
    assert getattr(updated, attr) == getattr(patch, attr) != getattr(created, attr)
    listed = getattr(alice.call("journal", plural, list_request), list_field)
    assert [item.id for item in listed] == [created.id]
    if noun in GETS:
        assert alice.call("journal", f"Get{noun}", pb.GetRequest(id=created.id)) == updated
    alice.call("journal", f"Delete{noun}", pb.DeleteRequest(id=created.id, idempotency_key=key()))
    assert not getattr(alice.call("journal", plural, list_request), list_field)


def test_doses_and_the_timeline(alice: Client) -> None:
    medication = alice.call(
        "journal",
        "CreateMedication",
        pb.CreateMedicationRequest(
            idempotency_key=key(), medication=pb.MedicationInput(name="Loperamide")
        ),
    )
    dose = alice.call(
        "journal",
        "CreateDose",
        pb.CreateDoseRequest(
            idempotency_key=key(),
            dose=pb.DoseInput(medication_id=medication.id, dose_at=AT, status="taken"),
        ),
    )
    skipped = alice.call(
        "journal",
        "UpdateDose",
        pb.UpdateDoseRequest(id=dose.id, dose=pb.DoseInput(status="skipped")),
    )
    assert skipped.status == "skipped"
    assert [d.id for d in alice.call("journal", "ListDoses", WEEK).doses] == [dose.id]
    meal = alice.call(
        "journal",
        "CreateMeal",
        pb.CreateMealRequest(
            idempotency_key=key(), meal=pb.MealInput(eaten_at=AT, meal_type="snack")
        ),
    )
    alice.call(
        "journal",
        "CreateDailyNote",
        pb.CreateDailyNoteRequest(
            idempotency_key=key(), daily_note=pb.DailyNoteInput(day=AT[:10], body="ok")
        ),
    )

    day = alice.call("journal", "GetTimeline", pb.TimelineRequest(day=AT[:10]))
    assert [(e.kind, e.id, e.WhichOneof("entry")) for e in day.entries] == [
        ("meal", meal.id, "meal"),
        ("dose", dose.id, "dose"),
    ]
    assert day.entries[0].meal == meal
    assert [n.body for n in day.daily_notes] == ["ok"]
    ranged = alice.call("journal", "GetTimeline", pb.TimelineRequest(range=WEEK))
    assert [e.id for e in ranged.entries] == [meal.id, dose.id]
    fails(
        grpc.StatusCode.INVALID_ARGUMENT,
        lambda: alice.call("journal", "GetTimeline", pb.TimelineRequest()),
    )
    alice.call("journal", "DeleteDose", pb.DeleteRequest(id=dose.id))
    assert not alice.call("journal", "ListDoses", WEEK).doses


def test_catalog(alice: Client) -> None:
    food = alice.call(
        "catalog",
        "CreateFood",
        pb.CreateFoodRequest(
            idempotency_key=key(), food=pb.FoodInput(name="Applesauce cake", fructose="high")
        ),
    )
    found = alice.call("catalog", "SearchFoods", pb.SearchFoodsRequest(query="apple", limit=5))
    assert ("user", food.id) in [(f.origin, f.id) for f in found.foods]
    assert "apple" in [f.name for f in found.foods if f.origin == "catalog"]
    renamed = alice.call(
        "catalog",
        "UpdateFood",
        pb.UpdateFoodRequest(id=food.id, food=pb.FoodInput(name="Apple cake")),
    )
    assert renamed.name == "Apple cake" and renamed.fructose == "high"
    assert [f.id for f in alice.call("catalog", "ListFoods", pb.ListRequest()).foods] == [food.id]
    alice.call("catalog", "DeleteFood", pb.DeleteRequest(id=food.id))
    assert not alice.call("catalog", "ListFoods", pb.ListRequest()).foods
    error = fails(
        grpc.StatusCode.INVALID_ARGUMENT,
        lambda: alice.call("catalog", "SearchFoods", pb.SearchFoodsRequest(query="", limit=500)),
    )
    assert set(field_errors(error)) == {"query", "limit"}


def test_settings(alice: Client) -> None:
    assert alice.call("settings", "GetSettings", pb.GetSettingsRequest()).time_zone == "UTC"
    updated = alice.call(
        "settings",
        "UpdateSettings",
        pb.UpdateSettingsRequest(
            settings=pb.UserSettingsPatch(time_zone="Europe/Dublin", lag_max_hours=12)
        ),
    )
    assert (updated.time_zone, updated.lag_max_hours, updated.units) == (
        "Europe/Dublin",
        12,
        "metric",
    )
    assert alice.call("settings", "GetSettings", pb.GetSettingsRequest()) == updated
    error = fails(
        grpc.StatusCode.INVALID_ARGUMENT,
        lambda: alice.call(
            "settings",
            "UpdateSettings",
            pb.UpdateSettingsRequest(settings=pb.UserSettingsPatch(time_zone="Mars/Olympus")),
        ),
    )
    assert "time_zone" in field_errors(error)


def test_a_conflict_is_a_failed_precondition(alice: Client) -> None:
    note = pb.CreateDailyNoteRequest(daily_note=pb.DailyNoteInput(day=TODAY, body="one"))
    note.idempotency_key = key()
    alice.call("journal", "CreateDailyNote", note)
    note.idempotency_key = key()
    fails(
        grpc.StatusCode.FAILED_PRECONDITION, lambda: alice.call("journal", "CreateDailyNote", note)
    )
