"""Tallying ranked ballots: instant-runoff over many random ballots, time and peak memory.

Draws N random partial rankings over K options (each ranks 1 to K options,
uniformly, in random order), then times `dialogs.polls.tally.result("ranked", …)`:
plain, balanced by organisation (20 organisations), and as `concord recount`
does it from the exported CSV (read + tally). The baseline, in the same run,
counts the first preferences of the same ballots with `collections.Counter` in
one pass: the least any count of these ballots can cost. Times are medians of
R runs; peak memory (tracemalloc, the ballots themselves excluded) comes from
one more run of each, untimed.

    .venv/bin/python -m bench.tally [--ballots 100000] [--options 10] [--runs 5]
        [--output docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.report import (
    BENCHMARKS,
    command_line,
    machine,
    write_section,
)
from dialogs.polls import ballot_csv
from dialogs.polls.tally import result

TITLE = "Tallying ranked ballots"
TARGET_SECONDS = 1.0
ORGANISATIONS = 20


@dataclass(frozen=True)
class Measure:
    name: str
    seconds: list[float]
    peak_bytes: int

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def random_ballots(count: int, option_count: int, seed: int = 2026) -> list[list[int]]:
    rng = random.Random(seed)
    options = range(option_count)
    return [rng.sample(options, rng.randint(1, option_count)) for _ in range(count)]


def measure(name: str, work: Callable[[], Any], runs: int) -> Measure:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return Measure(name, seconds, peak)


def run(ballot_count: int, option_count: int, runs: int) -> list[Measure]:
    ballots = random_ballots(ballot_count, option_count)
    options = [f"Option {i + 1}" for i in range(option_count)]
    rng = random.Random(1)
    organisations = [f"Trust {rng.randrange(ORGANISATIONS)}" for _ in ballots]
    rows = [(str(i), org, b) for i, (org, b) in enumerate(zip(organisations, ballots, strict=True))]
    exported = ballot_csv.write("ranked", "Which?", options, {}, rows)

    def recount() -> dict:
        export = ballot_csv.read(exported)
        return result(export.type, export.options, export.ballots, export.settings)

    balanced = {"balance": "orgs"}
    return [
        measure(
            "first preferences, `Counter` (baseline)", lambda: Counter(b[0] for b in ballots), runs
        ),
        measure("instant-runoff, `result()`", lambda: result("ranked", options, ballots, {}), runs),
        measure(
            f"instant-runoff + balanced ({ORGANISATIONS} organisations)",
            lambda: result("ranked", options, ballots, balanced, organisations),
            runs,
        ),
        measure("`concord recount` work: read the CSV + `result()`", recount, runs),
    ]


def report(measures: list[Measure], ballot_count: int, option_count: int, runs: int) -> str:
    baseline = measures[0].median
    lines = [
        f"{ballot_count:,} random ranked ballots over {option_count} options (each ranks 1 to "
        f"{option_count} options), seeded. Times are medians of {runs} runs; peak memory is "
        "tracemalloc's peak during one more run (the ballots themselves not counted). "
        "The baseline counts first preferences with `collections.Counter` in one pass. "
        f"Target: instant-runoff within {TARGET_SECONDS:.0f} s. Other work on the machine "
        "was not stopped; min–max shows how much it moved the numbers.",
        "",
        "| work | median (ms) | min–max (ms) | peak memory (MiB) | vs baseline |",
        "|---|---:|---:|---:|---:|",
    ]
    for m in measures:
        lines.append(
            f"| {m.name} | {m.median * 1000:.0f} | {min(m.seconds) * 1000:.0f}–"
            f"{max(m.seconds) * 1000:.0f} | {m.peak_bytes / 2**20:.1f} | "
            f"{m.median / baseline:.1f}× |"
        )
    lines += ["", f"- machine: {machine()}", f"- command: `{command_line()}`"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--options", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", type=Path, default=BENCHMARKS)
    args = parser.parse_args()
    measures = run(args.ballots, args.options, args.runs)
    body = report(measures, args.ballots, args.options, args.runs)
    print(body)
    write_section(TITLE, body, args.output)


if __name__ == "__main__":
    main()
