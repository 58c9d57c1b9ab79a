"""A merged, time-ordered view of a day or a range: meals, symptoms, bowel, doses."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Literal
from uuid import UUID

from app.db.session import DbConnection
from app.journal.bowel import BowelMovementPublic, list_bowel_movements
from app.journal.days import (
    ContextDayPublic,
    DailyNotePublic,
    list_context_days,
    list_daily_notes,
)
from app.journal.fields import PublicModel, check_range
from app.journal.meals import MealPublic, list_meals
from app.journal.medications import DosePublic, list_doses
from app.journal.symptoms import SymptomPublic, list_symptoms
from app.journal.user_settings import get_settings

EntryKind = Literal["meal", "symptom", "bowel_movement", "dose"]
Entry = MealPublic | SymptomPublic | BowelMovementPublic | DosePublic
# Same instant: what was eaten or taken is listed before what followed.
_ORDER: dict[str, int] = {"meal": 0, "dose": 1, "symptom": 2, "bowel_movement": 3}


class TimelineEntry(PublicModel):
    kind: EntryKind
    at: datetime
    id: UUID
    entry: Entry


class Timeline(PublicModel):
    start: datetime
    end: datetime
    entries: list[TimelineEntry]
    context_days: list[ContextDayPublic]
    daily_notes: list[DailyNotePublic]


def timeline(conn: DbConnection, start: datetime, end: datetime) -> Timeline:
    """Everything in [start, end), merged and sorted by time (at most 366 days)."""
    check_range(start, end)
    entries = [
        *(TimelineEntry(kind="meal", at=m.eaten_at, id=m.id, entry=m)
          for m in list_meals(conn, start, end)),
        *(TimelineEntry(kind="symptom", at=s.onset_at, id=s.id, entry=s)
          for s in list_symptoms(conn, start, end)),
        *(TimelineEntry(kind="bowel_movement", at=b.occurred_at, id=b.id, entry=b)
          for b in list_bowel_movements(conn, start, end)),
        *(TimelineEntry(kind="dose", at=d.dose_at, id=d.id, entry=d)
          for d in list_doses(conn, start, end)),
    ]  # fmt: skip
    entries.sort(key=lambda e: (e.at, _ORDER[e.kind], str(e.id)))
    zone = get_settings(conn).zone
    first = start.astimezone(zone).date()
    last = (end - timedelta(microseconds=1)).astimezone(zone).date()
    return Timeline(
        start=start,
        end=end,
        entries=entries,
        context_days=list_context_days(conn, first, last),
        daily_notes=list_daily_notes(conn, first, last),
    )


def day_timeline(conn: DbConnection, day: date) -> Timeline:
    """One calendar day in the user's own time zone (see user settings)."""
    zone = get_settings(conn).zone
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return timeline(conn, start, end)
