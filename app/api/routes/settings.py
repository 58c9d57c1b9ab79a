"""/api/settings: the user's time zone, insights lag window and units."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import PoolDep, UserIdDep
from app.api.errors import ERROR_RESPONSES
from app.db.session import user_transaction
from app.journal import user_settings as us

router = APIRouter(prefix="/api", tags=["settings"], responses=ERROR_RESPONSES)


@router.get("/settings", response_model=us.UserSettingsPublic)
def get_settings(user_id: UserIdDep, pool: PoolDep) -> us.UserSettingsPublic:
    with user_transaction(pool, user_id) as conn:
        return us.get_settings(conn)


@router.patch("/settings", response_model=us.UserSettingsPublic)
def update_settings(
    body: us.UserSettingsUpdate, user_id: UserIdDep, pool: PoolDep
) -> us.UserSettingsPublic:
    with user_transaction(pool, user_id) as conn:
        return us.update_settings(conn, body)
