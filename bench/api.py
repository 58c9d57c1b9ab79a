"""Journal API under a bounded load: gRPC and REST, against raw psycopg inserts.

    .venv/bin/python -m bench.api                     # 20 users, 10 s per phase
    .venv/bin/python -m bench.api --users 40 --seconds 20
    .venv/bin/python -m bench.api --users 20 --rate 340   # open loop: p99 at a set rate

Everything runs on loopback and stops by itself: a throwaway PostgreSQL (migrated as the
appliance is), a stand-in identity provider (a real RSA key and JWKS; tokens verified by
the real TokenVerifier), the gRPC server (`python -m app.rpc.server`) and the REST app
(`uvicorn --factory app.main:create_app`) as their own processes. N simulated users
(threads, each with its own token and RLS user) then log and read their journals for a
fixed time: 70% "create a meal with 2 items", 20% "create a symptom", 10% "read today's
timeline". Then the same meal and symptom inserts through psycopg alone (one
user_transaction each, no API), for the ratio. Errors must be 0.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import grpc
import httpx

from app.db import migrate
from app.db.session import create_pool, user_transaction
from app.rpc.journal.v1 import journal_pb2 as pb
from app.rpc.journal.v1 import journal_pb2_grpc
from tests.app.identity import CLIENT_ID, ISSUER, Identity, running_identity
from tests.pg import BiaDatabase, provision_bia, running_postgres

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


@dataclass
class Tally:
    write_ms: list[float] = field(default_factory=list)
    read_ms: list[float] = field(default_factory=list)
    writes: int = 0
    reads: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, started: float, write: bool) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            (self.write_ms if write else self.read_ms).append(elapsed)
            if write:
                self.writes += 1
            else:
                self.reads += 1

    def fail(self, error: str) -> None:
        with self.lock:
            self.errors.append(error)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _environment(db: BiaDatabase, identity: Identity, grpc_port: int) -> dict[str, str]:
    return {
        **os.environ,
        "BIA_ENVIRONMENT": "development",
        "BIA_DATABASE_HOST": str(db.server.socket_dir),
        "BIA_DATABASE_PORT": str(db.server.port),
        "BIA_DATABASE_NAME": db.dbname,
        "BIA_DATABASE_USER": "bia_app",
        "BIA_DATABASE_PASSWORD": db.passwords["bia_app"],
        "BIA_DATABASE_POOL_MAX": "10",
        "BIA_OIDC_ISSUER": ISSUER,
        "BIA_OIDC_JWKS_URL": identity.jwks_url,
        "BIA_OIDC_CLIENT_ID": CLIENT_ID,
        "BIA_JOURNAL_GRPC_PORT": str(grpc_port),
    }


@contextmanager
def _process(args: list[str], env: dict[str, str], ready: Callable[[], bool]) -> Iterator[None]:
    process = subprocess.Popen(
        args, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while not ready():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{' '.join(args)} did not start")
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _listening(port: int) -> Callable[[], bool]:
    def check() -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    return check


def _meal_at(rng: random.Random) -> datetime:
    # Spread over a year, so a day holds a realistic handful of entries (reads stay small).
    return datetime.now(UTC) - timedelta(minutes=rng.randint(5, 365 * 24 * 60))


def _paced(until: float, interval: float) -> Iterator[None]:
    """Yield until `until`: back to back, or every `interval` seconds (an open loop)."""
    next_at = time.monotonic()
    while next_at < until and time.monotonic() < until:
        delay = next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        yield
        next_at = max(next_at + interval, time.monotonic()) if interval else time.monotonic()


def _grpc_user(
    target: str, token: str, until: float, tally: Tally, seed: int, interval: float
) -> None:
    rng = random.Random(seed)
    metadata = (("authorization", f"Bearer {token}"),)
    today = datetime.now(UTC).date().isoformat()
    with grpc.insecure_channel(target) as channel:
        journal = journal_pb2_grpc.JournalStub(channel)  # type: ignore[no-untyped-call]
        for _ in _paced(until, interval):
            roll = rng.random()
            started = time.perf_counter()
            try:
                if roll < 0.7:
                    meal = pb.MealInput(
                        eaten_at=_meal_at(rng).isoformat(),
                        meal_type="lunch",
                        items=[
                            pb.MealItemInput(catalog_food_id=food, amount=100, unit="g")
                            for food in (rng.randint(1, 200), rng.randint(1, 200))
                        ],
                    )
                    request = pb.CreateMealRequest(idempotency_key=str(uuid4()), meal=meal)
                    journal.CreateMeal(request, metadata=metadata, timeout=10)
                elif roll < 0.9:
                    onset = _meal_at(rng).isoformat()
                    symptom = pb.SymptomInput(
                        kind="bloating", severity=rng.randint(0, 10), onset_at=onset
                    )
                    request = pb.CreateSymptomRequest(idempotency_key=str(uuid4()), symptom=symptom)
                    journal.CreateSymptom(request, metadata=metadata, timeout=10)
                else:
                    journal.GetTimeline(
                        pb.TimelineRequest(day=today), metadata=metadata, timeout=10
                    )
            except grpc.RpcError as error:
                tally.fail(f"grpc {error.code()}")
                continue
            tally.record(started, write=roll < 0.9)


def _rest_user(
    base: str, token: str, until: float, tally: Tally, seed: int, interval: float
) -> None:
    rng = random.Random(seed)
    today = datetime.now(UTC).date().isoformat()
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
        for _ in _paced(until, interval):
            roll = rng.random()
            started = time.perf_counter()
            key = {"Idempotency-Key": str(uuid4())}
            if roll < 0.7:
                body = {
                    "eaten_at": _meal_at(rng).isoformat(),
                    "meal_type": "lunch",
                    "items": [
                        {"catalog_food_id": rng.randint(1, 200), "amount": 100, "unit": "g"},
                        {"catalog_food_id": rng.randint(1, 200), "amount": 100, "unit": "g"},
                    ],
                }
                response = client.post("/api/meals", json=body, headers=key)
            elif roll < 0.9:
                symptom = {
                    "kind": "bloating",
                    "severity": rng.randint(0, 10),
                    "onset_at": _meal_at(rng).isoformat(),
                }
                response = client.post("/api/symptoms", json=symptom, headers=key)
            else:
                response = client.get(f"/api/timeline/{today}")
            if response.status_code >= 300:
                tally.fail(f"http {response.status_code}")
                continue
            tally.record(started, write=roll < 0.9)


def _raw_user(db: BiaDatabase, pool: object, until: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    user = uuid4()
    while time.monotonic() < until:
        started = time.perf_counter()
        with user_transaction(pool, user) as conn:  # type: ignore[arg-type]
            if rng.random() < 0.7 / 0.9:
                meal = conn.execute(
                    "INSERT INTO bia.meal (eaten_at, meal_type, idempotency_key) "
                    "VALUES (%s, 'lunch', %s) RETURNING id",
                    (_meal_at(rng), str(uuid4())),
                ).fetchone()
                assert meal is not None
                conn.cursor().executemany(
                    "INSERT INTO bia.meal_item (meal_id, position, catalog_food_id, amount, unit)"
                    " VALUES (%s, %s, %s, %s, %s)",
                    [
                        (meal["id"], 0, rng.randint(1, 200), 100, "g"),
                        (meal["id"], 1, rng.randint(1, 200), 100, "g"),
                    ],
                )
            else:
                conn.execute(
                    "INSERT INTO bia.symptom (kind, severity, onset_at, idempotency_key) "
                    "VALUES ('bloating', %s, %s, %s)",
                    (rng.randint(0, 10), _meal_at(rng), str(uuid4())),
                )
        tally.record(started, write=True)


def _run(
    users: int, seconds: float, work: Callable[[int, float, Tally], None]
) -> tuple[Tally, float]:
    tally = Tally()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=work, args=(n, until, tally)) for n in range(users)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.monotonic() - started


def _percentiles(values: list[float]) -> str:
    if not values:
        return "       -                -   "
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered):6.1f} ms  p99 {p99:6.1f} ms"


def _report(name: str, tally: Tally, elapsed: float) -> float:
    rate = tally.writes / elapsed
    print(
        f"{name:<8} writes/s {rate:7.1f} ({_percentiles(tally.write_ms)})   "
        f"reads/s {tally.reads / elapsed:6.1f} ({_percentiles(tally.read_ms)})   "
        f"errors {len(tally.errors)}"
    )
    for error in sorted(set(tally.errors))[:5]:
        print(f"         error: {error} x{tally.errors.count(error)}")
    return rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=20, help="concurrent simulated users")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each phase")
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="API calls per second in all (an open loop, spread over the users); "
        "default 0: each user calls back to back",
    )
    args = parser.parse_args(argv)
    if not (1 <= args.users <= 200 and 1 <= args.seconds <= 120):
        parser.error("bounded load only: 1-200 users, 1-120 seconds per phase")
    if not 0 <= args.rate <= 5000:
        parser.error("bounded load only: --rate 0-5000 calls per second")
    interval = args.users / args.rate if args.rate else 0.0

    with running_postgres() as server, running_identity() as identity:
        db = provision_bia(server, "bia_bench_api")
        migrate.upgrade(db.owner_dsn, "head")
        grpc_port, rest_port = _free_port(), _free_port()
        env = _environment(db, identity, grpc_port)
        tokens = [identity.token(uuid4()) for _ in range(args.users)]
        pacing = f", {args.rate:.0f} calls/s" if args.rate else ", back to back"
        print(f"{args.users} users{pacing}, {args.seconds:.0f} s per phase, {os.cpu_count()} CPUs")
        rates: dict[str, float] = {}
        errors = 0
        with _process([PYTHON, "-m", "app.rpc.server"], env, _listening(grpc_port)):
            target = f"127.0.0.1:{grpc_port}"
            tally, elapsed = _run(
                args.users,
                args.seconds,
                lambda n, until, t: _grpc_user(target, tokens[n], until, t, n, interval),
            )
            rates["gRPC"] = _report("gRPC", tally, elapsed)
            errors += len(tally.errors)
        uvicorn = [
            PYTHON,
            "-m",
            "uvicorn",
            "--factory",
            "app.main:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(rest_port),
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        with _process(uvicorn, env, _listening(rest_port)):
            base = f"http://127.0.0.1:{rest_port}"
            tally, elapsed = _run(
                args.users,
                args.seconds,
                lambda n, until, t: _rest_user(base, tokens[n], until, t, n, interval),
            )
            rates["REST"] = _report("REST", tally, elapsed)
            errors += len(tally.errors)
        pool = create_pool(db.app_dsn, min_size=10, max_size=10)
        pool.wait()
        try:
            tally, elapsed = _run(
                args.users, args.seconds, lambda n, until, t: _raw_user(db, pool, until, t, n)
            )
            rates["psycopg"] = _report("psycopg", tally, elapsed)
        finally:
            pool.close()
        print(
            f"ratio to raw psycopg inserts: gRPC {rates['gRPC'] / rates['psycopg']:.2f}, "
            f"REST {rates['REST'] / rates['psycopg']:.2f}"
        )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
