"""Refusals: no or bad tokens, another user's ids, malformed and oversized requests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import grpc
import pytest

from app.auth.tokens import Claims, TokenError, TokenVerifier
from app.journal import timeline
from app.rpc.journal.v1 import journal_pb2 as pb
from app.rpc.journal.v1 import journal_pb2_grpc
from app.rpc.journal.verified import VerifiedTokens
from tests.app.conftest import UserTx
from tests.app.identity import CLIENT_ID, ISSUER, Identity
from tests.app.journal.factories import TODAY, fill_journal
from tests.app.rpc.conftest import Client
from tests.app.rpc.test_journal import AT, fails, key

pytestmark = pytest.mark.integration


def _tokens(identity: Identity, user: UUID) -> dict[str, str]:
    past = int(time.time()) - 3600
    return {
        "expired": identity.token(user, iat=past - 300, exp=past),
        "other key": identity.foreign_token(user),
        "other client": identity.token(user, azp="someone-else"),
        "other realm": identity.token(user, iss="https://bia.test/realms/master"),
        "not a jwt": "not-a-token",
        "subject not a uuid": identity.token("admin"),
    }


@pytest.mark.parametrize(
    "kind",
    [
        "none",
        "expired",
        "other key",
        "other client",
        "other realm",
        "not a jwt",
        "subject not a uuid",
    ],
)
def test_without_a_valid_token_the_call_is_unauthenticated(
    channel: grpc.Channel, identity: Identity, kind: str
) -> None:
    stub = journal_pb2_grpc.JournalStub(channel)  # type: ignore[no-untyped-call]
    metadata = (
        () if kind == "none" else (("authorization", f"Bearer {_tokens(identity, uuid4())[kind]}"),)
    )
    error: Any = fails(
        grpc.StatusCode.UNAUTHENTICATED,
        lambda: stub.ListMedications(pb.ListRequest(), metadata=metadata, timeout=10),
    )
    assert "Traceback" not in error.details()
    assert CLIENT_ID not in error.details() or kind == "other client"


def test_another_users_ids_are_not_found_and_change_nothing(
    as_user: UserTx, user_a: UUID, user_b: UUID, client_for: Callable[[UUID], Client]
) -> None:
    with as_user(user_a) as conn:
        ids = fill_journal(conn)
        before = timeline.day_timeline(conn, TODAY)
    bob = client_for(user_b)
    by_kind: dict[str, tuple[UUID, Any]] = {
        "Meal": (ids.meal, pb.UpdateMealRequest(meal=pb.MealPatch(notes="x"))),
        "Symptom": (ids.symptom, pb.UpdateSymptomRequest(symptom=pb.SymptomInput(severity=1))),
        "SymptomType": (
            ids.symptom_type,
            pb.UpdateSymptomTypeRequest(symptom_type=pb.SymptomTypeInput(name="x")),
        ),
        "BowelMovement": (
            ids.bowel_movement,
            pb.UpdateBowelMovementRequest(bowel_movement=pb.BowelMovementInput(bristol=1)),
        ),
        "Medication": (
            ids.medication,
            pb.UpdateMedicationRequest(medication=pb.MedicationInput(active=False)),
        ),
        "Dose": (ids.dose, pb.UpdateDoseRequest(dose=pb.DoseInput(status="skipped"))),
        "ContextDay": (
            ids.context_day,
            pb.UpdateContextDayRequest(context_day=pb.ContextDayInput(stress=1)),
        ),
        "DailyNote": (
            ids.daily_note,
            pb.UpdateDailyNoteRequest(daily_note=pb.DailyNoteInput(body="x")),
        ),
    }
    for noun, (ident, update) in by_kind.items():
        update.id = str(ident)
        fails(grpc.StatusCode.NOT_FOUND, bob.call, "journal", f"Update{noun}", update)
        delete = pb.DeleteRequest(id=str(ident), idempotency_key=key())
        fails(grpc.StatusCode.NOT_FOUND, bob.call, "journal", f"Delete{noun}", delete)
    for noun, ident in (
        ("Meal", ids.meal),
        ("Symptom", ids.symptom),
        ("BowelMovement", ids.bowel_movement),
    ):
        get = pb.GetRequest(id=str(ident))
        fails(grpc.StatusCode.NOT_FOUND, bob.call, "journal", f"Get{noun}", get)
    food = str(ids.user_food)
    fails(
        grpc.StatusCode.NOT_FOUND,
        lambda: bob.call(
            "catalog", "UpdateFood", pb.UpdateFoodRequest(id=food, food=pb.FoodInput(name="x"))
        ),
    )
    fails(
        grpc.StatusCode.NOT_FOUND,
        lambda: bob.call("catalog", "DeleteFood", pb.DeleteRequest(id=food)),
    )
    # Referring to A's rows from B's new rows: as if they did not exist.
    fails(
        grpc.StatusCode.INVALID_ARGUMENT,
        lambda: bob.call(
            "journal",
            "CreateDose",
            pb.CreateDoseRequest(
                idempotency_key=key(),
                dose=pb.DoseInput(medication_id=str(ids.medication), dose_at=AT, status="taken"),
            ),
        ),
    )
    fails(
        grpc.StatusCode.INVALID_ARGUMENT,
        lambda: bob.call(
            "journal",
            "CreateMeal",
            pb.CreateMealRequest(
                idempotency_key=key(),
                meal=pb.MealInput(
                    eaten_at=AT,
                    meal_type="snack",
                    items=[pb.MealItemInput(user_food_id=food, amount=1, unit="serving")],
                ),
            ),
        ),
    )
    assert not bob.call("journal", "GetTimeline", pb.TimelineRequest(day=TODAY.isoformat())).entries
    assert not bob.call("catalog", "SearchFoods", pb.SearchFoodsRequest(query="grandma")).foods
    with as_user(user_a) as conn:
        assert timeline.day_timeline(conn, TODAY) == before


def test_a_same_idempotency_key_from_another_user_is_theirs_alone(
    client_for: Callable[[UUID], Client],
) -> None:
    alice, bob = client_for(uuid4()), client_for(uuid4())
    shared = key()
    request = pb.CreateMedicationRequest(
        idempotency_key=shared, medication=pb.MedicationInput(name="Iron")
    )
    assert (
        alice.call("journal", "CreateMedication", request).id
        != bob.call("journal", "CreateMedication", request).id
    )


@pytest.mark.parametrize("payload", [b"\xff\xff\xff\xff", b"\x0a\xff", b"\x12\x05abc"])
def test_malformed_protobuf_is_an_invalid_argument(channel: grpc.Channel, payload: bytes) -> None:
    raw = channel.unary_unary("/bia.journal.v1.Journal/CreateMeal")
    error: Any = fails(grpc.StatusCode.INVALID_ARGUMENT, lambda: raw(payload, timeout=10))
    assert "not a valid protobuf" in error.details()


def test_an_oversized_request_is_refused(client_for: Callable[[UUID], Client]) -> None:
    alice = client_for(uuid4())
    huge = pb.CreateDailyNoteRequest(
        idempotency_key=key(),
        daily_note=pb.DailyNoteInput(day=TODAY.isoformat(), body="x" * 100_000),
    )
    fails(
        grpc.StatusCode.RESOURCE_EXHAUSTED, lambda: alice.call("journal", "CreateDailyNote", huge)
    )
    too_long = pb.CreateDailyNoteRequest(
        idempotency_key=key(),
        daily_note=pb.DailyNoteInput(day=TODAY.isoformat(), body="x" * 20_000),
    )
    fails(
        grpc.StatusCode.INVALID_ARGUMENT, lambda: alice.call("journal", "CreateDailyNote", too_long)
    )


def test_an_unknown_method_is_unimplemented(channel: grpc.Channel) -> None:
    raw = channel.unary_unary("/bia.journal.v1.Journal/DropAllTables")
    fails(grpc.StatusCode.UNIMPLEMENTED, lambda: raw(b"", timeout=10))


def test_an_unexpected_error_is_a_bare_internal(
    client_for: Callable[[UUID], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    content = " ".join(("private", "words"))  # only the traceback's source lines may show

    def broken(conn: object) -> None:
        raise RuntimeError(f"row ({content}) broke")

    monkeypatch.setattr("app.journal.user_settings.get_settings", broken)
    error: Any = fails(
        grpc.StatusCode.INTERNAL,
        client_for(uuid4()).call,
        "settings",
        "GetSettings",
        pb.GetSettingsRequest(),
    )
    assert error.details().startswith("internal error (request id ")


def test_a_remembered_token_is_checked_again_once_it_expires(identity: Identity) -> None:
    checks: list[str] = []

    class Counting(TokenVerifier):
        def access_token(self, token: str) -> Claims:
            checks.append(token)
            return super().access_token(token)

    tokens = VerifiedTokens(Counting(identity.jwks_url, ISSUER, CLIENT_ID))
    user = uuid4()
    short = identity.token(user, exp=int(time.time()) + 1)
    assert tokens.subject(short) == tokens.subject(short) == user
    assert len(checks) == 1
    time.sleep(1.1)
    assert tokens.subject(short) == user  # still within the verifier's leeway
    assert len(checks) == 2
    with pytest.raises(TokenError):
        tokens.subject(identity.foreign_token(user))
