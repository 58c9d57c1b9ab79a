"""Meals and their food items, always written together in one transaction."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import Field, model_validator

from app.db.session import DbConnection
from app.journal import _db
from app.journal.fields import Amount, EventTime, InputModel, Notes, PublicModel, UpdateModel

MealType = Literal["breakfast", "lunch", "dinner", "snack", "drink", "other"]
PortionUnit = Literal["g", "ml", "serving", "piece", "cup", "tbsp", "tsp"]
MEAL = _db.Table("meal", "meal", "eaten_at")
MEAL_ITEM = _db.Table("meal_item", "meal item")
MAX_ITEMS = 50


class MealItemCreate(InputModel):
    """One food in a meal: from the catalog (integer id) or the user's own (UUID)."""

    catalog_food_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    user_food_id: UUID | None = None
    amount: Amount
    unit: PortionUnit

    @model_validator(mode="after")
    def _one_food(self) -> MealItemCreate:
        if (self.catalog_food_id is None) == (self.user_food_id is None):
            raise ValueError("give exactly one of catalog_food_id and user_food_id")
        return self


class MealCreate(InputModel):
    eaten_at: EventTime
    meal_type: MealType
    notes: Notes | None = None
    items: list[MealItemCreate] = Field(default_factory=list, max_length=MAX_ITEMS)


class MealUpdate(UpdateModel):
    """`items`, when given, replaces the meal's items."""

    NOT_NULL = frozenset({"eaten_at", "meal_type", "items"})
    eaten_at: EventTime | None = None
    meal_type: MealType | None = None
    notes: Notes | None = None
    items: list[MealItemCreate] | None = Field(default=None, max_length=MAX_ITEMS)


class MealItemPublic(PublicModel):
    id: UUID
    catalog_food_id: int | None
    user_food_id: UUID | None
    food_name: str
    amount: float
    unit: str


class MealPublic(PublicModel):
    id: UUID
    eaten_at: datetime
    meal_type: str
    notes: str | None
    items: list[MealItemPublic]
    created_at: datetime
    updated_at: datetime


_ITEMS = """
SELECT i.meal_id, i.id, i.catalog_food_id, i.user_food_id, i.amount, i.unit,
       coalesce(c.name, u.name) AS food_name
FROM bia.meal_item i
LEFT JOIN bia.catalog_food c ON c.id = i.catalog_food_id
LEFT JOIN bia.user_food u ON u.user_id = i.user_id AND u.id = i.user_food_id
WHERE i.meal_id = ANY(%s)
ORDER BY i.meal_id, i.position
"""


def _with_items(conn: DbConnection, meals: list[Any]) -> list[MealPublic]:
    items: dict[UUID, list[Any]] = defaultdict(list)
    if meals:
        for row in conn.execute(_ITEMS, ([m["id"] for m in meals],)).fetchall():
            items[row["meal_id"]].append(row)
    return [MealPublic.model_validate({**m, "items": items[m["id"]]}) for m in meals]


def _write_items(conn: DbConnection, meal_id: UUID, items: list[MealItemCreate]) -> None:
    if not items:
        return
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO bia.meal_item (meal_id, position, catalog_food_id, user_food_id,"
            " amount, unit) VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (meal_id, n, i.catalog_food_id, i.user_food_id, i.amount, i.unit)
                for n, i in enumerate(items)
            ],
        )


def create_meal(
    conn: DbConnection, data: MealCreate, idempotency_key: str | None = None
) -> MealPublic:
    with _db.mutation(conn, MEAL):
        row, created = _db.insert(conn, MEAL, data.model_dump(exclude={"items"}), idempotency_key)
        if created:
            _write_items(conn, row["id"], data.items)
    return _with_items(conn, [row])[0]


def update_meal(conn: DbConnection, meal_id: UUID, data: MealUpdate) -> MealPublic:
    changes = data.changes()
    new_items = changes.pop("items", None)
    with _db.mutation(conn, MEAL):
        row = _db.update(conn, MEAL, meal_id, changes)
        if new_items is not None:
            conn.execute("DELETE FROM bia.meal_item WHERE meal_id = %s", (meal_id,))
            _write_items(conn, meal_id, data.items or [])
    return _with_items(conn, [row])[0]


def delete_meal(conn: DbConnection, meal_id: UUID) -> None:
    with _db.mutation(conn, MEAL):
        _db.delete(conn, MEAL, meal_id)


def get_meal(conn: DbConnection, meal_id: UUID) -> MealPublic:
    return _with_items(conn, [_db.get(conn, MEAL, meal_id)])[0]


def list_meals(conn: DbConnection, start: datetime, end: datetime) -> list[MealPublic]:
    return _with_items(conn, list(_db.list_between(conn, MEAL, start, end)))
