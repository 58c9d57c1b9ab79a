"""Symptoms (a fixed list of kinds plus the user's own types) with severity 0-10."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import Field, model_validator

from app.db.session import DbConnection
from app.journal import _db
from app.journal.fields import (
    EventTime,
    InputModel,
    Notes,
    PublicModel,
    Scale,
    ShortName,
    UpdateModel,
)

SymptomKind = Literal[
    "abdominal_pain", "bloating", "gas", "nausea", "reflux", "urgency", "diarrhoea",
    "constipation", "fatigue", "cramping", "vomiting", "incomplete_evacuation",
    "loss_of_appetite", "headache", "joint_pain",
]  # fmt: skip
SYMPTOM = _db.Table("symptom", "symptom", "onset_at")
SYMPTOM_TYPE = _db.Table("symptom_type", "symptom type")
Minutes = Field(default=None, ge=0, le=7 * 24 * 60)


class SymptomTypeCreate(InputModel):
    name: ShortName


class SymptomTypeUpdate(UpdateModel):
    NOT_NULL = frozenset({"name"})
    name: ShortName | None = None


class SymptomTypePublic(PublicModel):
    id: UUID
    name: str
    created_at: datetime
    updated_at: datetime


class SymptomCreate(InputModel):
    """Either `kind` (from the fixed list) or `symptom_type_id` (the user's own type)."""

    kind: SymptomKind | None = None
    symptom_type_id: UUID | None = None
    severity: Scale
    onset_at: EventTime
    duration_minutes: int | None = Minutes
    notes: Notes | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> SymptomCreate:
        if (self.kind is None) == (self.symptom_type_id is None):
            raise ValueError("give exactly one of kind and symptom_type_id")
        return self


class SymptomUpdate(UpdateModel):
    NOT_NULL = frozenset({"severity", "onset_at"})
    kind: SymptomKind | None = None
    symptom_type_id: UUID | None = None
    severity: Scale | None = None
    onset_at: EventTime | None = None
    duration_minutes: int | None = Minutes
    notes: Notes | None = None


class SymptomPublic(PublicModel):
    id: UUID
    kind: str | None
    symptom_type_id: UUID | None
    severity: int
    onset_at: datetime
    duration_minutes: int | None
    notes: str | None
    created_at: datetime
    updated_at: datetime


def create_symptom_type(
    conn: DbConnection, data: SymptomTypeCreate, idempotency_key: str | None = None
) -> SymptomTypePublic:
    with _db.mutation(conn, SYMPTOM_TYPE):
        row, _ = _db.insert(conn, SYMPTOM_TYPE, data.model_dump(), idempotency_key)
    return SymptomTypePublic.model_validate(row)


def update_symptom_type(
    conn: DbConnection, type_id: UUID, data: SymptomTypeUpdate
) -> SymptomTypePublic:
    with _db.mutation(conn, SYMPTOM_TYPE):
        row = _db.update(conn, SYMPTOM_TYPE, type_id, data.changes())
    return SymptomTypePublic.model_validate(row)


def delete_symptom_type(conn: DbConnection, type_id: UUID) -> None:
    with _db.mutation(conn, SYMPTOM_TYPE):
        _db.delete(conn, SYMPTOM_TYPE, type_id)


def list_symptom_types(conn: DbConnection) -> list[SymptomTypePublic]:
    rows = conn.execute("SELECT * FROM bia.symptom_type ORDER BY lower(name)").fetchall()
    return [SymptomTypePublic.model_validate(row) for row in rows]


def create_symptom(
    conn: DbConnection, data: SymptomCreate, idempotency_key: str | None = None
) -> SymptomPublic:
    with _db.mutation(conn, SYMPTOM):
        row, _ = _db.insert(conn, SYMPTOM, data.model_dump(), idempotency_key)
    return SymptomPublic.model_validate(row)


def update_symptom(conn: DbConnection, symptom_id: UUID, data: SymptomUpdate) -> SymptomPublic:
    with _db.mutation(conn, SYMPTOM):
        row = _db.update(conn, SYMPTOM, symptom_id, data.changes())
    return SymptomPublic.model_validate(row)


def delete_symptom(conn: DbConnection, symptom_id: UUID) -> None:
    with _db.mutation(conn, SYMPTOM):
        _db.delete(conn, SYMPTOM, symptom_id)


def get_symptom(conn: DbConnection, symptom_id: UUID) -> SymptomPublic:
    return SymptomPublic.model_validate(_db.get(conn, SYMPTOM, symptom_id))


def list_symptoms(conn: DbConnection, start: datetime, end: datetime) -> list[SymptomPublic]:
    rows = _db.list_between(conn, SYMPTOM, start, end)
    return [SymptomPublic.model_validate(row) for row in rows]
