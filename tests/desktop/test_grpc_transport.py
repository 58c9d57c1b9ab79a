"""GrpcTransport against the real journal gRPC server, over TLS with a name-constrained CA,
on a real PostgreSQL. Payloads are what the page sends, checked by entries.validate."""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from bia_desktop.entries import validate
from bia_desktop.grpc_transport import GrpcTransport
from bia_desktop.rpc.journal.v1 import journal_pb2 as pb
from bia_desktop.secret import Secret
from bia_desktop.transport import NotAuthenticated, TransportUnavailable, Write, WriteRejected

from app.db.session import Pool
from tests.app.identity import Identity
from tests.desktop import grpc_stack
from tests.desktop.grpc_stack import Ca, journal_over_tls, make_ca

pytestmark = pytest.mark.integration

# Shared with test_grpc_auth.py (tests/desktop/conftest.py serves the desktop stack).
ca = grpc_stack.ca
desktop_pool = grpc_stack.desktop_pool
identity = grpc_stack.identity

NOW = datetime.now().astimezone().replace(microsecond=0)
TODAY = NOW.date()


def stamp(hours_ago: float) -> str:
    return (NOW - timedelta(hours=hours_ago)).replace(tzinfo=None).isoformat()


@pytest.fixture(scope="module")
def port(desktop_pool: Pool, identity: Identity, ca: Ca) -> Iterator[int]:
    with journal_over_tls(desktop_pool, identity, ca) as opened:
        yield opened


@pytest.fixture(scope="module")
def transport(ca: Ca, port: int) -> Iterator[GrpcTransport]:
    opened = GrpcTransport(ca.appliance(port))
    yield opened
    opened.close()


@pytest.fixture
def token(identity: Identity) -> Secret:
    """A new user for each test: their journal starts empty."""
    return Secret(identity.token(uuid4()))


def write(kind: str, entry: dict[str, Any], operation: str = "create", entry_id: str = "") -> Write:
    payload = validate(kind, entry) if operation != "delete" else {}
    return Write(str(uuid.uuid4()), operation, kind, entry_id or str(uuid.uuid4()), payload)


def day(transport: GrpcTransport, token: Secret) -> list[dict[str, Any]]:
    return transport.timeline(token, TODAY - timedelta(days=1), TODAY)


def apple(transport: GrpcTransport, token: Secret) -> dict[str, Any]:
    found = transport.search_foods(token, "apple", 5)
    return next(f for f in found if f["name"] == "apple")


