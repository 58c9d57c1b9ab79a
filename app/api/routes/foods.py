"""/api/foods: search the catalog and one's own foods; add, change, delete one's own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import PoolDep, UserIdDep
from app.api.errors import ERROR_RESPONSES
from app.api.routes._crud import crud
from app.db.session import user_transaction
from app.journal import foods

router = APIRouter(prefix="/api", tags=["foods"], responses=ERROR_RESPONSES)


@router.get("/foods/search", response_model=list[foods.FoodMatch])
def search_foods(
    q: Annotated[str, Query(min_length=1, max_length=100, description="Part of a food's name")],
    user_id: UserIdDep,
    pool: PoolDep,
    limit: Annotated[int, Query(ge=1, le=foods.MAX_RESULTS)] = 20,
) -> list[foods.FoodMatch]:
    """Names starting with `q` first, then fuzzy matches (typos, word order)."""
    with user_transaction(pool, user_id) as conn:
        return foods.search_foods(conn, q, limit)


crud(
    router, "/foods", "food",
    public=foods.UserFoodPublic, create_model=foods.UserFoodCreate,
    update_model=foods.UserFoodUpdate, create=foods.create_user_food,
    update=foods.update_user_food, delete=foods.delete_user_food, get=foods.get_user_food,
    listing=foods.list_user_foods, listed_by="all",
)  # fmt: skip
