"""What does row level security cost? Same queries, with RLS and without, one run.

    .venv/bin/python -m bench.rls                      # throwaway PostgreSQL
    .venv/bin/python -m bench.rls --superuser-dsn '...' --users 200 --days 90

Builds `bia_bench` (users x days of ~5 meals x 3 items, 2 symptoms and ~1.5
bowel movements a day) with generate_series, then times, for one user:
a day's timeline (meals + items + food names, symptoms, bowel movements) and
a month's symptoms. "RLS" runs as bia_app with the user setting and no user
filter in the SQL (as the app does); "no RLS" runs as a superuser (RLS never
applies) with an explicit `user_id = ...` filter. Medians of many runs.
With --superuser-dsn the roles must already exist (the deploy creates them);
the bench switches to them with `SET ROLE`, it never changes a password.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from app.db import migrate
from tests.pg import ThrowawayPostgres, drop_database, provision_bia

DBNAME = "bia_bench"
START = datetime(2024, 1, 1, tzinfo=UTC)

LOAD = [
    "CREATE TEMP TABLE bench_user AS "
    "SELECT n, gen_random_uuid() AS id FROM generate_series(1, %(users)s) AS n",
    "INSERT INTO bia.meal (user_id, eaten_at, meal_type) "
    "SELECT u.id, %(start)s::timestamptz + make_interval(days => d, hours => 7 + 3 * m,"
    " mins => (random() * 50)::int), (ARRAY['breakfast','snack','lunch','snack','dinner'])[m + 1] "
    "FROM bench_user u, generate_series(0, %(days)s - 1) d, generate_series(0, 4) m",
    "INSERT INTO bia.meal_item (user_id, meal_id, position, catalog_food_id, amount, unit) "
    "SELECT m.user_id, m.id, p, 1 + (random() * 237)::int, 50 + (random() * 200)::int, 'g' "
    "FROM bia.meal m, generate_series(0, 2) p",
    "INSERT INTO bia.symptom (user_id, kind, severity, onset_at, duration_minutes) "
    "SELECT u.id, (ARRAY['bloating','gas','abdominal_pain','fatigue'])[1 + (random() * 3)::int],"
    " (random() * 10)::int, %(start)s::timestamptz + make_interval(days => d)"
    " + random() * interval '24 hours', (random() * 180)::int "
    "FROM bench_user u, generate_series(0, %(days)s - 1) d, generate_series(1, 2) s",
    "INSERT INTO bia.bowel_movement (user_id, occurred_at, bristol, urgency) "
    "SELECT u.id, %(start)s::timestamptz + make_interval(days => d)"
    " + random() * interval '24 hours', 1 + (random() * 6)::int, (random() * 10)::int "
    "FROM bench_user u, generate_series(0, %(days)s - 1) d,"
    " LATERAL generate_series(1, 1 + (random() < 0.5)::int + 0 * d) b",
]

DAY_QUERIES = [
    "SELECT m.id, m.eaten_at, m.meal_type, i.amount, i.unit, c.name "
    "FROM bia.meal m JOIN bia.meal_item i ON i.user_id = m.user_id AND i.meal_id = m.id "
    "LEFT JOIN bia.catalog_food c ON c.id = i.catalog_food_id "
    "WHERE m.eaten_at >= %(start)s AND m.eaten_at < %(end)s {filter_m} "
    "ORDER BY m.eaten_at, i.position",
    "SELECT * FROM bia.symptom WHERE onset_at >= %(start)s AND onset_at < %(end)s {filter} "
    "ORDER BY onset_at",
    "SELECT * FROM bia.bowel_movement WHERE occurred_at >= %(start)s AND occurred_at < %(end)s"
    " {filter} ORDER BY occurred_at",
]
MONTH_QUERY = (
    "SELECT * FROM bia.symptom WHERE onset_at >= %(start)s AND onset_at < %(end)s {filter} "
    "ORDER BY onset_at"
)


def _sql(template: str, explicit: bool) -> sql.SQL:
    filters = {
        "filter": "AND user_id = %(uid)s" if explicit else "",
        "filter_m": "AND m.user_id = %(uid)s" if explicit else "",
    }
    return sql.SQL(template.format(**filters))


def build(superuser_dsn: str, users: int, days: int) -> None:
    with psycopg.connect(superuser_dsn, autocommit=True) as conn:
        # Fast bulk load: skip FK triggers (the generator only makes valid references).
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET maintenance_work_mem = '256MB'")
        for statement in LOAD:
            began = time.perf_counter()
            cur = conn.execute(statement, {"users": users, "days": days, "start": START})
            print(f"  {cur.rowcount:>10,} rows  {time.perf_counter() - began:6.1f} s  "
                  f"{statement.split('(')[0][:40]}")  # fmt: skip
        conn.execute("VACUUM ANALYZE")


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def measure(superuser_dsn: str, runs: int, days: int) -> dict[str, tuple[float, float]]:
    app_dsn = superuser_dsn + " options='-c role=bia_app'"
    with psycopg.connect(superuser_dsn) as conn:
        row = conn.execute(
            "SELECT user_id FROM bia.meal ORDER BY user_id OFFSET 500 LIMIT 1"
        ).fetchone()
        assert row is not None
        uid: UUID = row[0]
    day = START + timedelta(days=days // 2)
    cases: dict[str, list[tuple[str, dict[str, Any]]]] = {
        "day timeline (3 queries)": [
            (q, {"start": day, "end": day + timedelta(days=1)}) for q in DAY_QUERIES
        ],
        "month of symptoms": [(MONTH_QUERY, {"start": day, "end": day + timedelta(days=30)})],
    }
    results: dict[str, tuple[float, float]] = {}
    with psycopg.connect(app_dsn) as rls, psycopg.connect(superuser_dsn) as plain:
        rls.execute("SELECT set_config('bia.user_id', %s, false)", (str(uid),))
        assert rls.execute("SELECT current_user").fetchone() == ("bia_app",)
        for name, queries in cases.items():
            with_rls: list[float] = []
            without: list[float] = []
            counts = set()
            for _ in range(runs):  # interleaved, so drift hits both sides alike
                for conn, explicit, samples in ((rls, False, with_rls), (plain, True, without)):
                    began = time.perf_counter()
                    n = 0
                    for template, params in queries:
                        n += len(
                            conn.execute(
                                _sql(template, explicit), {**params, "uid": uid}
                            ).fetchall()
                        )
                    samples.append(time.perf_counter() - began)
                    counts.add(n)
            assert len(counts) == 1, f"RLS and explicit filter disagree: {counts}"
            results[name] = (_median_ms(with_rls), _median_ms(without))
            print(f"{name:<26} rows={counts.pop():<4} RLS {results[name][0]:7.3f} ms   "
                  f"no RLS + filter {results[name][1]:7.3f} ms   "
                  f"ratio {results[name][0] / results[name][1]:5.3f}")  # fmt: skip
        plan = rls.execute(sql.SQL("EXPLAIN ") + _sql(MONTH_QUERY, False),
                           {"start": day, "end": day + timedelta(days=30)}).fetchall()  # fmt: skip
        print("RLS plan, month of symptoms:\n  " + "\n  ".join(r[0] for r in plan))
    return results


@contextmanager
def _database(superuser_dsn: str | None) -> Iterator[str]:
    if superuser_dsn is None:
        with ThrowawayPostgres() as server:
            database = provision_bia(server, DBNAME)
            migrate.upgrade(database.owner_dsn)
            yield database.superuser_dsn
        return
    with psycopg.connect(superuser_dsn, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DBNAME))
        )
        conn.execute(sql.SQL("CREATE DATABASE {} OWNER bia_owner").format(sql.Identifier(DBNAME)))
    bench_dsn = psycopg.conninfo.make_conninfo(superuser_dsn, dbname=DBNAME)
    migrate.upgrade(bench_dsn + " options='-c role=bia_owner'")
    yield bench_dsn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--superuser-dsn", help="use this server instead of a throwaway one")
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    began = time.perf_counter()
    with _database(args.superuser_dsn) as dsn:
        print(f"building {args.users} users x {args.days} days ...")
        build(dsn, args.users, args.days)
        print(f"built in {time.perf_counter() - began:.0f} s; timing {args.runs} runs each")
        measure(dsn, args.runs, args.days)
    _ = drop_database  # the throwaway server is removed whole; a given server keeps bia_bench


if __name__ == "__main__":
    main()
