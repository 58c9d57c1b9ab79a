"""Per-day records: context factors (stress, sleep, cycle, exercise, water) and notes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import Field

from app.db.session import DbConnection
from app.journal import _db
from app.journal.errors import Invalid
from app.journal.fields import Day, InputModel, LongText, Notes, PublicModel, Scale, UpdateModel

Menstruation = Literal["none", "spotting", "light", "medium", "heavy"]
Intensity = Literal["light", "moderate", "vigorous"]
CONTEXT_DAY = _db.Table("context_day", "context day")
DAILY_NOTE = _db.Table("daily_note", "daily note")
SleepHours = Field(default=None, ge=0, le=24, allow_inf_nan=False)
ExerciseMinutes = Field(default=None, ge=0, le=1440)
WaterMl = Field(default=None, ge=0, le=20000)


class ContextDayCreate(InputModel):
    day: Day
    stress: Scale | None = None
    sleep_hours: float | None = SleepHours
    sleep_quality: Scale | None = None
    menstruation: Menstruation | None = None
    exercise_minutes: int | None = ExerciseMinutes
    exercise_intensity: Intensity | None = None
    water_ml: int | None = WaterMl
    notes: Notes | None = None


class ContextDayUpdate(UpdateModel):
    NOT_NULL = frozenset({"day"})
    day: Day | None = None
    stress: Scale | None = None
    sleep_hours: float | None = SleepHours
    sleep_quality: Scale | None = None
    menstruation: Menstruation | None = None
    exercise_minutes: int | None = ExerciseMinutes
    exercise_intensity: Intensity | None = None
    water_ml: int | None = WaterMl
    notes: Notes | None = None


class ContextDayPublic(PublicModel):
    id: UUID
    day: date
    stress: int | None
    sleep_hours: float | None
    sleep_quality: int | None
    menstruation: str | None
    exercise_minutes: int | None
    exercise_intensity: str | None
    water_ml: int | None
    notes: str | None
    created_at: datetime
    updated_at: datetime


class DailyNoteCreate(InputModel):
    day: Day
    body: LongText


class DailyNoteUpdate(UpdateModel):
    NOT_NULL = frozenset({"day", "body"})
    day: Day | None = None
    body: LongText | None = None


class DailyNotePublic(PublicModel):
    id: UUID
    day: date
    body: str
    created_at: datetime
    updated_at: datetime


def _check_days(first: date, last: date) -> None:
    if last < first:
        raise Invalid({"last": "must be on or after first"})
    if (last - first).days > 366:
        raise Invalid({"range": "spans more than 366 days; ask for a shorter period"})


def create_context_day(
    conn: DbConnection, data: ContextDayCreate, idempotency_key: str | None = None
) -> ContextDayPublic:
    with _db.mutation(conn, CONTEXT_DAY):
        row, _ = _db.insert(conn, CONTEXT_DAY, data.model_dump(), idempotency_key)
    return ContextDayPublic.model_validate(row)


def update_context_day(
    conn: DbConnection, context_id: UUID, data: ContextDayUpdate
) -> ContextDayPublic:
    with _db.mutation(conn, CONTEXT_DAY):
        row = _db.update(conn, CONTEXT_DAY, context_id, data.changes())
    return ContextDayPublic.model_validate(row)


def delete_context_day(conn: DbConnection, context_id: UUID) -> None:
    with _db.mutation(conn, CONTEXT_DAY):
        _db.delete(conn, CONTEXT_DAY, context_id)


def list_context_days(conn: DbConnection, first: date, last: date) -> list[ContextDayPublic]:
    _check_days(first, last)
    rows = conn.execute(
        "SELECT * FROM bia.context_day WHERE day BETWEEN %s AND %s ORDER BY day", (first, last)
    ).fetchall()
    return [ContextDayPublic.model_validate(row) for row in rows]


def create_daily_note(
    conn: DbConnection, data: DailyNoteCreate, idempotency_key: str | None = None
) -> DailyNotePublic:
    with _db.mutation(conn, DAILY_NOTE):
        row, _ = _db.insert(conn, DAILY_NOTE, data.model_dump(), idempotency_key)
    return DailyNotePublic.model_validate(row)


def update_daily_note(conn: DbConnection, note_id: UUID, data: DailyNoteUpdate) -> DailyNotePublic:
    with _db.mutation(conn, DAILY_NOTE):
        row = _db.update(conn, DAILY_NOTE, note_id, data.changes())
    return DailyNotePublic.model_validate(row)


def delete_daily_note(conn: DbConnection, note_id: UUID) -> None:
    with _db.mutation(conn, DAILY_NOTE):
        _db.delete(conn, DAILY_NOTE, note_id)


def list_daily_notes(conn: DbConnection, first: date, last: date) -> list[DailyNotePublic]:
    _check_days(first, last)
    rows = conn.execute(
        "SELECT * FROM bia.daily_note WHERE day BETWEEN %s AND %s ORDER BY day", (first, last)
    ).fetchall()
    return [DailyNotePublic.model_validate(row) for row in rows]
