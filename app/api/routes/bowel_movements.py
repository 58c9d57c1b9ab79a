"""/api/bowel-movements: Bristol scale, urgency, blood, mucus."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.errors import ERROR_RESPONSES
from app.api.routes._crud import crud
from app.journal import bowel

router = APIRouter(prefix="/api", tags=["bowel movements"], responses=ERROR_RESPONSES)
crud(
    router, "/bowel-movements", "bowel_movement",
    public=bowel.BowelMovementPublic, create_model=bowel.BowelMovementCreate,
    update_model=bowel.BowelMovementUpdate, create=bowel.create_bowel_movement,
    update=bowel.update_bowel_movement, delete=bowel.delete_bowel_movement,
    get=bowel.get_bowel_movement, listing=bowel.list_bowel_movements,
)  # fmt: skip
