"""/healthz against a real PostgreSQL: it really queries the database, and says so when it can't."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from app.main import create_app
from app.settings import Settings
from tests.pg import BiaDatabase

pytestmark = pytest.mark.integration


def _settings(db: BiaDatabase, password: str) -> Settings:
    return Settings(
        environment="development",
        database_host=str(db.server.socket_dir),
        database_port=db.server.port,
        database_name=db.dbname,
        database_user="bia_app",
        database_password=SecretStr(password),
    )


def test_healthz_reports_the_database_ok(bia_db: BiaDatabase) -> None:
    app = create_app(_settings(bia_db, bia_db.passwords["bia_app"]))
    with TestClient(app) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["server_version"]


def test_healthz_says_unavailable_when_the_database_refuses(bia_db: BiaDatabase) -> None:
    app = create_app(_settings(bia_db, "not-the-password"))
    with TestClient(app) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["status"] == "unavailable"
    assert "systemctl status postgresql" in body["database"]["detail"]
    assert "not-the-password" not in response.text
