"""Shared request dependencies, as Annotated aliases."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.auth.tokens import KeySourceUnavailable, TokenError, TokenVerifier
from app.db.session import Pool


def _pool(request: Request) -> Pool:
    pool: Pool = request.app.state.pool
    return pool


PoolDep = Annotated[Pool, Depends(_pool)]


_bearer = HTTPBearer(auto_error=False)


def _user_id(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> UUID:
    """The caller's Keycloak subject, from a valid access token: it becomes the RLS user."""
    verifier: TokenVerifier | None = request.app.state.verifier
    if verifier is None:
        raise HTTPException(503, "sign-in is not configured on this appliance (BIA_OIDC_ISSUER)")
    if credentials is None:
        raise HTTPException(
            401, "an access token is required", headers={"WWW-Authenticate": "Bearer"}
        )
    try:
        claims = verifier.access_token(credentials.credentials)
        return UUID(claims.subject)
    except KeySourceUnavailable as exc:
        raise HTTPException(503, "identity service unavailable: try again shortly") from exc
    except (TokenError, ValueError) as exc:
        raise HTTPException(
            401, f"access token refused: {exc}", headers={"WWW-Authenticate": "Bearer"}
        ) from exc


UserIdDep = Annotated[UUID, Depends(_user_id)]
