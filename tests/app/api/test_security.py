"""REST refusals: tokens, another user's ids, oversized and malformed bodies; and the logs."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from app.journal import timeline
from tests.app.api.conftest import RestUser
from tests.app.conftest import UserTx
from tests.app.identity import Identity
from tests.app.journal.factories import TODAY, fill_journal

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    "kind", ["none", "expired", "other key", "other client", "other realm", "garbage", "not uuid"]
)
def test_without_a_valid_token_it_is_401(
    rest: TestClient, rest_identity: Identity, kind: str
) -> None:
    user, past = uuid4(), int(time.time()) - 3600
    token = {
        "none": None,
        "expired": rest_identity.token(user, iat=past - 300, exp=past),
        "other key": rest_identity.foreign_token(user),
        "other client": rest_identity.token(user, azp="someone-else"),
        "other realm": rest_identity.token(user, iss="https://bia.test/realms/master"),
        "garbage": "not-a-token",
        "not uuid": rest_identity.token("admin"),
    }[kind]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = rest.get("/api/medications", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "detail" in response.json() and "Traceback" not in response.text


def test_another_users_ids_are_404_and_change_nothing(
    as_user: UserTx, user_a: UUID, user_b: UUID, rest_user: Callable[[UUID], RestUser]
) -> None:
    with as_user(user_a) as conn:
        ids = fill_journal(conn)
        before = timeline.day_timeline(conn, TODAY)
    bob = rest_user(user_b)
    targets = {
        "/api/meals": (ids.meal, {"notes": "x"}),
        "/api/symptoms": (ids.symptom, {"severity": 1}),
        "/api/symptom-types": (ids.symptom_type, {"name": "x"}),
        "/api/bowel-movements": (ids.bowel_movement, {"bristol": 1}),
        "/api/medications": (ids.medication, {"active": False}),
        "/api/doses": (ids.dose, {"status": "skipped"}),
        "/api/context-days": (ids.context_day, {"stress": 1}),
        "/api/daily-notes": (ids.daily_note, {"body": "x"}),
        "/api/foods": (ids.user_food, {"name": "x"}),
    }
    for path, (ident, patch) in targets.items():
        assert bob.request("PATCH", f"{path}/{ident}", json=patch).status_code == 404, path
        assert bob.request("DELETE", f"{path}/{ident}").status_code == 404, path
    readable = {
        "/api/meals": ids.meal,
        "/api/symptoms": ids.symptom,
        "/api/bowel-movements": ids.bowel_movement,
        "/api/foods": ids.user_food,
    }
    for path, ident in readable.items():
        missing = bob.request("GET", f"{path}/{uuid4()}")
        theirs = bob.request("GET", f"{path}/{ident}")
        assert theirs.status_code == missing.status_code == 404
        assert theirs.json()["detail"].replace(str(ident), "?") == missing.json()["detail"].replace(
            missing.url.path.rsplit("/", 1)[1], "?"
        )
    dose = {
        "medication_id": str(ids.medication),
        "dose_at": before.start.isoformat(),
        "status": "taken",
    }
    assert bob.request("POST", "/api/doses", json=dose, key="b1").status_code == 422
    assert bob.request("GET", f"/api/timeline/{TODAY}").json()["entries"] == []
    with as_user(user_a) as conn:
        assert timeline.day_timeline(conn, TODAY) == before


def test_an_oversized_body_is_413(rest_user: Callable[[UUID], RestUser]) -> None:
    alice = rest_user(uuid4())
    body = {"day": TODAY.isoformat(), "body": "x" * 300_000}
    response = alice.request("POST", "/api/daily-notes", json=body, key="big")
    assert response.status_code == 413
    assert response.json()["detail"].startswith("request body over")


def test_an_oversized_body_without_content_length_is_413(
    rest: TestClient, rest_identity: Identity
) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"x" * 10_000

    response = rest.post(
        "/api/daily-notes",
        content=chunks(),
        headers={"Authorization": f"Bearer {rest_identity.token(uuid4())}", "Idempotency-Key": "c",
                 "Content-Type": "application/json"},
    )  # fmt: skip
    assert response.status_code == 413


def test_malformed_json_is_422(rest_user: Callable[[UUID], RestUser]) -> None:
    alice = rest_user(uuid4())
    response = alice.client.post(
        "/api/meals",
        content=b'{"eaten_at": "2024',
        headers={**alice.headers, "Idempotency-Key": "m", "Content-Type": "application/json"},
    )
    assert response.status_code == 422 and "fields" in response.json()


def test_logs_carry_request_facts_but_no_content_or_token(
    rest_user: Callable[[UUID], RestUser], caplog: pytest.LogCaptureFixture
) -> None:
    alice = rest_user(uuid4())
    caplog.set_level(logging.INFO, logger="bia.api")
    alice.create("/api/daily-notes", {"day": TODAY.isoformat(), "body": "very private words"})
    alice.request("GET", "/api/foods/search", params={"q": "secretfood"})
    records = [r for r in caplog.records if r.name == "bia.api"]
    fields = [r.fields for r in records]  # type: ignore[attr-defined]
    assert [(f["route"], f["status"]) for f in fields] == [
        ("POST /api/daily-notes", 201),
        ("GET /api/foods/search", 200),
    ]
    assert all(f["request_id"] and f["duration_ms"] >= 0 for f in fields)
    dumped = json.dumps(fields) + caplog.text
    token = alice.headers["Authorization"].split()[1]
    for secret in ("very private words", "secretfood", token):
        assert secret not in dumped


def test_an_unexpected_error_is_a_bare_500(
    rest_user: Callable[[UUID], RestUser],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    content = " ".join(("private", "words"))  # only the traceback's source lines may show

    def broken(conn: object) -> None:
        raise RuntimeError(f"row ({content}) broke")

    monkeypatch.setattr("app.journal.user_settings.get_settings", broken)
    response = rest_user(uuid4()).request("GET", "/api/settings")
    assert response.status_code == 500
    assert response.json()["detail"].startswith("internal error (request id ")
    assert "private words" not in response.text and "Traceback" not in response.text
    assert "private words" not in caplog.text
    crashes = [getattr(r, "fields", {}) for r in caplog.records if r.levelname == "ERROR"]
    assert [c["error"] for c in crashes] == ["RuntimeError"]
    assert "private words" not in json.dumps(crashes)