# kind -> (the entry as the page sends it, an edit of it, what the timeline shows after each)
def entries(food: dict[str, Any]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    item = {"food_id": food["food_id"], "name": food["name"], "amount": 1, "unit": "portion"}
    return {
        "meal": (
            {"time": stamp(3), "items": [item], "note": "at home"},
            {"time": stamp(3), "items": [{**item, "amount": 150, "unit": "g"}], "note": ""},
        ),
        "symptom": (
            {"type": "bloating", "severity": 6, "onset": stamp(2), "duration_minutes": 45},
            {"type": "heartburn", "severity": 3, "onset": stamp(2), "note": "after coffee"},
        ),
        "bowel_movement": (
            {"time": stamp(1), "bristol": 4, "urgency": True, "blood": False, "mucus": True},
            {"time": stamp(1), "bristol": 6, "urgency": False, "blood": False, "mucus": False},
        ),
        "dose": (
            {"time": stamp(4), "medication": "Mebeverine", "status": "taken", "amount": "135"},
            {"time": stamp(4), "medication": "Mebeverine", "status": "skipped", "amount": "half"},
        ),
        "context": (
            {"date": TODAY.isoformat(), "stress": 4, "sleep_hours": 7, "menstruation": True},
            {"date": TODAY.isoformat(), "stress": 2, "exercise_minutes": 30},
        ),
        "note": (
            {"date": TODAY.isoformat(), "text": "A calm day."},
            {"date": TODAY.isoformat(), "text": "A calm day, mostly."},
        ),
    }


def shown(kind: str, entry: dict[str, Any]) -> dict[str, Any]:
    """What the timeline should give back for what the page sent (times as instants)."""
    clean = validate(kind, entry)
    for key in ("time", "onset"):
        if key in clean:
            clean[key] = datetime.fromisoformat(clean[key])
    if kind == "meal":
        clean["note"] = clean["note"] or ""
        for item in clean["items"]:
            item["amount"] = float(item["amount"])
    if kind == "symptom":
        clean["note"] = clean["note"] or ""
    if kind == "context":
        clean["menstruation"] = bool(clean["menstruation"])
    return clean


def as_shown(entry: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in entry.items() if k not in ("entry_id", "kind")}
    for key in ("time", "onset"):
        if key in out:
            out[key] = datetime.fromisoformat(out[key])
    return out


@pytest.mark.parametrize("kind", ["meal", "symptom", "bowel_movement", "dose", "context", "note"])
def test_create_update_delete_round_trip(
    transport: GrpcTransport, token: Secret, kind: str
) -> None:
    first, edited = entries(apple(transport, token))[kind]

    created = transport.write(token, write(kind, first))
    [entry] = day(transport, token)
    assert entry["entry_id"] == created["id"] and entry["kind"] == kind
    assert as_shown(entry) == shown(kind, first)

    transport.write(token, write(kind, edited, "update", created["id"]))
    [entry] = day(transport, token)
    assert entry["entry_id"] == created["id"]
    assert as_shown(entry) == shown(kind, edited)

    transport.write(token, write(kind, {}, "delete", created["id"]))
    assert day(transport, token) == []


def test_a_retried_create_lands_once(transport: GrpcTransport, token: Secret) -> None:
    once = write("symptom", {"type": "other", "severity": 2, "onset": stamp(1)})
    first = transport.write(token, once)
    again = transport.write(token, once)
    assert again["id"] == first["id"]
    assert [e["entry_id"] for e in day(transport, token)] == [first["id"]]
    assert day(transport, token)[0]["type"] == "other"


def test_a_retried_delete_is_done(transport: GrpcTransport, token: Secret) -> None:
    created = transport.write(token, write("note", {"date": TODAY.isoformat(), "text": "x"}))
    delete = write("note", {}, "delete", created["id"])
    transport.write(token, delete)
    assert transport.write(token, delete) == {"id": created["id"], "deleted": True}
    assert day(transport, token) == []


def test_an_edit_of_a_deleted_entry_is_refused(transport: GrpcTransport, token: Secret) -> None:
    created = transport.write(token, write("note", {"date": TODAY.isoformat(), "text": "x"}))
    transport.write(token, write("note", {}, "delete", created["id"]))
    with pytest.raises(WriteRejected, match="no longer on the appliance"):
        transport.write(
            token, write("note", {"date": TODAY.isoformat(), "text": "y"}, "update", created["id"])
        )


def test_an_invalid_entry_is_refused_with_the_field_message(
    transport: GrpcTransport, token: Secret
) -> None:
    # The page checks times too, but the appliance is the judge: next week is refused.
    future = (NOW + timedelta(days=7)).isoformat()
    bad = Write(str(uuid4()), "create", "bowel_movement", str(uuid4()), {
        "time": future, "bristol": 4, "urgency": False, "blood": False, "mucus": False,
    })  # fmt: skip
    with pytest.raises(WriteRejected, match=r"occurred_at: .*in the future") as refused:
        transport.write(token, bad)
    assert "occurred_at" in refused.value.fields  # type: ignore[attr-defined]
    assert day(transport, token) == []


def test_a_second_context_for_a_day_updates_the_first(
    transport: GrpcTransport, token: Secret
) -> None:
    first = transport.write(token, write("context", {"date": TODAY.isoformat(), "stress": 7}))
    second = transport.write(token, write("context", {"date": TODAY.isoformat(), "stress": 1}))
    assert second["id"] == first["id"]
    [entry] = day(transport, token)
    assert entry["stress"] == 1


def raw(transport: GrpcTransport, token: Secret, method: str, request: Any) -> Any:
    """A call the page cannot make: records as another device (the web app) stores them."""
    call = transport._call(getattr(transport._journal, method), request, token=token)
    return transport._sync(call)


def only(transport: GrpcTransport, token: Secret, kind: str) -> dict[str, Any]:
    [entry] = [e for e in day(transport, token) if e["kind"] == kind]
    return entry


def test_a_second_context_for_a_day_keeps_what_it_leaves_empty(
    transport: GrpcTransport, token: Secret
) -> None:
    """Another device recorded sleep, exercise and a heavy period; this one, not knowing,
    creates the day with only stress: that is added, nothing is cleared or lowered."""
    raw(transport, token, "CreateContextDay", pb.CreateContextDayRequest(
        idempotency_key=str(uuid4()),
        context_day=pb.ContextDayInput(
            day=TODAY.isoformat(), sleep_hours=6.5, exercise_minutes=40, menstruation="heavy"
        ),
    ))  # fmt: skip
    transport.write(token, write("context", {"date": TODAY.isoformat(), "stress": 5}))
    transport.write(
        token, write("context", {"date": TODAY.isoformat(), "stress": 6, "menstruation": True})
    )
    entry = only(transport, token, "context")
    assert (entry["stress"], entry["sleep_hours"], entry["exercise_minutes"]) == (6, 6.5, 40)
    assert entry["menstruation"] is True
    [stored] = raw(
        transport,
        token,
        "ListContextDays",
        pb.DayRange(first=TODAY.isoformat(), last=TODAY.isoformat()),
    ).context_days
    assert stored.menstruation == "heavy"


def test_a_second_note_for_a_day_is_added_to_the_first(
    transport: GrpcTransport, token: Secret
) -> None:
    first = transport.write(token, write("note", {"date": TODAY.isoformat(), "text": "Phone."}))
    second = write("note", {"date": TODAY.isoformat(), "text": "Laptop."})
    assert transport.write(token, second)["id"] == first["id"]
    transport.write(token, second)  # a retry changes nothing
    assert only(transport, token, "note")["text"] == "Phone.\n\nLaptop."


@pytest.mark.parametrize(
    "kind",
    ["reflux", "vomiting", "incomplete_evacuation", "loss_of_appetite", "headache", "joint_pain"],
)
def test_an_edit_keeps_a_journal_symptom_kind(
    transport: GrpcTransport, token: Secret, kind: str
) -> None:
    created = raw(transport, token, "CreateSymptom", pb.CreateSymptomRequest(
        idempotency_key=str(uuid4()),
        symptom=pb.SymptomInput(kind=kind, severity=5, onset_at=NOW.isoformat()),
    ))  # fmt: skip
    entry = only(transport, token, "symptom")
    assert entry["type"] == kind.replace("_", " ")
    # entries.validate knows only the page's list; the payload is what it keeps.
    payload = {
        **validate("symptom", {**entry, "type": "other", "severity": 2}),
        "type": entry["type"],
    }
    transport.write(token, Write(str(uuid4()), "update", "symptom", created.id, payload))
    stored = raw(transport, token, "GetSymptom", pb.GetRequest(id=created.id))
    assert (stored.kind, stored.HasField("symptom_type_id"), stored.severity) == (kind, False, 2)
    assert list(raw(transport, token, "ListSymptomTypes", pb.ListRequest()).symptom_types) == []


@pytest.mark.parametrize(
    ("stored", "urgent", "expected"), [(9, True, 9), (3, False, 3), (9, False, 0), (3, True, 7)]
)
def test_an_edit_keeps_the_urgency_level_unless_yes_or_no_changes(
    transport: GrpcTransport, token: Secret, stored: int, urgent: bool, expected: int
) -> None:
    created = raw(transport, token, "CreateBowelMovement", pb.CreateBowelMovementRequest(
        idempotency_key=str(uuid4()),
        bowel_movement=pb.BowelMovementInput(
            occurred_at=(NOW - timedelta(hours=1)).isoformat(), bristol=4, urgency=stored,
            notes="from the web",
        ),
    ))  # fmt: skip
    entry = only(transport, token, "bowel_movement")
    edited = {**entry, "bristol": 6, "urgency": urgent}
    transport.write(token, write("bowel_movement", edited, "update", created.id))
    after = raw(transport, token, "GetBowelMovement", pb.GetRequest(id=created.id))
    assert (after.bristol, after.urgency, after.notes) == (6, expected, "from the web")


@pytest.mark.parametrize("level", ["heavy", "light", "spotting"])
def test_an_edit_keeps_the_menstruation_level_unless_yes_or_no_changes(
    transport: GrpcTransport, token: Secret, level: str
) -> None:
    days = pb.DayRange(first=TODAY.isoformat(), last=TODAY.isoformat())
    created = raw(transport, token, "CreateContextDay", pb.CreateContextDayRequest(
        idempotency_key=str(uuid4()),
        context_day=pb.ContextDayInput(day=TODAY.isoformat(), stress=2, menstruation=level),
    ))  # fmt: skip
    entry = only(transport, token, "context")
    transport.write(token, write("context", {**entry, "stress": 4}, "update", created.id))
    [stored] = raw(transport, token, "ListContextDays", days).context_days
    assert (stored.stress, stored.menstruation) == (4, level)

    transport.write(token, write("context", {**entry, "menstruation": False}, "update", created.id))
    [stored] = raw(transport, token, "ListContextDays", days).context_days
    assert not stored.HasField("menstruation")


def test_an_edit_of_a_doses_amount_keeps_its_notes(transport: GrpcTransport, token: Secret) -> None:
    dose = {"time": stamp(2), "medication": "Mebeverine", "status": "taken", "amount": "135"}
    created = transport.write(token, write("dose", dose))
    period = pb.TimeRange(
        start=(NOW - timedelta(days=1)).isoformat(), end=(NOW + timedelta(days=1)).isoformat()
    )
    raw(transport, token, "UpdateDose", pb.UpdateDoseRequest(
        id=created["id"], idempotency_key=str(uuid4()), dose=pb.DoseInput(notes="with food"),
    ))  # fmt: skip
    entry = only(transport, token, "dose")
    assert entry["amount"] == "135"
    transport.write(
        token,
        write("dose", {**entry, "amount": "200", "status": "skipped"}, "update", created["id"]),
    )
    [stored] = raw(transport, token, "ListDoses", period).doses
    assert (stored.amount, stored.notes, stored.status) == (200, "with food", "skipped")


def test_an_edit_of_a_doses_text_replaces_it(transport: GrpcTransport, token: Secret) -> None:
    """With no amount, the page showed the notes: a number typed there replaces them."""
    dose = {"time": stamp(2), "medication": "Mebeverine", "status": "taken", "amount": "half"}
    created = transport.write(token, write("dose", dose))
    entry = only(transport, token, "dose")
    transport.write(token, write("dose", {**entry, "amount": "135"}, "update", created["id"]))
    period = pb.TimeRange(
        start=(NOW - timedelta(days=1)).isoformat(), end=(NOW + timedelta(days=1)).isoformat()
    )
    [stored] = raw(transport, token, "ListDoses", period).doses
    assert (stored.amount, stored.HasField("notes")) == (135, False)


def test_internal_and_unknown_are_server_faults_not_unreachable(
    transport: GrpcTransport,
) -> None:
    from bia_desktop.outbox import ServerFault
    from grpclib.const import Status
    from grpclib.exceptions import GRPCError

    for status in (Status.INTERNAL, Status.UNKNOWN):
        fault = transport._refusal(GRPCError(status, "boom"), None)
        assert isinstance(fault, ServerFault)
        assert str(fault) == f"the appliance failed on this request: boom ({status.name})"
    offline = transport._refusal(GRPCError(Status.UNAVAILABLE, "down"), None)
    assert isinstance(offline, TransportUnavailable) and not isinstance(offline, ServerFault)


def test_debug_logging_does_not_show_the_access_token(
    transport: GrpcTransport, identity: Identity
) -> None:
    """--debug (app.main's logging) must not log the `authorization` header."""
    from bia_desktop.app import QUIET_LOGGERS, configure_logging

    root = logging.getLogger()
    saved = (root.level, root.handlers[:])
    seen: list[str] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    root.handlers.clear()  # as in a fresh process: basicConfig applies
    try:
        configure_logging(debug=True)
        root.addHandler(handler)
        token = Secret(identity.token(uuid4()))
        transport.search_foods(token, "apple", 3)
        logging.getLogger("bia_desktop").debug("debug is on")
        assert logging.getLogger("bia_desktop.grpc_transport").isEnabledFor(logging.DEBUG)
    finally:
        root.handlers[:] = saved[1]
        root.setLevel(saved[0])
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.NOTSET)
    assert "debug is on" in seen
    assert not any(token.reveal() in line for line in seen)


