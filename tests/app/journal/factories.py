"""One valid entry of every kind, for service and isolation tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from app.db.session import DbConnection
from app.journal import bowel, days, foods, meals, medications, symptoms

NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.date()


@dataclass(frozen=True)
class Journal:
    """Ids of one user's entries, one of each kind."""

    user_food: UUID
    meal: UUID
    symptom_type: UUID
    symptom: UUID
    bowel_movement: UUID
    medication: UUID
    dose: UUID
    context_day: UUID
    daily_note: UUID


def fill_journal(conn: DbConnection, day: date = TODAY) -> Journal:
    at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    at = min(at, NOW - timedelta(minutes=5))
    food = foods.create_user_food(conn, foods.UserFoodCreate(name="Grandma's soup", lactose="high"))
    meal = meals.create_meal(
        conn,
        meals.MealCreate(
            eaten_at=at,
            meal_type="lunch",
            items=[
                meals.MealItemCreate(catalog_food_id=1, amount=150, unit="g"),
                meals.MealItemCreate(user_food_id=food.id, amount=1, unit="serving"),
            ],
        ),
    )
    kind = symptoms.create_symptom_type(conn, symptoms.SymptomTypeCreate(name="Brain fog"))
    symptom = symptoms.create_symptom(
        conn,
        symptoms.SymptomCreate(
            symptom_type_id=kind.id, severity=6, onset_at=at + timedelta(hours=1)
        ),
    )
    movement = bowel.create_bowel_movement(
        conn, bowel.BowelMovementCreate(occurred_at=at, bristol=6, urgency=7)
    )
    medication = medications.create_medication(
        conn, medications.MedicationCreate(name="Mebeverine", dose=135, unit="mg")
    )
    dose = medications.create_dose(
        conn,
        medications.DoseCreate(medication_id=medication.id, dose_at=at, status="taken"),
    )
    context = days.create_context_day(conn, days.ContextDayCreate(day=day, stress=7))
    note = days.create_daily_note(conn, days.DailyNoteCreate(day=day, body="Busy day."))
    return Journal(
        user_food=food.id,
        meal=meal.id,
        symptom_type=kind.id,
        symptom=symptom.id,
        bowel_movement=movement.id,
        medication=medication.id,
        dose=dose.id,
        context_day=context.id,
        daily_note=note.id,
    )
