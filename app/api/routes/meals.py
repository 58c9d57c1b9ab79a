"""/api/meals: meals with their food items."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.errors import ERROR_RESPONSES
from app.api.routes._crud import crud
from app.journal import meals

router = APIRouter(prefix="/api", tags=["meals"], responses=ERROR_RESPONSES)
crud(
    router, "/meals", "meal",
    public=meals.MealPublic, create_model=meals.MealCreate, update_model=meals.MealUpdate,
    create=meals.create_meal, update=meals.update_meal, delete=meals.delete_meal,
    get=meals.get_meal, listing=meals.list_meals,
)  # fmt: skip
