"""Bowel movements: Bristol stool form scale 1-7, urgency, blood, mucus."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import Field

from app.db.session import DbConnection
from app.journal import _db
from app.journal.fields import EventTime, InputModel, Notes, PublicModel, Scale, UpdateModel

BOWEL_MOVEMENT = _db.Table("bowel_movement", "bowel movement", "occurred_at")
Bristol = Field(ge=1, le=7, description="Bristol stool form scale: 1 hard lumps .. 7 liquid")


class BowelMovementCreate(InputModel):
    occurred_at: EventTime
    bristol: int = Bristol
    urgency: Scale = 0
    blood: bool = False
    mucus: bool = False
    notes: Notes | None = None


class BowelMovementUpdate(UpdateModel):
    NOT_NULL = frozenset({"occurred_at", "bristol", "urgency", "blood", "mucus"})
    occurred_at: EventTime | None = None
    bristol: int | None = Field(default=None, ge=1, le=7)
    urgency: Scale | None = None
    blood: bool | None = None
    mucus: bool | None = None
    notes: Notes | None = None


class BowelMovementPublic(PublicModel):
    id: UUID
    occurred_at: datetime
    bristol: int
    urgency: int
    blood: bool
    mucus: bool
    notes: str | None
    created_at: datetime
    updated_at: datetime


def create_bowel_movement(
    conn: DbConnection, data: BowelMovementCreate, idempotency_key: str | None = None
) -> BowelMovementPublic:
    with _db.mutation(conn, BOWEL_MOVEMENT):
        row, _ = _db.insert(conn, BOWEL_MOVEMENT, data.model_dump(), idempotency_key)
    return BowelMovementPublic.model_validate(row)


def update_bowel_movement(
    conn: DbConnection, movement_id: UUID, data: BowelMovementUpdate
) -> BowelMovementPublic:
    with _db.mutation(conn, BOWEL_MOVEMENT):
        row = _db.update(conn, BOWEL_MOVEMENT, movement_id, data.changes())
    return BowelMovementPublic.model_validate(row)


def delete_bowel_movement(conn: DbConnection, movement_id: UUID) -> None:
    with _db.mutation(conn, BOWEL_MOVEMENT):
        _db.delete(conn, BOWEL_MOVEMENT, movement_id)


def get_bowel_movement(conn: DbConnection, movement_id: UUID) -> BowelMovementPublic:
    return BowelMovementPublic.model_validate(_db.get(conn, BOWEL_MOVEMENT, movement_id))


def list_bowel_movements(
    conn: DbConnection, start: datetime, end: datetime
) -> list[BowelMovementPublic]:
    rows = _db.list_between(conn, BOWEL_MOVEMENT, start, end)
    return [BowelMovementPublic.model_validate(row) for row in rows]
