"""GET /healthz: is the service up, and can it really reach its database?"""

from __future__ import annotations

import time
from typing import Literal

import psycopg
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from psycopg_pool import PoolTimeout
from pydantic import BaseModel

from app.api.deps import PoolDep

router = APIRouter(tags=["health"])
DATABASE_TIMEOUT_S = 2.0


class DatabaseHealthPublic(BaseModel):
    status: Literal["ok", "unavailable"]
    latency_ms: float | None = None
    server_version: str | None = None
    detail: str | None = None


class HealthPublic(BaseModel):
    status: Literal["ok", "degraded"]
    database: DatabaseHealthPublic


@router.get(
    "/healthz",
    response_model=HealthPublic,
    responses={503: {"model": HealthPublic, "description": "The database cannot be reached"}},
)
def healthz(pool: PoolDep) -> JSONResponse:
    started = time.perf_counter()
    try:
        with pool.connection(timeout=DATABASE_TIMEOUT_S) as conn:
            row = conn.execute(
                "SELECT current_setting('server_version') AS server_version"
            ).fetchone()
    except (psycopg.Error, PoolTimeout):
        body = HealthPublic(
            status="degraded",
            database=DatabaseHealthPublic(
                status="unavailable",
                detail="cannot reach PostgreSQL: check `systemctl status postgresql` and the "
                "backend's journal (`journalctl -u bia-backend`)",
            ),
        )
        return JSONResponse(body.model_dump(), status_code=503)
    body = HealthPublic(
        status="ok",
        database=DatabaseHealthPublic(
            status="ok",
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
            server_version=str(row["server_version"]) if row else None,
        ),
    )
    return JSONResponse(body.model_dump(), status_code=200)
