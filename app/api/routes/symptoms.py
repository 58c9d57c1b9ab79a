"""/api/symptoms and /api/symptom-types (the user's own kinds of symptom)."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.errors import ERROR_RESPONSES
from app.api.routes._crud import crud
from app.journal import symptoms as s

router = APIRouter(prefix="/api", tags=["symptoms"], responses=ERROR_RESPONSES)
crud(
    router, "/symptoms", "symptom",
    public=s.SymptomPublic, create_model=s.SymptomCreate, update_model=s.SymptomUpdate,
    create=s.create_symptom, update=s.update_symptom, delete=s.delete_symptom,
    get=s.get_symptom, listing=s.list_symptoms,
)  # fmt: skip
crud(
    router, "/symptom-types", "symptom_type",
    public=s.SymptomTypePublic, create_model=s.SymptomTypeCreate,
    update_model=s.SymptomTypeUpdate, create=s.create_symptom_type,
    update=s.update_symptom_type, delete=s.delete_symptom_type,
    listing=s.list_symptom_types, listed_by="all",
)  # fmt: skip
