"""The REST application: wiring only; routes live in app/api/routes/.

Served as ``uvicorn --factory app.main:create_app``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app import logs
from app.api import errors, journal
from app.api.middleware import AccessLog
from app.api.routes import health, me
from app.auth.tokens import TokenVerifier
from app.db.session import create_pool
from app.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The pool opens in the background: the service starts (and /healthz can say
        # "database unavailable") even while PostgreSQL is down.
        pool = create_pool(
            settings.database_conninfo, max_size=settings.database_pool_max, open_now=False
        )
        pool.open(wait=False)
        app.state.pool = pool
        if app.state.verifier is not None:
            await asyncio.to_thread(app.state.verifier.prefetch)
        try:
            yield
        finally:
            pool.close()

    app = FastAPI(title="Bia", version="0.1.0", lifespan=lifespan)
    app.state.verifier = (
        TokenVerifier(settings.oidc_jwks_url, settings.oidc_issuer, settings.oidc_client_id)
        if settings.oidc_issuer
        else None
    )
    app.include_router(health.router)
    app.include_router(me.router)
    for router in journal.ROUTERS:
        app.include_router(router)
    errors.install(app)
    app.add_middleware(AccessLog)
    logs.configure()
    return app
