import json
import stat
from pathlib import Path

import pytest
from bia_desktop.outbox import Outbox
from bia_desktop.transport import TransportUnavailable, Write, WriteRejected


class Flaky:
    def __init__(self) -> None:
        self.online = False
        self.received: list[str] = []
        self.reject: set[str] = set()

    def __call__(self, write: Write) -> None:
        if not self.online:
            raise TransportUnavailable("network down")
        if write.idempotency_key in self.reject:
            raise WriteRejected("refused")
        self.received.append(write.idempotency_key)


MEAL = {"time": "2026-12-04T08:00:00", "items": [], "note": ""}


def test_a_write_that_fails_for_network_reasons_survives_a_restart_and_keeps_its_key(
    tmp_path: Path,
) -> None:
    path = tmp_path / "state" / "outbox.json"
    outbox = Outbox(path)
    write = outbox.add("create", "meal", "e1", MEAL)
    server = Flaky()

    result = outbox.flush(server)
    assert result.offline_reason == "network down"
    assert result.remaining == 1

    restarted = Outbox(path)  # a new process reading the same file
    [pending] = restarted.pending()
    assert pending.write == write
    assert pending.attempts == 1
    assert pending.last_error == "network down"

    server.online = True
    result = restarted.flush(server)
    assert server.received == [write.idempotency_key]
    assert result.sent == [write.idempotency_key]
    assert restarted.pending() == []
    assert Outbox(path).pending() == []


def test_the_file_is_private_and_replaced_atomically(tmp_path: Path) -> None:
    path = tmp_path / "outbox.json"
    outbox = Outbox(path)
    outbox.add("create", "note", "n1", {"date": "2026-12-04", "text": "a bad day"})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["outbox.json"]  # no temp files left
    data = json.loads(path.read_text())
    assert data["format"] == 1
    assert data["writes"][0]["write"]["payload"]["text"] == "a bad day"


def test_order_is_kept_a_network_failure_stops_the_flush(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "o.json")
    keys = [outbox.add("create", "note", f"n{i}", {}).idempotency_key for i in range(3)]
    calls: list[str] = []

    def second_fails(write: Write) -> None:
        calls.append(write.idempotency_key)
        if len(calls) == 2:
            raise TransportUnavailable("timeout")

    result = outbox.flush(second_fails)
    assert result.sent == keys[:1]
    assert calls == keys[:2]  # the third was not tried ahead of the second
    assert [p.write.idempotency_key for p in outbox.pending()] == keys[1:]


def test_a_refused_write_is_kept_visible_until_the_user_discards_it(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "o.json")
    bad = outbox.add("create", "note", "bad", {})
    good = outbox.add("create", "note", "good", {})
    server = Flaky()
    server.online = True
    server.reject = {bad.idempotency_key}

    result = outbox.flush(server)
    assert result.rejected == [bad.idempotency_key]
    assert result.sent == [good.idempotency_key]
    [kept] = outbox.pending()
    assert kept.rejected and kept.public()["last_error"] == "refused"
    assert outbox.flush(server).sent == []  # not retried
    assert outbox.discard(bad.idempotency_key)
    assert Outbox(tmp_path / "o.json").pending() == []


def test_an_unknown_format_is_refused_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "o.json"
    path.write_text(json.dumps({"format": 99, "writes": []}))
    with pytest.raises(ValueError, match="unknown outbox format"):
        Outbox(path)


def test_writes_queued_after_a_create_follow_the_id_the_appliance_gave_it(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "o.json")
    outbox.add("create", "meal", "local-1", MEAL)
    outbox.add("update", "meal", "local-1", MEAL)
    outbox.add("delete", "meal", "local-1", {})
    seen: list[tuple[str, str]] = []

    def appliance(write: Write) -> dict[str, str]:
        seen.append((write.operation, write.entry_id))
        return {"id": "srv-9"} if write.operation == "create" else {}

    result = outbox.flush(appliance)
    assert seen == [("create", "local-1"), ("update", "srv-9"), ("delete", "srv-9")]
    assert result.renamed == {"local-1": "srv-9"}


def test_renaming_survives_a_restart_between_the_create_and_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "o.json"
    outbox = Outbox(path)
    outbox.add("create", "note", "local-1", {})
    outbox.add("delete", "note", "local-1", {})
    calls = 0

    def create_then_fail(write: Write) -> dict[str, str]:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise TransportUnavailable("dropped")
        return {"id": "srv-1"}

    outbox.flush(create_then_fail)
    [left] = Outbox(path).pending()
    assert (left.write.operation, left.write.entry_id) == ("delete", "srv-1")


def test_a_write_the_appliance_keeps_failing_on_is_refused_after_a_few_tries(
    tmp_path: Path,
) -> None:
    """INTERNAL/UNKNOWN: "not now" at first (order kept), then a refusal, so the writes
    behind it are sent; network failures in between do not count."""
    from bia_desktop.outbox import SERVER_FAULT_ATTEMPTS, ServerFault

    path = tmp_path / "o.json"
    outbox = Outbox(path)
    broken = outbox.add("create", "note", "broken", {})
    fine = outbox.add("create", "note", "fine", {})
    online = True
    sent: list[str] = []

    def appliance(write: Write) -> None:
        if not online:
            raise TransportUnavailable("network down")
        if write.idempotency_key == broken.idempotency_key:
            raise ServerFault("the appliance failed on this request: boom (INTERNAL)")
        sent.append(write.idempotency_key)

    for _ in range(SERVER_FAULT_ATTEMPTS - 1):
        result = outbox.flush(appliance)
        assert result.offline_reason.endswith("boom (INTERNAL)")
        assert (result.sent, result.rejected, result.remaining) == ([], [], 2)
        online = False
        assert outbox.flush(appliance).offline_reason == "network down"
        online = True
    outbox = Outbox(path)  # the count survives a restart
    assert outbox.pending()[0].server_faults == SERVER_FAULT_ATTEMPTS - 1

    result = outbox.flush(appliance)
    assert result.rejected == [broken.idempotency_key]
    assert result.sent == [fine.idempotency_key] == sent
    assert (result.remaining, result.offline_reason) == (0, "")
    [kept] = outbox.pending()
    assert kept.rejected and kept.attempts == 2 * SERVER_FAULT_ATTEMPTS - 1
    assert "boom (INTERNAL)" in kept.last_error and "send it again" in kept.last_error
    assert outbox.flush(appliance).sent == []  # not sent again by itself

    # The appliance is fixed; the user sends it again (the page's "Send again").
    key = broken.idempotency_key
    sent.clear()
    assert outbox.send_again(key)
    assert not outbox.pending()[0].rejected and outbox.pending()[0].server_faults == 0

    def fixed_appliance(write: Write) -> None:
        sent.append(write.idempotency_key)

    assert outbox.flush(fixed_appliance).sent == [key] == sent
    assert outbox.pending() == [] and not outbox.send_again(key)


def test_an_outbox_file_from_before_server_fault_counts_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "o.json"
    write = {"idempotency_key": "k", "operation": "create", "kind": "note", "entry_id": "n",
             "payload": {}}  # fmt: skip
    item = {"write": write, "queued_at": "x", "attempts": 1, "last_error": "", "rejected": False}
    path.write_text(json.dumps({"format": 1, "writes": [item]}))
    [pending] = Outbox(path).pending()
    assert pending.server_faults == 0
