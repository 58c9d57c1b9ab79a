"""The shared FODMAP catalog (read-only) and each user's own foods; food search."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import Field

from app.db.session import DbConnection
from app.journal import _db
from app.journal.errors import Invalid
from app.journal.fields import InputModel, Name, Notes, PublicModel, UpdateModel

FodmapLevel = Literal["low", "moderate", "high"]
ServingUnit = Literal["g", "ml"]
USER_FOOD = _db.Table("user_food", "food")
MAX_RESULTS = 50


class FodmapLevels(PublicModel):
    fructose: FodmapLevel | None = None
    lactose: FodmapLevel | None = None
    fructans: FodmapLevel | None = None
    gos: FodmapLevel | None = None
    sorbitol: FodmapLevel | None = None
    mannitol: FodmapLevel | None = None


class UserFoodCreate(InputModel):
    name: Name
    serving_size: float | None = Field(default=None, gt=0, le=100_000, allow_inf_nan=False)
    serving_unit: ServingUnit | None = None
    fructose: FodmapLevel | None = None
    lactose: FodmapLevel | None = None
    fructans: FodmapLevel | None = None
    gos: FodmapLevel | None = None
    sorbitol: FodmapLevel | None = None
    mannitol: FodmapLevel | None = None
    notes: Notes | None = None


class UserFoodUpdate(UpdateModel):
    NOT_NULL = frozenset({"name"})
    name: Name | None = None
    serving_size: float | None = Field(default=None, gt=0, le=100_000, allow_inf_nan=False)
    serving_unit: ServingUnit | None = None
    fructose: FodmapLevel | None = None
    lactose: FodmapLevel | None = None
    fructans: FodmapLevel | None = None
    gos: FodmapLevel | None = None
    sorbitol: FodmapLevel | None = None
    mannitol: FodmapLevel | None = None
    notes: Notes | None = None


class UserFoodPublic(FodmapLevels):
    id: UUID
    name: str
    serving_size: float | None
    serving_unit: str | None
    notes: str | None
    created_at: datetime
    updated_at: datetime


class FoodMatch(FodmapLevels):
    """A search hit from the catalog (id is its integer) or the user's foods (a UUID)."""

    origin: Literal["catalog", "user"]
    id: str
    name: str
    serving_size: float | None
    serving_unit: str | None
    source: str | None
    score: float


def create_user_food(
    conn: DbConnection, data: UserFoodCreate, idempotency_key: str | None = None
) -> UserFoodPublic:
    with _db.mutation(conn, USER_FOOD):
        row, _ = _db.insert(conn, USER_FOOD, data.model_dump(), idempotency_key)
    return UserFoodPublic.model_validate(row)


def update_user_food(conn: DbConnection, food_id: UUID, data: UserFoodUpdate) -> UserFoodPublic:
    with _db.mutation(conn, USER_FOOD):
        row = _db.update(conn, USER_FOOD, food_id, data.changes())
    return UserFoodPublic.model_validate(row)


def delete_user_food(conn: DbConnection, food_id: UUID) -> None:
    with _db.mutation(conn, USER_FOOD):
        _db.delete(conn, USER_FOOD, food_id)


def get_user_food(conn: DbConnection, food_id: UUID) -> UserFoodPublic:
    return UserFoodPublic.model_validate(_db.get(conn, USER_FOOD, food_id))


def list_user_foods(conn: DbConnection) -> list[UserFoodPublic]:
    rows = conn.execute(
        "SELECT * FROM bia.user_food ORDER BY lower(name) LIMIT %s", (_db.MAX_LIST,)
    ).fetchall()
    return [UserFoodPublic.model_validate(row) for row in rows]


_SEARCH = """
WITH q AS (SELECT %(q)s::text AS q, %(prefix)s::text AS prefix)
SELECT origin, id, name, serving_size, serving_unit, source,
       fructose, lactose, fructans, gos, sorbitol, mannitol, score
FROM (
    SELECT 'catalog' AS origin, c.id::text AS id, c.name, c.serving_size, c.serving_unit,
           c.source, c.fructose, c.lactose, c.fructans, c.gos, c.sorbitol, c.mannitol,
           lower(c.name) LIKE q.prefix AS is_prefix,
           bia.word_similarity(q.q, lower(c.name)) AS score
    FROM bia.catalog_food c, q
    WHERE lower(c.name) LIKE q.prefix OR lower(c.name) OPERATOR(bia.%%>) q.q
    UNION ALL
    SELECT 'user', u.id::text, u.name, u.serving_size, u.serving_unit,
           NULL, u.fructose, u.lactose, u.fructans, u.gos, u.sorbitol, u.mannitol,
           lower(u.name) LIKE q.prefix,
           bia.word_similarity(q.q, lower(u.name))
    FROM bia.user_food u, q
    WHERE lower(u.name) LIKE q.prefix OR lower(u.name) OPERATOR(bia.%%>) q.q
) AS hits
ORDER BY is_prefix DESC, score DESC, origin DESC, lower(name)
LIMIT %(limit)s
"""


def search_foods(conn: DbConnection, query: str, limit: int = 20) -> list[FoodMatch]:
    """Foods whose name starts with `query`, then fuzzy matches (typos, word order).

    The user's own foods come before catalog foods that match as well.
    """
    text = " ".join(query.split()).lower() if isinstance(query, str) else ""
    problems = {}
    if not 1 <= len(text) <= 100 or "\x00" in text:
        problems["query"] = "type between 1 and 100 characters of a food's name"
    if not isinstance(limit, int) or not 1 <= limit <= MAX_RESULTS:
        problems["limit"] = f"must be between 1 and {MAX_RESULTS}"
    if problems:
        raise Invalid(problems)
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = conn.execute(_SEARCH, {"q": text, "prefix": escaped + "%", "limit": limit}).fetchall()
    return [FoodMatch.model_validate(row) for row in rows]
