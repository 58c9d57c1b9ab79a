"""GET /api/me: who the access token says the caller is, as the database sees it."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from app.api.deps import PoolDep, UserIdDep
from app.db.config import USER_SETTING
from app.db.session import user_transaction

router = APIRouter(prefix="/api", tags=["account"])


class MePublic(BaseModel):
    subject: str
    # The row level security user of this request's transaction (same as subject).
    database_user: str


@router.get("/me", response_model=MePublic)
def me(user_id: UserIdDep, pool: PoolDep) -> MePublic:
    with user_transaction(pool, user_id) as conn:
        row = conn.execute("SELECT current_setting(%s, true) AS uid", (USER_SETTING,)).fetchone()
    return MePublic(subject=str(user_id), database_user=str(row["uid"]) if row else "")
