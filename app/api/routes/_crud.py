"""Build the REST routes of one journal resource from its domain models and services.

Every route: a valid access token (UserIdDep), one transaction bound to that user
(user_transaction: RLS), the domain service, its XPublic model out. Creates need an
`Idempotency-Key` header; a retry with the same key answers the first result.

This module deliberately has no `from __future__ import annotations`: FastAPI reads the
endpoint annotations at runtime, and here they are the models passed in.
"""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header, Query, Response
from pydantic import AwareDatetime, BaseModel

from app.api.deps import PoolDep, UserIdDep
from app.api.errors import CONFLICT_RESPONSES, NOT_FOUND_RESPONSES
from app.db.session import user_transaction

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="A client-generated key (e.g. a random UUID): a retried request with "
        "the same key creates nothing new and answers the first result.",
    ),
]
Start = Annotated[AwareDatetime, Query(description="Inclusive, with an offset (RFC 3339).")]
End = Annotated[AwareDatetime, Query(description="Exclusive; at most 366 days after start.")]
First = Annotated[date, Query(description="First day (YYYY-MM-DD), inclusive.")]
Last = Annotated[date, Query(description="Last day, inclusive; at most 366 days after first.")]


def crud(
    router: APIRouter,
    path: str,
    name: str,
    *,
    public: type[BaseModel],
    create_model: type[BaseModel],
    update_model: type[BaseModel],
    create: Callable[..., Any],
    update: Callable[..., Any],
    delete: Callable[..., None],
    get: Callable[..., Any] | None = None,
    listing: Callable[..., list[Any]] | None = None,
    listed_by: str = "time",
) -> None:
    """Add POST path, GET path (list), GET/PATCH/DELETE path/{id} to the router."""

    def create_item(
        body: create_model,  # type: ignore[valid-type]
        idempotency_key: IdempotencyKey,
        user_id: UserIdDep,
        pool: PoolDep,
    ) -> Any:
        with user_transaction(pool, user_id) as conn:
            return create(conn, body, idempotency_key=idempotency_key)

    def update_item(
        item_id: UUID,
        body: update_model,  # type: ignore[valid-type]
        user_id: UserIdDep,
        pool: PoolDep,
    ) -> Any:
        with user_transaction(pool, user_id) as conn:
            return update(conn, item_id, body)

    def delete_item(item_id: UUID, user_id: UserIdDep, pool: PoolDep) -> Response:
        with user_transaction(pool, user_id) as conn:
            delete(conn, item_id)
        return Response(status_code=204)

    router.add_api_route(
        path,
        create_item,
        methods=["POST"],
        status_code=201,
        response_model=public,
        name=f"create_{name}",
        summary=f"Record a {name.replace('_', ' ')}",
        responses=CONFLICT_RESPONSES,
    )
    router.add_api_route(
        f"{path}/{{item_id}}",
        update_item,
        methods=["PATCH"],
        response_model=public,
        name=f"update_{name}",
        summary=f"Change a {name.replace('_', ' ')} (only the fields given)",
        responses={**NOT_FOUND_RESPONSES, **CONFLICT_RESPONSES},
    )
    router.add_api_route(
        f"{path}/{{item_id}}",
        delete_item,
        methods=["DELETE"],
        status_code=204,
        response_class=Response,
        name=f"delete_{name}",
        summary=f"Delete a {name.replace('_', ' ')}",
        responses={**NOT_FOUND_RESPONSES, **CONFLICT_RESPONSES},
    )
    if get is not None:
        getter = get

        def get_item(item_id: UUID, user_id: UserIdDep, pool: PoolDep) -> Any:
            with user_transaction(pool, user_id) as conn:
                return getter(conn, item_id)

        router.add_api_route(
            f"{path}/{{item_id}}",
            get_item,
            methods=["GET"],
            response_model=public,
            name=f"get_{name}",
            responses=NOT_FOUND_RESPONSES,
        )
    if listing is not None:
        router.add_api_route(
            path,
            _lister(listing, listed_by),
            methods=["GET"],
            response_model=list[public],  # type: ignore[valid-type]
            name=f"list_{name}s",
        )


def _lister(listing: Callable[..., list[Any]], listed_by: str) -> Callable[..., Any]:
    if listed_by == "time":

        def by_time(start: Start, end: End, user_id: UserIdDep, pool: PoolDep) -> Any:
            with user_transaction(pool, user_id) as conn:
                return listing(conn, start, end)

        return by_time
    if listed_by == "day":

        def by_day(first: First, last: Last, user_id: UserIdDep, pool: PoolDep) -> Any:
            with user_transaction(pool, user_id) as conn:
                return listing(conn, first, last)

        return by_day

    def everything(user_id: UserIdDep, pool: PoolDep) -> Any:
        with user_transaction(pool, user_id) as conn:
            return listing(conn)

    return everything
