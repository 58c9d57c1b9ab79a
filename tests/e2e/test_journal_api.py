"""The journal on the lab appliance, through the TLS edge: a test user signs in (Keycloak's
real login page, the gRPC login pipeline), then writes over gRPC and reads over REST, and
the other way round; another user sees none of it."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import grpc
import httpx
import pytest
from playwright.sync_api import Page

from app.cli.login import LoginClient
from app.rpc.journal.v1 import journal_pb2 as pb
from app.rpc.journal.v1 import journal_pb2_grpc
from tests.e2e import test_login as login_tests
from tests.e2e.test_login import await_in_background, finish, new_user, sign_in
from tests.lab.host import LabHost

pytestmark = pytest.mark.lab
# The login tests' fixtures: a test user, headless Chromium, the login client.
user = login_tests.user
browser = login_tests.browser
page = login_tests.page
client = login_tests.client


def _sign_in(login_client: LoginClient, tab: Page, username: str, password: str) -> str:
    login = login_client.begin()
    pending = await_in_background(login_client, login)
    sign_in(tab, login.authorization_url, username, password)
    return finish(pending).access_token


def test_a_journal_round_trips_over_grpc_and_rest_through_the_edge(
    lab: LabHost, ca_file: Path, client: LoginClient, page: Page, user: tuple[str, str, str]
) -> None:
    username, password, _sub = user
    token = _sign_in(client, page, username, password)
    metadata = (("authorization", f"Bearer {token}"),)
    journal = journal_pb2_grpc.JournalStub(client.channel)  # type: ignore[no-untyped-call]
    rest = httpx.Client(
        base_url=f"https://{lab.address}",
        headers={"Authorization": f"Bearer {token}"},
        verify=str(ca_file),
        timeout=15,
    )
    at = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0)
    started = time.monotonic()
    meal = journal.CreateMeal(
        pb.CreateMealRequest(
            idempotency_key=str(uuid4()),
            meal=pb.MealInput(
                eaten_at=at.isoformat(),
                meal_type="lunch",
                items=[pb.MealItemInput(catalog_food_id=1, amount=150, unit="g")],
            ),
        ),
        metadata=metadata,
        timeout=15,
    )
    over_rest = rest.get(f"/api/meals/{meal.id}")
    assert over_rest.status_code == 200, over_rest.text
    assert over_rest.json()["items"][0]["food_name"] == meal.items[0].food_name == "apple"

    symptom = rest.post(
        "/api/symptoms",
        json={"kind": "bloating", "severity": 5, "onset_at": at.isoformat()},
        headers={"Idempotency-Key": str(uuid4())},
    )
    assert symptom.status_code == 201, symptom.text
    day = journal.GetTimeline(
        pb.TimelineRequest(day=at.date().isoformat()), metadata=metadata, timeout=15
    )
    assert {(e.kind, e.id) for e in day.entries} == {
        ("meal", meal.id),
        ("symptom", symptom.json()["id"]),
    }
    print(f"\nround trip through the edge (4 calls): {time.monotonic() - started:.2f} s")

    with pytest.raises(grpc.RpcError) as unauthenticated:
        journal.GetMeal(pb.GetRequest(id=meal.id), timeout=15)
    assert unauthenticated.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert (
        httpx.get(f"https://{lab.address}/api/meals/{meal.id}", verify=str(ca_file)).status_code
        == 401
    )

    other, other_password, _ = new_user(lab)
    page.context.clear_cookies()
    other_token = _sign_in(client, page, other, other_password)
    with pytest.raises(grpc.RpcError) as not_found:
        journal.GetMeal(
            pb.GetRequest(id=meal.id),
            metadata=(("authorization", f"Bearer {other_token}"),),
            timeout=15,
        )
    assert not_found.value.code() == grpc.StatusCode.NOT_FOUND
    assert rest.get(f"/api/meals/{meal.id}").status_code == 200
