"""/api/medications and /api/doses (each dose taken or skipped)."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.errors import ERROR_RESPONSES
from app.api.routes._crud import crud
from app.journal import medications as m

router = APIRouter(prefix="/api", tags=["medications"], responses=ERROR_RESPONSES)
crud(
    router, "/medications", "medication",
    public=m.MedicationPublic, create_model=m.MedicationCreate, update_model=m.MedicationUpdate,
    create=m.create_medication, update=m.update_medication, delete=m.delete_medication,
    listing=m.list_medications, listed_by="all",
)  # fmt: skip
crud(
    router, "/doses", "dose",
    public=m.DosePublic, create_model=m.DoseCreate, update_model=m.DoseUpdate,
    create=m.create_dose, update=m.update_dose, delete=m.delete_dose, listing=m.list_doses,
)  # fmt: skip