def test_own_symptom_types_and_medications_are_found_by_name(
    transport: GrpcTransport, token: Secret
) -> None:
    for hours in (1, 2):
        transport.write(
            token, write("symptom", {"type": "heartburn", "severity": 4, "onset": stamp(hours)})
        )
        transport.write(
            token,
            write("dose", {"time": stamp(hours), "medication": "Buscopan", "status": "taken"}),
        )
    entries = day(transport, token)
    assert sorted(str(e.get("type") or e.get("medication")) for e in entries) == [
        "Buscopan", "Buscopan", "heartburn", "heartburn",
    ]  # fmt: skip


def test_the_timeline_is_the_days_asked_for(transport: GrpcTransport, token: Secret) -> None:
    old = (NOW - timedelta(days=3)).replace(tzinfo=None).isoformat()
    transport.write(token, write("symptom", {"type": "gas", "severity": 1, "onset": old}))
    assert day(transport, token) == []
    week = transport.timeline(token, TODAY - timedelta(days=6), TODAY)
    assert [e["type"] for e in week] == ["gas"]


def test_search_gives_foods_the_page_can_add(transport: GrpcTransport, token: Secret) -> None:
    found = transport.search_foods(token, "apple", 3)
    assert 1 <= len(found) <= 3
    for food in found:
        assert set(food) == {"food_id", "name", "fodmap", "favourite"}
        assert food["food_id"].startswith(("catalog:", "user:"))
    assert transport.search_foods(token, "   ", 3) == []


