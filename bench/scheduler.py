"""Scheduler claims: 5,000 check-ins due at the same instant, claimed by 1 and by 2
`concord serve` processes sharing one PostgreSQL database, beside a raw claim loop.

Reports claims per second (from the due instant to the last claim), the lag from
due to claimed at p50/p99, and checks that no occurrence was opened twice. The
baseline, measured in the same run on the same rows, is a bare `SELECT … FOR UPDATE
SKIP LOCKED` loop that only claims and marks (moves `next_run_at` on) and does no work:
one row per transaction, and as many as the ticker's batch.

    .venv/bin/python -m bench.scheduler [--schedules 5000] [--output docs/benchmarks.md]

Everything runs on 127.0.0.1; each run uses a PostgreSQL schema of its own.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, text
from sqlmodel import select

from bench.report import (
    BENCHMARKS,
    command_line,
    machine,
    write_section,
)
from dialogs.ticker import SCHEDULE_BATCH
from storage import migrate
from storage.database import Database
from storage.models import CheckinRun
from tests.support.due_work import plant
from tests.support.processes import Server

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
LEAD_SECONDS = 8  # the due instant is at least this far after the processes are up
Result = dict[str, float]


@contextmanager
def fresh_schema() -> Iterator[tuple[Database, str]]:
    """A migrated PostgreSQL schema of this run's own, and its URL; dropped afterwards."""
    schema = f"bench_scheduler_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    database = Database(url)
    try:
        migrate.upgrade(database)
        yield database, url
    finally:
        database.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def due_soon() -> datetime:
    """A whole minute at least LEAD_SECONDS away (the planted rule is "every day HH:MM")."""
    now = datetime.now(UTC)
    return (now + timedelta(seconds=LEAD_SECONDS + 60)).replace(second=0, microsecond=0)


@contextmanager
def serving(processes: int, url: str, workdir: Path) -> Iterator[None]:
    servers = [
        Server(
            workdir / f"{processes}-{i}-{secrets.token_hex(2)}",
            url,
            CONCORD_PLAYGROUND="false",
            CONCORD_LOG_LEVEL="WARNING",
        )
        for i in range(processes)
    ]
    try:
        for server in servers:
            server.wait_until_healthy()
        yield
    finally:
        for server in servers:
            server.stop()


def served(processes: int, schedules: int, workdir: Path) -> Result:
    """`processes` × `concord serve` opening `schedules` check-ins due at one instant."""
    with fresh_schema() as (database, url):
        with serving(processes, url, workdir):
            due = due_soon()
            plant(database, due, schedules, polls=0)
            while _count(database) < schedules:
                time.sleep(0.2)
        with database.session() as session:
            rows = session.exec(
                select(CheckinRun.schedule_id, CheckinRun.occurrence_key, CheckinRun.opened_at)
            ).all()
    return summary(
        [(opened - due).total_seconds() for _, _, opened in rows],
        len(rows) - len({(s, k) for s, k, _ in rows}),
    )


def raw(schedules: int, per_transaction: int) -> Result:
    """The bare claim loop: lock due rows with SKIP LOCKED, move them on, commit; no work.
    Lag is from the loop's start (every row is due by then) to its claim's commit."""
    claim = text(
        "SELECT id FROM checkinschedule WHERE status = 'active' AND next_run_at <= :now "
        "ORDER BY next_run_at, id LIMIT :limit FOR UPDATE SKIP LOCKED"
    )
    mark = text(
        "UPDATE checkinschedule SET next_run_at = next_run_at + interval '1 day' "
        "WHERE id = ANY(:ids)"
    )
    with fresh_schema() as (database, _):
        plant(database, due_soon() - timedelta(minutes=2), schedules, polls=0)
        lags: list[float] = []
        claimed: list[int] = []
        start = time.perf_counter()
        now = datetime.now(UTC)
        while True:
            with database.engine.begin() as connection:
                ids = list(
                    connection.execute(claim, {"now": now, "limit": per_transaction}).scalars()
                )
                connection.execute(mark, {"ids": ids})
            if not ids:
                break
            lags.extend([time.perf_counter() - start] * len(ids))
            claimed.extend(ids)
    return summary(lags, len(claimed) - len(set(claimed)))


def summary(lags: list[float], duplicates: int) -> Result:
    lags = sorted(lags)
    return {
        "claims_per_s": len(lags) / lags[-1],
        "p50": statistics.median(lags),
        "p99": lags[int(0.99 * (len(lags) - 1))],
        "duplicates": duplicates,
    }


def row(label: str, result: Result, baseline: Result) -> str:
    return (
        f"| {label} | {result['claims_per_s']:,.0f} | "
        f"{result['claims_per_s'] / baseline['claims_per_s']:.2f}× | "
        f"{result['p50']:.2f} | {result['p99']:.2f} | {result['duplicates']:.0f} |"
    )


def header(baseline: str) -> list[str]:
    return [
        f"| claimed by | claims/s | vs {baseline} | lag p50 (s) | lag p99 (s) | duplicates |",
        "|---|---:|---:|---:|---:|---:|",
    ]


def _count(database: Database) -> int:
    with database.session() as session:
        return session.exec(select(func.count()).select_from(CheckinRun)).one()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=5000)
    parser.add_argument("--output", type=Path, default=BENCHMARKS)
    args = parser.parse_args()
    load = os.getloadavg()
    bare = {n: raw(args.schedules, n) for n in (1, SCHEDULE_BATCH)}
    with tempfile.TemporaryDirectory() as folder:
        results = {n: served(n, args.schedules, Path(folder)) for n in (1, 2)}
    rows = [
        row("raw `SKIP LOCKED` loop, 1 row/transaction", bare[1], bare[1]),
        row(
            f"raw `SKIP LOCKED` loop, {SCHEDULE_BATCH} rows/transaction",
            bare[SCHEDULE_BATCH],
            bare[1],
        ),
        *(row(f"{n} × `concord serve`", r, bare[1]) for n, r in results.items()),
    ]
    body = "\n".join(
        [
            f"{args.schedules:,} daily check-ins all due at one instant, claimed by "
            "`concord serve` processes sharing one PostgreSQL. The ticker claims "
            f"{SCHEDULE_BATCH} schedules per transaction and opens them together: the runs, their "
            "outbox rows, their closing timers and the next runs are written with one bulk "
            "statement each. Lag is due → claimed; the tick runs every second, so about "
            "0.5 s of it is waiting for the tick. Baseline, same rows, same run: a bare "
            "`SELECT … FOR UPDATE SKIP LOCKED` loop that only claims and moves `next_run_at` "
            "on (lag from the loop's start).",
            "",
            *header("raw loop, 1 row/transaction"),
            *rows,
            "",
            f"- machine: {machine()}; load average at start {load[0]:.1f}, {load[1]:.1f}",
            f"- command: `{command_line()}`",
        ]
    )
    write_section("Scheduler claims", body, args.output)
    print(body)


if __name__ == "__main__":
    main()
