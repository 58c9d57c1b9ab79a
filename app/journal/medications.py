"""Medications and doses; a dose is explicitly taken or skipped (no row: not recorded)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from app.db.session import DbConnection
from app.journal import _db
from app.journal.fields import Dose, EventTime, InputModel, Name, Notes, PublicModel, UpdateModel

DoseUnit = Literal["mg", "g", "mcg", "ml", "IU", "tablet", "capsule", "drop", "puff", "sachet"]
DoseStatus = Literal["taken", "skipped"]
MEDICATION = _db.Table("medication", "medication")
MEDICATION_DOSE = _db.Table("medication_dose", "dose", "dose_at")


class MedicationCreate(InputModel):
    name: Name
    dose: Dose | None = None
    unit: DoseUnit | None = None
    active: bool = True
    notes: Notes | None = None


class MedicationUpdate(UpdateModel):
    NOT_NULL = frozenset({"name", "active"})
    name: Name | None = None
    dose: Dose | None = None
    unit: DoseUnit | None = None
    active: bool | None = None
    notes: Notes | None = None


class MedicationPublic(PublicModel):
    id: UUID
    name: str
    dose: float | None
    unit: str | None
    active: bool
    notes: str | None
    created_at: datetime
    updated_at: datetime


class DoseCreate(InputModel):
    medication_id: UUID
    dose_at: EventTime
    status: DoseStatus
    amount: Dose | None = None  # when it differs from the medication's usual dose
    notes: Notes | None = None


class DoseUpdate(UpdateModel):
    NOT_NULL = frozenset({"medication_id", "dose_at", "status"})
    medication_id: UUID | None = None
    dose_at: EventTime | None = None
    status: DoseStatus | None = None
    amount: Dose | None = None
    notes: Notes | None = None


class DosePublic(PublicModel):
    id: UUID
    medication_id: UUID
    dose_at: datetime
    status: str
    amount: float | None
    notes: str | None
    created_at: datetime
    updated_at: datetime


def create_medication(
    conn: DbConnection, data: MedicationCreate, idempotency_key: str | None = None
) -> MedicationPublic:
    with _db.mutation(conn, MEDICATION):
        row, _ = _db.insert(conn, MEDICATION, data.model_dump(), idempotency_key)
    return MedicationPublic.model_validate(row)


def update_medication(
    conn: DbConnection, medication_id: UUID, data: MedicationUpdate
) -> MedicationPublic:
    with _db.mutation(conn, MEDICATION):
        row = _db.update(conn, MEDICATION, medication_id, data.changes())
    return MedicationPublic.model_validate(row)


def delete_medication(conn: DbConnection, medication_id: UUID) -> None:
    with _db.mutation(conn, MEDICATION):
        _db.delete(conn, MEDICATION, medication_id)


def list_medications(conn: DbConnection) -> list[MedicationPublic]:
    rows = conn.execute(
        "SELECT * FROM bia.medication ORDER BY NOT active, lower(name), id"
    ).fetchall()
    return [MedicationPublic.model_validate(row) for row in rows]


def create_dose(
    conn: DbConnection, data: DoseCreate, idempotency_key: str | None = None
) -> DosePublic:
    with _db.mutation(conn, MEDICATION_DOSE):
        row, _ = _db.insert(conn, MEDICATION_DOSE, data.model_dump(), idempotency_key)
    return DosePublic.model_validate(row)


def update_dose(conn: DbConnection, dose_id: UUID, data: DoseUpdate) -> DosePublic:
    with _db.mutation(conn, MEDICATION_DOSE):
        row = _db.update(conn, MEDICATION_DOSE, dose_id, data.changes())
    return DosePublic.model_validate(row)


def delete_dose(conn: DbConnection, dose_id: UUID) -> None:
    with _db.mutation(conn, MEDICATION_DOSE):
        _db.delete(conn, MEDICATION_DOSE, dose_id)


def list_doses(conn: DbConnection, start: datetime, end: datetime) -> list[DosePublic]:
    rows = _db.list_between(conn, MEDICATION_DOSE, start, end)
    return [DosePublic.model_validate(row) for row in rows]