def test_recent_foods_are_the_most_eaten_first(transport: GrpcTransport, token: Secret) -> None:
    assert transport.recent_foods(token, 5) == []
    foods = {f["name"]: f for f in transport.search_foods(token, "a", 20)}
    once, twice = list(foods.values())[:2]
    for food, hours in ((once, 1), (twice, 2), (twice, 3)):
        item = {"food_id": food["food_id"], "name": food["name"], "amount": 2, "unit": "piece"}
        transport.write(token, write("meal", {"time": stamp(hours), "items": [item]}))
    recent = transport.recent_foods(token, 5)
    assert [f["food_id"] for f in recent] == [twice["food_id"], once["food_id"]]
    assert recent[0]["amount"] == 2 and recent[0]["unit"] == "piece"
    assert all(f["favourite"] for f in recent)
    assert len(transport.recent_foods(token, 1)) == 1


def test_a_food_the_appliance_does_not_know_is_refused(
    transport: GrpcTransport, token: Secret
) -> None:
    item = {"food_id": "f-oats", "name": "Porridge oats", "amount": 1, "unit": "portion"}
    with pytest.raises(WriteRejected, match="does not know the food 'Porridge oats'"):
        transport.write(token, write("meal", {"time": stamp(1), "items": [item]}))


@pytest.mark.parametrize("bad", ["not-a-jwt", "foreign"])
def test_a_wrong_token_is_not_authenticated(
    transport: GrpcTransport, identity: Identity, bad: str
) -> None:
    wrong = Secret(identity.foreign_token(uuid4()) if bad == "foreign" else bad)
    with pytest.raises(NotAuthenticated, match="access token refused"):
        day(transport, wrong)
    with pytest.raises(NotAuthenticated):
        transport.write(wrong, write("note", {"date": TODAY.isoformat(), "text": "x"}))


