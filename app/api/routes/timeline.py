"""/api/timeline: a day (in the user's time zone) or a range, merged by time."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from app.api.deps import PoolDep, UserIdDep
from app.api.errors import ERROR_RESPONSES
from app.api.routes._crud import End, Start
from app.db.session import user_transaction
from app.journal import timeline

router = APIRouter(prefix="/api", tags=["timeline"], responses=ERROR_RESPONSES)


@router.get("/timeline", response_model=timeline.Timeline)
def get_range(start: Start, end: End, user_id: UserIdDep, pool: PoolDep) -> timeline.Timeline:
    """Everything in [start, end), at most 366 days."""
    with user_transaction(pool, user_id) as conn:
        return timeline.timeline(conn, start, end)


@router.get("/timeline/{day}", response_model=timeline.Timeline)
def get_day(day: date, user_id: UserIdDep, pool: PoolDep) -> timeline.Timeline:
    """One calendar day in the user's own time zone (see /api/settings)."""
    with user_transaction(pool, user_id) as conn:
        return timeline.day_timeline(conn, day)
