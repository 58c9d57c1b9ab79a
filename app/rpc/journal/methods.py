"""Every journal RPC as one line of a table: which domain service it calls and how its
messages convert. The transport concerns (auth, errors, logs) live in calls.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from google.protobuf.message import Message
from pydantic import AwareDatetime, BaseModel

from app.db.session import DbConnection
from app.journal import bowel, days, foods, meals, medications, symptoms, timeline, user_settings
from app.journal.errors import Invalid
from app.journal.fields import InputModel, parse
from app.rpc.journal.convert import fields_of, idempotency_key, message_from, model_from, uuid_from
from app.rpc.journal.v1 import journal_pb2 as pb

Runner = Callable[[DbConnection, Any], Message]


class TimeRangeInput(InputModel):
    start: AwareDatetime
    end: AwareDatetime


class DayRangeInput(InputModel):
    first: date
    last: date


class DayInput(InputModel):
    day: date


def _create(field: str, model: type[BaseModel], service: Any, out: type[Message]) -> Runner:
    def run(conn: DbConnection, request: Any) -> Message:
        key = idempotency_key(request.idempotency_key, required=True)
        data = model_from(model, getattr(request, field))
        return message_from(service(conn, data, idempotency_key=key), out)

    return run


def _update(field: str, model: type[BaseModel], service: Any, out: type[Message]) -> Runner:
    def run(conn: DbConnection, request: Any) -> Message:
        # Accepted for uniformity; an update sets values, so a retry changes nothing more.
        idempotency_key(request.idempotency_key, required=False)
        ident = uuid_from(request.id)
        return message_from(service(conn, ident, model_from(model, getattr(request, field))), out)

    return run


def _delete(service: Callable[[DbConnection, UUID], None]) -> Runner:
    def run(conn: DbConnection, request: Any) -> Message:
        idempotency_key(request.idempotency_key, required=False)
        service(conn, uuid_from(request.id))
        return pb.DeleteResponse()

    return run


def _get(service: Callable[[DbConnection, UUID], BaseModel], out: type[Message]) -> Runner:
    def run(conn: DbConnection, request: Any) -> Message:
        return message_from(service(conn, uuid_from(request.id)), out)

    return run


def _listing(out: type[Message], field: str, rows: list[Any]) -> Message:
    return message_from({field: [row.model_dump(mode="json") for row in rows]}, out)


def _list_range(service: Any, out: type[Message], field: str) -> Runner:
    def run(conn: DbConnection, request: Any) -> Message:
        period = model_from(TimeRangeInput, request)
        return _listing(out, field, service(conn, period.start, period.end))

    return run


def _list_days(service: Any, out: type[Message], field: str) -> Runner:
    def run(conn: DbConnection, request: Any) -> Message:
        period = model_from(DayRangeInput, request)
        return _listing(out, field, service(conn, period.first, period.last))

    return run


def _list_all(service: Any, out: type[Message], field: str) -> Runner:
    def run(conn: DbConnection, request: Any) -> Message:
        return _listing(out, field, service(conn))

    return run


def _update_meal(conn: DbConnection, request: Any) -> Message:
    idempotency_key(request.idempotency_key, required=False)
    data = fields_of(request.meal)
    items = data.pop("items", [])
    if data.pop("replace_items", False):
        data["items"] = items
    changes = parse(meals.MealUpdate, data)
    return message_from(meals.update_meal(conn, uuid_from(request.id), changes), pb.Meal)


def _timeline(conn: DbConnection, request: Any) -> Message:
    which = request.WhichOneof("period")
    if which == "day":
        result = timeline.day_timeline(conn, model_from(DayInput, request).day)
    elif which == "range":
        period = model_from(TimeRangeInput, request.range)
        result = timeline.timeline(conn, period.start, period.end)
    else:
        raise Invalid({"period": "give a day (YYYY-MM-DD) or a range"})
    data = result.model_dump(mode="json")
    data["entries"] = [
        {"kind": e["kind"], "at": e["at"], "id": e["id"], e["kind"]: e["entry"]}
        for e in data["entries"]
    ]
    return message_from(data, pb.Timeline)


def _search_foods(conn: DbConnection, request: Any) -> Message:
    found = foods.search_foods(conn, request.query, request.limit or 20)
    return _listing(pb.FoodMatchList, "foods", found)


def _get_settings(conn: DbConnection, request: Any) -> Message:
    return message_from(user_settings.get_settings(conn), pb.UserSettings)


def _update_settings(conn: DbConnection, request: Any) -> Message:
    idempotency_key(request.idempotency_key, required=False)
    changes = model_from(user_settings.UserSettingsUpdate, request.settings)
    return message_from(user_settings.update_settings(conn, changes), pb.UserSettings)


JOURNAL: dict[str, Runner] = {
    "CreateMeal": _create("meal", meals.MealCreate, meals.create_meal, pb.Meal),
    "UpdateMeal": _update_meal,
    "DeleteMeal": _delete(meals.delete_meal),
    "GetMeal": _get(meals.get_meal, pb.Meal),
    "ListMeals": _list_range(meals.list_meals, pb.MealList, "meals"),
    "CreateSymptom": _create(
        "symptom", symptoms.SymptomCreate, symptoms.create_symptom, pb.Symptom
    ),
    "UpdateSymptom": _update(
        "symptom", symptoms.SymptomUpdate, symptoms.update_symptom, pb.Symptom
    ),
    "DeleteSymptom": _delete(symptoms.delete_symptom),
    "GetSymptom": _get(symptoms.get_symptom, pb.Symptom),
    "ListSymptoms": _list_range(symptoms.list_symptoms, pb.SymptomList, "symptoms"),
    "CreateSymptomType": _create(
        "symptom_type", symptoms.SymptomTypeCreate, symptoms.create_symptom_type, pb.SymptomType
    ),
    "UpdateSymptomType": _update(
        "symptom_type", symptoms.SymptomTypeUpdate, symptoms.update_symptom_type, pb.SymptomType
    ),
    "DeleteSymptomType": _delete(symptoms.delete_symptom_type),
    "ListSymptomTypes": _list_all(symptoms.list_symptom_types, pb.SymptomTypeList, "symptom_types"),
    "CreateBowelMovement": _create(
        "bowel_movement", bowel.BowelMovementCreate, bowel.create_bowel_movement, pb.BowelMovement
    ),
    "UpdateBowelMovement": _update(
        "bowel_movement", bowel.BowelMovementUpdate, bowel.update_bowel_movement, pb.BowelMovement
    ),
    "DeleteBowelMovement": _delete(bowel.delete_bowel_movement),
    "GetBowelMovement": _get(bowel.get_bowel_movement, pb.BowelMovement),
    "ListBowelMovements": _list_range(
        bowel.list_bowel_movements, pb.BowelMovementList, "bowel_movements"
    ),
    "CreateMedication": _create(
        "medication", medications.MedicationCreate, medications.create_medication, pb.Medication
    ),
    "UpdateMedication": _update(
        "medication", medications.MedicationUpdate, medications.update_medication, pb.Medication
    ),
    "DeleteMedication": _delete(medications.delete_medication),
    "ListMedications": _list_all(medications.list_medications, pb.MedicationList, "medications"),
    "CreateDose": _create("dose", medications.DoseCreate, medications.create_dose, pb.Dose),
    "UpdateDose": _update("dose", medications.DoseUpdate, medications.update_dose, pb.Dose),
    "DeleteDose": _delete(medications.delete_dose),
    "ListDoses": _list_range(medications.list_doses, pb.DoseList, "doses"),
    "CreateContextDay": _create(
        "context_day", days.ContextDayCreate, days.create_context_day, pb.ContextDay
    ),
    "UpdateContextDay": _update(
        "context_day", days.ContextDayUpdate, days.update_context_day, pb.ContextDay
    ),
    "DeleteContextDay": _delete(days.delete_context_day),
    "ListContextDays": _list_days(days.list_context_days, pb.ContextDayList, "context_days"),
    "CreateDailyNote": _create(
        "daily_note", days.DailyNoteCreate, days.create_daily_note, pb.DailyNote
    ),
    "UpdateDailyNote": _update(
        "daily_note", days.DailyNoteUpdate, days.update_daily_note, pb.DailyNote
    ),
    "DeleteDailyNote": _delete(days.delete_daily_note),
    "ListDailyNotes": _list_days(days.list_daily_notes, pb.DailyNoteList, "daily_notes"),
    "GetTimeline": _timeline,
}

CATALOG: dict[str, Runner] = {
    "SearchFoods": _search_foods,
    "CreateFood": _create("food", foods.UserFoodCreate, foods.create_user_food, pb.Food),
    "UpdateFood": _update("food", foods.UserFoodUpdate, foods.update_user_food, pb.Food),
    "DeleteFood": _delete(foods.delete_user_food),
    "ListFoods": _list_all(foods.list_user_foods, pb.FoodList, "foods"),
}

SETTINGS: dict[str, Runner] = {
    "GetSettings": _get_settings,
    "UpdateSettings": _update_settings,
}

SERVICES = {"Journal": JOURNAL, "Catalog": CATALOG, "Settings": SETTINGS}
