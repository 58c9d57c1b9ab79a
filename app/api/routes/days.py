"""/api/context-days (stress, sleep, cycle, exercise, water) and /api/daily-notes."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.errors import ERROR_RESPONSES
from app.api.routes._crud import crud
from app.journal import days as d

router = APIRouter(prefix="/api", tags=["days"], responses=ERROR_RESPONSES)
crud(
    router, "/context-days", "context_day",
    public=d.ContextDayPublic, create_model=d.ContextDayCreate, update_model=d.ContextDayUpdate,
    create=d.create_context_day, update=d.update_context_day, delete=d.delete_context_day,
    listing=d.list_context_days, listed_by="day",
)  # fmt: skip
crud(
    router, "/daily-notes", "daily_note",
    public=d.DailyNotePublic, create_model=d.DailyNoteCreate, update_model=d.DailyNoteUpdate,
    create=d.create_daily_note, update=d.update_daily_note, delete=d.delete_daily_note,
    listing=d.list_daily_notes, listed_by="day",
)  # fmt: skip
