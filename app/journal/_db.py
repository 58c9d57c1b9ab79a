"""Shared SQL for the services: insert/update/delete/get/list one table's rows.

Every statement relies on RLS for the user filter (user_id is stamped by the
column default from the transaction's setting). Each mutation runs in a
savepoint, so a failure leaves no partial write even if the caller goes on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import errors, sql
from psycopg.rows import DictRow

from app.db.session import DbConnection
from app.journal.errors import Conflict, DomainError, Invalid, NotFound
from app.journal.fields import check_idempotency_key, check_range

MAX_LIST = 5000


@dataclass(frozen=True)
class Table:
    name: str
    kind: str  # what a person calls one row: "meal", "symptom"
    time_column: str | None = None

    @property
    def ident(self) -> sql.Composed:
        return sql.SQL("bia.{}").format(sql.Identifier(self.name))


# Constraint name -> what the person should hear. Unlisted ones fall back to
# a generic message naming the column, derived from PostgreSQL's naming.
_FOREIGN_KEYS = {
    "meal_item_catalog_food_id_fkey": ("items.catalog_food_id", "catalog food"),
    "meal_item_user_id_user_food_id_fkey": ("items.user_food_id", "food"),
    "symptom_user_id_symptom_type_id_fkey": ("symptom_type_id", "symptom type"),
    "medication_dose_user_id_medication_id_fkey": ("medication_id", "medication"),
}
_IN_USE = {
    "meal_item_user_id_user_food_id_fkey": "meals still use this food; remove it from them first",
    "symptom_user_id_symptom_type_id_fkey": "symptoms still use this type; delete them first",
    "medication_dose_user_id_medication_id_fkey": (
        "doses are recorded for this medication; mark it inactive instead of deleting it"
    ),
}
_UNIQUE = {
    "user_food_name_key": ("name", "you already have a food with this name"),
    "symptom_type_name_key": ("name", "you already have a symptom type with this name"),
    "context_day_user_id_day_key": ("day", "context factors for this day exist; update them"),
    "daily_note_user_id_day_key": ("day", "a note for this day exists; update it instead"),
}


@contextmanager
def domain_errors(table: Table) -> Iterator[None]:
    """Map constraint violations to DomainErrors (after the savepoint rolled back)."""
    try:
        yield
    except DomainError:
        raise
    except errors.ForeignKeyViolation as error:
        name = error.diag.constraint_name or ""
        # "update or delete on table ... violates foreign key": the row is still referenced.
        referenced = (error.diag.message_primary or "").startswith("update or delete")
        if referenced and name in _IN_USE:
            raise Conflict(f"Cannot delete this {table.kind}: {_IN_USE[name]}.") from None
        field, kind = _FOREIGN_KEYS.get(name, ("id", "referenced item"))
        raise Invalid({field: f"no {kind} with this id in your journal or the catalog"}) from None
    except errors.UniqueViolation as error:
        _field, message = _UNIQUE.get(error.diag.constraint_name or "", ("", ""))
        if message:
            raise Conflict(f"{message[0].upper()}{message[1:]}.") from None
        raise Conflict(f"This {table.kind} clashes with one you already have.") from None
    except errors.CheckViolation as error:
        raise Invalid({_column_of(error, table): "is outside the allowed values"}) from None
    except (errors.NumericValueOutOfRange, errors.StringDataRightTruncation) as error:
        raise Invalid({"input": f"a value is too large ({error.diag.message_primary})"}) from None


def _column_of(error: errors.CheckViolation, table: Table) -> str:
    name = error.diag.constraint_name or ""
    match = re.fullmatch(rf"{re.escape(table.name)}_(\w+?)_check\d*", name)
    return match.group(1) if match else "input"


def insert(
    conn: DbConnection,
    table: Table,
    values: Mapping[str, Any],
    idempotency_key: str | None = None,
) -> tuple[DictRow, bool]:
    """Insert one row; returns (row, created). A repeated idempotency key returns
    the row stored the first time, and creates nothing."""
    key = check_idempotency_key(idempotency_key)
    data = dict(values)
    if key is not None:
        data["idempotency_key"] = key
    query = sql.SQL("INSERT INTO {table} ({columns}) VALUES ({values}) {conflict} RETURNING *")
    statement = query.format(
        table=table.ident,
        columns=sql.SQL(", ").join(map(sql.Identifier, data)),
        values=sql.SQL(", ").join(map(sql.Placeholder, data)),
        conflict=sql.SQL(
            "ON CONFLICT (user_id, idempotency_key) DO NOTHING" if key is not None else ""
        ),
    )
    row = conn.execute(statement, data).fetchone()
    if row is not None:
        return row, True
    existing = conn.execute(
        sql.SQL("SELECT * FROM {} WHERE idempotency_key = %s").format(table.ident), (key,)
    ).fetchone()
    if existing is None:  # deleted by a concurrent transaction between the two statements
        raise Conflict(
            f"This request was already carried out and its {table.kind} deleted since; "
            "send it again with a new idempotency key to create a new one."
        )
    return existing, False


def update(conn: DbConnection, table: Table, ident: UUID, changes: Mapping[str, Any]) -> DictRow:
    assignments: list[sql.Composable] = [
        sql.SQL("{} = {}").format(sql.Identifier(c), sql.Placeholder(c)) for c in changes
    ] or [sql.SQL("updated_at = now()")]
    statement = sql.SQL("UPDATE {table} SET {sets} WHERE id = %(_id)s RETURNING *").format(
        table=table.ident, sets=sql.SQL(", ").join(assignments)
    )
    row = conn.execute(statement, {**changes, "_id": ident}).fetchone()
    if row is None:
        raise NotFound(table.kind, ident)
    return row


def delete(conn: DbConnection, table: Table, ident: UUID) -> None:
    statement = sql.SQL("DELETE FROM {} WHERE id = %s RETURNING id").format(table.ident)
    if conn.execute(statement, (ident,)).fetchone() is None:
        raise NotFound(table.kind, ident)


def get(conn: DbConnection, table: Table, ident: UUID) -> DictRow:
    statement = sql.SQL("SELECT * FROM {} WHERE id = %s").format(table.ident)
    row = conn.execute(statement, (ident,)).fetchone()
    if row is None:
        raise NotFound(table.kind, ident)
    return row


def list_between(conn: DbConnection, table: Table, start: datetime, end: datetime) -> list[DictRow]:
    """Rows with start <= time < end, oldest first (at most MAX_LIST)."""
    check_range(start, end)
    assert table.time_column is not None
    statement = sql.SQL(
        "SELECT * FROM {table} WHERE {col} >= %s AND {col} < %s ORDER BY {col}, id LIMIT {n}"
    ).format(table=table.ident, col=sql.Identifier(table.time_column), n=MAX_LIST)
    return conn.execute(statement, (start, end)).fetchall()


@contextmanager
def mutation(conn: DbConnection, table: Table) -> Iterator[None]:
    """A savepoint whose failure is reported as a DomainError."""
    with domain_errors(table), conn.transaction():
        yield
