"""CPU per vote when clicks are stored together: 3,000 new voters each clicking once, in
batches of 15 and of 50 through `Engine.handle_all` (what dialogs/runner.py does with
clicks that arrive while a batch is being stored: 15 is about what 20 connections give,
50 what 50 give), on SQLite and PostgreSQL. Each batch is one transaction: the voters
join as members, their ballots and participation are written and the poll's re-render
is queued, each voter told what they chose.

Baseline, in the same run and on the same database: each batch's ballot rows written by
one bare executemany INSERT in one committed transaction, the floor of a batched durable
vote. The figure is this process's CPU time (the database server's own is not in it)
over the votes, so it reads the engine's cost without the load generator or HTTP.

    .venv/bin/python -m bench.vote_batches [--voters 3000] [--batches 15 50] [--runs 3]
        [--output docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from bench.report import BENCHMARKS, command_line, machine, write_section
from bench.stores import Opener, postgres_database, sqlite_database
from dialogs.core.events import ActionInvoked, Actor, CommandIssued, Place
from dialogs.engine import Engine
from storage.database import Database

PLACE = Place("playground", "bench", "batches")
OPTIONS = 4


def engine_ms(database: Database, voters: int, batch: int) -> float:
    """CPU milliseconds per vote through `Engine.handle_all`, after one warm-up batch."""
    engine = Engine(database)
    coordinator = Actor("playground", "bench", "coordinator", "Coordinator")
    engine.handle(CommandIssued(coordinator, PLACE, 'setup "Bench"'))
    engine.handle(CommandIssued(coordinator, PLACE, 'poll "Which?" "A" "B" "C" "D"'))
    clicks = [
        ActionInvoked(
            Actor("playground", "bench", f"v{n}", f"Voter {n}"), PLACE, f"vote:1:{n % OPTIONS + 1}"
        )
        for n in range(voters + batch)
    ]
    warm_up, measured_clicks = clicks[:batch], clicks[batch:]
    engine.handle_all(warm_up)
    return _per_vote(voters, batch, lambda part: engine.handle_all(measured_clicks[part]))


def bare_ms(database: Database, voters: int, batch: int) -> float:
    """CPU milliseconds per row of one executemany INSERT per committed batch."""
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE bench_ballot (id VARCHAR(32) PRIMARY KEY, "
                "poll_id INTEGER, member_id INTEGER, choices TEXT)"
            )
        )
    insert = text("INSERT INTO bench_ballot VALUES (:id, 1, :member, '[0]')")

    def write(part: slice) -> None:
        rows = [{"id": secrets.token_hex(16), "member": n} for n in range(part.start, part.stop)]
        with database.engine.begin() as connection:
            connection.execute(insert, rows)

    return _per_vote(voters, batch, write)


def _per_vote(voters: int, batch: int, store: Callable[[slice], object]) -> float:
    started = time.process_time()
    for first in range(0, voters, batch):
        store(slice(first, min(first + batch, voters)))
    return (time.process_time() - started) * 1000 / voters


def measured(
    opener: Opener, measure: Callable[[Database, int, int], float], voters: int, batch: int
) -> float:
    with opener() as database:
        return measure(database, voters, batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=3000)
    parser.add_argument("--batches", type=int, nargs="+", default=[15, 50])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", type=Path, default=BENCHMARKS)
    args = parser.parse_args()
    rows = []
    for name, opener in (("SQLite", sqlite_database), ("PostgreSQL", postgres_database())):
        for batch in args.batches:
            base = statistics.median(
                measured(opener, bare_ms, args.voters, batch) for _ in range(args.runs)
            )
            votes = statistics.median(
                measured(opener, engine_ms, args.voters, batch) for _ in range(args.runs)
            )
            rows.append(f"| {name} | {batch} | {votes:.3f} | {base:.3f} | {votes / base:.1f}× |")
            print(rows[-1], file=sys.stderr)
    body = "\n".join(
        [
            f"{args.voters:,} new voters each clicking once, stored in batches through "
            "`Engine.handle_all` (one transaction a batch: members joined, ballots, "
            "participation, the poll's re-render queued, each voter's confirmation). "
            "Baseline: each batch's ballot-sized rows by one bare executemany INSERT in one "
            "committed transaction, on the same database. CPU of this process per vote "
            f"(the database server's is not in it); medians of {args.runs} runs.",
            "",
            "| database | batch | engine, ms CPU a vote | bare inserts, ms CPU a row (baseline) "
            "| ratio |",
            "|---|---:|---:|---:|---:|",
            *rows,
            "",
            f"- machine: {machine()}",
            f"- command: `{command_line()}`",
        ]
    )
    write_section("Vote batches through the engine", body, args.output)
    print(body)


if __name__ == "__main__":
    main()
