"""The REST app (create_app) against the real PostgreSQL, verifying real signed tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from app.main import create_app
from app.settings import Settings
from tests.app.identity import CLIENT_ID, ISSUER, Identity, running_identity
from tests.pg import BiaDatabase


@pytest.fixture(scope="session")
def rest_identity() -> Iterator[Identity]:
    with running_identity() as running:
        yield running


def app_settings(db: BiaDatabase, identity: Identity) -> Settings:
    return Settings(
        environment="development",
        database_host=str(db.server.socket_dir),
        database_port=db.server.port,
        database_name=db.dbname,
        database_user="bia_app",
        database_password=SecretStr(db.passwords["bia_app"]),
        oidc_issuer=ISSUER,
        oidc_jwks_url=identity.jwks_url,
        oidc_client_id=CLIENT_ID,
    )


@pytest.fixture(scope="session")
def rest(bia_db: BiaDatabase, rest_identity: Identity) -> Iterator[TestClient]:
    with TestClient(create_app(app_settings(bia_db, rest_identity))) as client:
        yield client


class RestUser:
    """Calls the REST app as one user (Authorization: Bearer with that user's token)."""

    def __init__(self, client: TestClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def request(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        key: str | None = None,
    ) -> httpx.Response:
        headers = dict(self.headers)
        if key is not None:
            headers["Idempotency-Key"] = key
        response: httpx.Response = self.client.request(
            method, url, headers=headers, json=json, params=params
        )
        return response

    def create(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.request("POST", url, json=body, key=str(uuid4()))
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created


@pytest.fixture
def rest_user(rest: TestClient, rest_identity: Identity) -> Callable[[UUID], RestUser]:
    return lambda user: RestUser(rest, rest_identity.token(user))
