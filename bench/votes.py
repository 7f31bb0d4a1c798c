"""Votes per second through the engine: 500 distinct voters each clicking once, 16 at a time,
on SQLite and on PostgreSQL. Each vote is a full turn: find the member, check the poll,
replace the ballot, record participation, queue the live re-render, commit.

Baseline, in the same run and on the same database: one bare INSERT of a ballot-sized
row per committed transaction, 16 at a time: the floor any durable vote costs.

    .venv/bin/python -m bench.votes [--voters 500] [--runs 3] [--output docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import text

from bench.report import (
    BENCHMARKS,
    command_line,
    machine,
    write_section,
)
from bench.stores import Opener, postgres_database, sqlite_database
from dialogs.core.events import ActionInvoked, Actor, CommandIssued, Place
from dialogs.engine import Engine
from storage.database import Database

PLACE = Place("playground", "bench", "votes")
WORKERS = 16


def engine_votes(database: Database, voters: int) -> float:
    engine = Engine(database)
    coordinator = Actor("playground", "bench", "coordinator", "Coordinator")
    engine.handle(CommandIssued(coordinator, PLACE, 'setup "Bench"'))
    engine.handle(CommandIssued(coordinator, PLACE, 'poll "Which?" "A" "B" "C" "D"'))
    people = [Actor("playground", "bench", f"v{n}", f"Voter {n}") for n in range(voters)]
    actions = [f"vote:1:{n % 4 + 1}" for n in range(voters)]
    return _rate(voters, lambda n: engine.handle(ActionInvoked(people[n], PLACE, actions[n])))


def bare_inserts(database: Database, voters: int) -> float:
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE bench_ballot (id VARCHAR(32) PRIMARY KEY, "
                "poll_id INTEGER, member_id INTEGER, choices TEXT)"
            )
        )

    def insert(n: int) -> None:
        with database.session() as session:
            session.execute(
                text("INSERT INTO bench_ballot VALUES (:id, 1, :member, '[0]')"),
                {"id": secrets.token_hex(16), "member": n},
            )

    return _rate(voters, insert)


def _rate(count: int, work: Callable[[int], object]) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(work, range(count)))
    return count / (time.perf_counter() - started)


def measured(opener: Opener, measure: Callable[[Database, int], float], voters: int) -> float:
    with opener() as database:
        return measure(database, voters)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", type=Path, default=BENCHMARKS)
    args = parser.parse_args()
    rows = []
    for name, opener in (("SQLite", sqlite_database), ("PostgreSQL", postgres_database())):
        base = statistics.median(
            measured(opener, bare_inserts, args.voters) for _ in range(args.runs)
        )
        votes = statistics.median(
            measured(opener, engine_votes, args.voters) for _ in range(args.runs)
        )
        rows.append(f"| {name} | {votes:,.0f} | {base:,.0f} | {votes / base:.2f}× |")
        print(rows[-1], file=sys.stderr)
    body = "\n".join(
        [
            f"{args.voters} distinct voters each voting once, {WORKERS} at a time, through "
            "`Engine.handle` (a full turn, committed). Baseline: one bare INSERT of a ballot-sized "
            f"row per committed transaction, {WORKERS} at a time, on the same database. "
            f"Medians of {args.runs} runs.",
            "",
            "| database | votes/s through the engine | bare inserts/s (baseline) | ratio |",
            "|---|---:|---:|---:|",
            *rows,
            "",
            f"- machine: {machine()}",
            f"- command: `{command_line()}`",
        ]
    )
    write_section("Votes through the engine", body, args.output)
    print(body)


if __name__ == "__main__":
    main()
