"""Contract tests for every journal REST route, against the real PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from tests.app.api.conftest import RestUser

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC).replace(microsecond=0)
AT = (NOW - timedelta(hours=3)).isoformat()
TODAY = NOW.date().isoformat()
WEEK = {
    "start": (NOW - timedelta(days=7)).isoformat(),
    "end": (NOW + timedelta(hours=1)).isoformat(),
}
DAYS = {"first": TODAY, "last": TODAY}


@pytest.fixture
def alice(rest_user: Callable[[UUID], RestUser]) -> RestUser:
    return rest_user(uuid4())


def test_meal_round_trip(alice: RestUser) -> None:
    food = alice.create("/api/foods", {"name": "Oat porridge", "lactose": "low"})
    body = {
        "eaten_at": AT,
        "meal_type": "breakfast",
        "notes": "at home",
        "items": [
            {"catalog_food_id": 1, "amount": 150, "unit": "g"},
            {"user_food_id": food["id"], "amount": 1, "unit": "serving"},
        ],
    }
    meal = alice.create("/api/meals", body)
    assert [i["food_name"] for i in meal["items"]] == ["apple", "Oat porridge"]
    assert alice.request("GET", f"/api/meals/{meal['id']}").json() == meal
    assert [m["id"] for m in alice.request("GET", "/api/meals", params=WEEK).json()] == [meal["id"]]

    patch = {
        "meal_type": "lunch",
        "notes": None,
        "items": [{"catalog_food_id": 2, "amount": 80, "unit": "g"}],
    }
    changed = alice.request("PATCH", f"/api/meals/{meal['id']}", json=patch)
    assert changed.status_code == 200, changed.text
    assert changed.json()["notes"] is None
    assert [i["food_name"] for i in changed.json()["items"]] == ["pear"]

    assert alice.request("DELETE", f"/api/meals/{meal['id']}").status_code == 204
    gone = alice.request("GET", f"/api/meals/{meal['id']}")
    assert gone.status_code == 404 and "detail" in gone.json()


def test_a_retried_create_returns_the_first_result(alice: RestUser) -> None:
    body = {"kind": "bloating", "severity": 4, "onset_at": AT}
    first = alice.request("POST", "/api/symptoms", json=body, key="retry-1")
    again = alice.request("POST", "/api/symptoms", json={**body, "severity": 9}, key="retry-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert len(alice.request("GET", "/api/symptoms", params=WEEK).json()) == 1


def test_a_create_needs_an_idempotency_key(alice: RestUser) -> None:
    response = alice.request("POST", "/api/bowel-movements", json={"occurred_at": AT, "bristol": 4})
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["fields"].get("header.Idempotency-Key", "") or any(
        "Idempotency-Key" in name for name in response.json()["fields"]
    )


def test_invalid_input_names_each_field_and_echoes_nothing(alice: RestUser) -> None:
    secret = "my private note about blood"
    response = alice.request(
        "POST", "/api/bowel-movements", key="k1",
        json={"occurred_at": "yesterday", "bristol": 9, "notes": secret, "surprise": 1},
    )  # fmt: skip
    assert response.status_code == 422
    assert {"occurred_at", "bristol", "surprise"} <= set(response.json()["fields"])
    assert secret not in response.text and "Traceback" not in response.text


ENTITIES: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any] | None, bool]] = [
    # (path, create body, patch, list params, has GET by id)
    ("/api/symptoms", {"kind": "gas", "severity": 3, "onset_at": AT, "duration_minutes": 30},
     {"severity": 5, "duration_minutes": None}, WEEK, True),
    ("/api/bowel-movements", {"occurred_at": AT, "bristol": 6, "urgency": 7, "blood": True},
     {"bristol": 4}, WEEK, True),
    ("/api/medications", {"name": "Mebeverine", "dose": 135, "unit": "mg"},
     {"active": False}, None, False),
    ("/api/symptom-types", {"name": "Brain fog"}, {"name": "Fog"}, None, False),
    ("/api/context-days", {"day": TODAY, "stress": 7, "sleep_hours": 6.5}, {"stress": 2}, DAYS,
     False),
    ("/api/daily-notes", {"day": TODAY, "body": "Busy day."}, {"body": "Calm day."}, DAYS, False),
    ("/api/foods", {"name": "Spelt bread", "fructans": "moderate"}, {"notes": "sourdough"}, None,
     True),
]  # fmt: skip


@pytest.mark.parametrize("entity", ENTITIES, ids=[e[0] for e in ENTITIES])
def test_entity_round_trip(alice: RestUser, entity: tuple[Any, ...]) -> None:
    path, body, patch, params, has_get = entity
    created = alice.create(path, body)
    updated = alice.request("PATCH", f"{path}/{created['id']}", json=patch)
    assert updated.status_code == 200, updated.text
    for name, value in patch.items():
        assert updated.json()[name] == value
    listed = alice.request("GET", path, params=params)
    assert listed.status_code == 200, listed.text
    assert [item["id"] for item in listed.json()] == [created["id"]]
    if has_get:
        assert alice.request("GET", f"{path}/{created['id']}").json() == updated.json()
    assert alice.request("DELETE", f"{path}/{created['id']}").status_code == 204
    assert alice.request("GET", path, params=params).json() == []


def test_doses_and_the_timeline(alice: RestUser) -> None:
    medication = alice.create("/api/medications", {"name": "Loperamide"})
    dose = alice.create(
        "/api/doses", {"medication_id": medication["id"], "dose_at": AT, "status": "taken"}
    )
    skipped = alice.request("PATCH", f"/api/doses/{dose['id']}", json={"status": "skipped"})
    assert skipped.json()["status"] == "skipped"
    assert [d["id"] for d in alice.request("GET", "/api/doses", params=WEEK).json()] == [dose["id"]]
    meal = alice.create("/api/meals", {"eaten_at": AT, "meal_type": "snack"})
    alice.create("/api/daily-notes", {"day": AT[:10], "body": "ok"})

    day = alice.request("GET", f"/api/timeline/{AT[:10]}").json()
    assert [(e["kind"], e["id"]) for e in day["entries"]] == [
        ("meal", meal["id"]),
        ("dose", dose["id"]),
    ]
    assert [n["body"] for n in day["daily_notes"]] == ["ok"]
    ranged = alice.request("GET", "/api/timeline", params=WEEK).json()
    assert [e["id"] for e in ranged["entries"]] == [meal["id"], dose["id"]]
    too_long = alice.request(
        "GET", "/api/timeline", params={"start": "2020-01-01T00:00:00Z", "end": AT}
    )
    assert too_long.status_code == 422 and "range" in too_long.json()["fields"]
    assert alice.request("DELETE", f"/api/doses/{dose['id']}").status_code == 204


def test_food_search(alice: RestUser) -> None:
    food = alice.create("/api/foods", {"name": "Applesauce cake"})
    found = alice.request("GET", "/api/foods/search", params={"q": "apple", "limit": 5})
    assert found.status_code == 200
    assert ("user", food["id"]) in [(f["origin"], f["id"]) for f in found.json()]
    refused = alice.request("GET", "/api/foods/search", params={"q": "", "limit": 500})
    assert refused.status_code == 422
    assert {"query.q", "query.limit"} <= set(refused.json()["fields"])


def test_settings(alice: RestUser) -> None:
    assert alice.request("GET", "/api/settings").json()["time_zone"] == "UTC"
    changed = alice.request("PATCH", "/api/settings", json={"time_zone": "Europe/Dublin"})
    assert changed.json()["time_zone"] == "Europe/Dublin"
    assert alice.request("GET", "/api/settings").json() == changed.json()
    bad = alice.request("PATCH", "/api/settings", json={"lag_min_hours": 30, "lag_max_hours": 12})
    assert bad.status_code == 422 and "lag_min_hours" in bad.json()["fields"]


def test_a_conflict_is_409(alice: RestUser) -> None:
    alice.create("/api/daily-notes", {"day": TODAY, "body": "one"})
    again = alice.request("POST", "/api/daily-notes", json={"day": TODAY, "body": "two"}, key="x2")
    assert again.status_code == 409


def test_openapi_documents_every_journal_route(rest: TestClient) -> None:
    document = rest.get("/openapi.json").json()
    paths = document["paths"]
    for path in ("/api/meals", "/api/meals/{item_id}", "/api/timeline/{day}", "/api/settings",
                 "/api/foods/search", "/api/doses/{item_id}", "/api/symptom-types"):  # fmt: skip
        assert path in paths
    assert "Idempotency-Key" in str(paths["/api/meals"]["post"]["parameters"])
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
