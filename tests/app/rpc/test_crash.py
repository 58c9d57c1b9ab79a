"""Crash safety: the gRPC server SIGKILLed in the middle of a bounded load loses no
acknowledged write, leaves no meal half-written, and after a restart, retries with the
same idempotency keys create nothing twice."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import grpc
import pytest

from app.journal import meals
from app.rpc.journal.v1 import journal_pb2 as pb
from app.rpc.journal.v1 import journal_pb2_grpc
from tests.app.conftest import UserTx
from tests.app.identity import CLIENT_ID, ISSUER, Identity
from tests.pg import BiaDatabase

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[3]
ITEMS = 3


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def _server(db: BiaDatabase, identity: Identity, port: int) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "BIA_ENVIRONMENT": "development",
        "BIA_DATABASE_HOST": str(db.server.socket_dir),
        "BIA_DATABASE_PORT": str(db.server.port),
        "BIA_DATABASE_NAME": db.dbname,
        "BIA_DATABASE_PASSWORD": db.passwords["bia_app"],
        "BIA_OIDC_ISSUER": ISSUER,
        "BIA_OIDC_JWKS_URL": identity.jwks_url,
        "BIA_OIDC_CLIENT_ID": CLIENT_ID,
        "BIA_JOURNAL_GRPC_PORT": str(port),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "app.rpc.server"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert process.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def _request(key: str) -> pb.CreateMealRequest:
    at = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    items = [pb.MealItemInput(catalog_food_id=n + 1, amount=100, unit="g") for n in range(ITEMS)]
    return pb.CreateMealRequest(
        idempotency_key=key, meal=pb.MealInput(eaten_at=at, meal_type="lunch", items=items)
    )


def test_sigkill_mid_load_loses_no_acknowledged_write(
    bia_db: BiaDatabase, identity: Identity, as_user: UserTx
) -> None:
    port = _free_port()
    users = [uuid4() for _ in range(4)]
    acknowledged: dict[str, tuple[UUID, str]] = {}  # key -> (user, meal id)
    attempted: dict[str, UUID] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def load(user: UUID) -> None:
        metadata = (("authorization", f"Bearer {identity.token(user)}"),)
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = journal_pb2_grpc.JournalStub(channel)  # type: ignore[no-untyped-call]
            while not stop.is_set():
                key = str(uuid4())
                with lock:
                    attempted[key] = user
                try:
                    meal = stub.CreateMeal(_request(key), metadata=metadata, timeout=5)
                except grpc.RpcError:
                    time.sleep(0.01)
                    continue
                with lock:
                    acknowledged[key] = (user, meal.id)

    with _server(bia_db, identity, port) as server:
        threads = [threading.Thread(target=load, args=(user,)) for user in users]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        server.send_signal(signal.SIGKILL)
        server.wait()
        time.sleep(0.3)
        stop.set()
        for thread in threads:
            thread.join()
    assert len(acknowledged) > 20, "the load did not get going before the kill"
    assert len(attempted) > len(acknowledged)

    # Nothing acknowledged is lost; nothing is half-written.
    for user in users:
        with as_user(user) as conn:
            stored = meals.list_meals(
                conn, datetime.now(UTC) - timedelta(days=1), datetime.now(UTC) + timedelta(hours=1)
            )
        assert all(len(meal.items) == ITEMS for meal in stored)
        stored_ids = {str(meal.id) for meal in stored}
        mine = {ident for key, (owner, ident) in acknowledged.items() if owner == user}
        assert mine <= stored_ids

    # After a restart, every retry returns the first result and creates nothing new.
    with _server(bia_db, identity, port), grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = journal_pb2_grpc.JournalStub(channel)  # type: ignore[no-untyped-call]
        for key, user in attempted.items():
            metadata = (("authorization", f"Bearer {identity.token(user)}"),)
            meal = stub.CreateMeal(_request(key), metadata=metadata, timeout=10)
            if key in acknowledged:
                assert meal.id == acknowledged[key][1]
    for user in users:
        with as_user(user) as conn:
            stored = meals.list_meals(
                conn, datetime.now(UTC) - timedelta(days=1), datetime.now(UTC) + timedelta(hours=1)
            )
        assert len(stored) == sum(1 for owner in attempted.values() if owner == user)
        assert all(len(meal.items) == ITEMS for meal in stored)