def test_an_expired_token_is_not_authenticated(
    transport: GrpcTransport, identity: Identity
) -> None:
    expired = Secret(identity.token(uuid4(), exp=int(NOW.timestamp()) - 600))
    with pytest.raises(NotAuthenticated, match="expired"):
        transport.search_foods(expired, "apple", 3)


def test_another_ca_is_refused_as_a_certificate_mismatch(port: int) -> None:
    stranger = GrpcTransport(make_ca("Someone else's CA").appliance(port))
    try:
        with pytest.raises(TransportUnavailable, match="certificate does not match the CA"):
            stranger.search_foods(Secret("x"), "apple", 3)
    finally:
        stranger.close()


def test_a_name_outside_the_certificate_is_refused(ca: Ca, port: int) -> None:
    from dataclasses import replace

    elsewhere = GrpcTransport(replace(ca.appliance(port), server_name="bia.example.org"))
    try:
        with pytest.raises(
            TransportUnavailable,
            match=r"certificate no longer names bia\.example\.org .*Get the client again "
            r"from the appliance's download page",
        ):
            elsewhere.search_foods(Secret("x"), "apple", 3)
    finally:
        elsewhere.close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_server_that_is_down_is_unavailable(ca: Ca) -> None:
    down = GrpcTransport(ca.appliance(closed_port()))
    try:
        with pytest.raises(
            TransportUnavailable, match=r"cannot reach the appliance at 127\.0\.0\.1"
        ):
            down.timeline(Secret("x"), TODAY, TODAY)
        with pytest.raises(TransportUnavailable):
            down.write(Secret("x"), write("note", {"date": TODAY.isoformat(), "text": "x"}))
    finally:
        down.close()


def test_the_client_outbox_sends_through_it(
    transport: GrpcTransport, token: Secret, tmp_path: Any
) -> None:
    """The outbox's create-then-edit adopts the appliance's id, end to end."""
    from bia_desktop.outbox import Outbox

    outbox = Outbox(tmp_path / "outbox.json")
    local_id = str(uuid4())
    outbox.add(
        "create", "note", local_id, validate("note", {"date": TODAY.isoformat(), "text": "a"})
    )
    outbox.add(
        "update", "note", local_id, validate("note", {"date": TODAY.isoformat(), "text": "b"})
    )
    result = outbox.flush(lambda w: transport.write(token, w))
    assert len(result.sent) == 2 and result.remaining == 0
    [entry] = day(transport, token)
    assert entry["entry_id"] == result.renamed[local_id] and entry["text"] == "b"
