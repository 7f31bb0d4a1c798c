"""The question coach: precision, recall and F1 per label, and the time per question.

Quality is measured on the labelled dev set (tests/data/questions_dev.jsonl, a copy of
shared/data/, which the rules were developed against) and on our own hand-written cases
(tests/data/questions_own.jsonl), beside a naive baseline in the same run: one obvious
rule per label (a question under six words is vague; any "and" is double; "agree" or a
negative question is leading; more than seven options are too many; two options sharing
a number overlap). Time is `review` on every dev question, warm (the first pass not
timed), in this process; the coach is plain rules, so this is the plain install's time.

    .venv/bin/python -m bench.coach [--runs 20] [--output docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.report import BENCHMARKS, command_line, machine, write_section
from dialogs.polls.coach import review
from tests.support.coach_scores import DEV, OWN, Scores, rows, score

TITLE = "Question coach (issue 21)"
TARGET_MS = 20.0
TARGETS = "questions with a problem flagged ≥ 85 %, good questions flagged ≤ 10 %, macro F1 ≥ 0.70"


def baseline(row: dict) -> set[str]:
    """One obvious rule per label: what the coach's rules are measured against."""
    question, options = row["question"].lower(), row["options"] if row["kind"] == "poll" else []
    numbers = [set(re.findall(r"\d+", option)) for option in options]
    found = {
        "vague": len(question.split()) < 6,
        "double": " and " in question,
        "leading": "agree" in question or bool(re.match(r"\w+n't\b", question)),
        "too_many_options": len(options) > 7,
        "overlapping_options": any(a & b for i, a in enumerate(numbers) for b in numbers[i + 1 :]),
    }
    return {label for label, flagged in found.items() if flagged}


def per_question_ms(questions: list[dict], runs: int) -> list[float]:
    """Milliseconds per question for each pass over `questions`, after one untimed pass."""

    def one_pass() -> float:
        started = time.perf_counter()
        for row in questions:
            review(row["kind"], row["question"], row["options"])
        return (time.perf_counter() - started) * 1000 / len(questions)

    one_pass()
    return [one_pass() for _ in range(runs)]


COLD = """
import time
started = time.perf_counter()
from dialogs.polls.coach import review
review("poll", "How long did you wait?", ["0-5 days", "5-10 days"])
print(time.perf_counter() - started)
"""


def cold_ms(runs: int) -> list[float]:
    """Import and first question in a fresh process: what `concord coach` pays once."""
    return [
        float(
            subprocess.run(
                [sys.executable, "-c", COLD], capture_output=True, text=True, check=True
            ).stdout
        )
        * 1000
        for _ in range(runs)
    ]


def table(name: str, coach: Scores, naive: Scores) -> list[str]:
    lines = [
        f"**{name}** ({coach.questions} questions): the coach beside the naive baseline.",
        "",
        "| label | questions | precision | recall | F1 | baseline F1 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for mine, theirs in zip(coach.per_label, naive.per_label, strict=True):
        lines.append(
            f"| {mine.label} | {mine.support} | {mine.precision:.2f} | {mine.recall:.2f} | "
            f"{mine.f1:.2f} | {theirs.f1:.2f} |"
        )
    lines += [
        f"| **macro F1** | | | | **{coach.macro_f1:.2f}** | {naive.macro_f1:.2f} |",
        "",
        f"Questions with a problem flagged: {coach.flagged:.0%} (baseline {naive.flagged:.0%}); "
        f"good questions flagged: {coach.wrongly_flagged:.0%} "
        f"(baseline {naive.wrongly_flagged:.0%}).",
        "",
    ]
    return lines


def report(runs: int) -> str:
    dev, own = rows(DEV), rows(OWN)
    times = per_question_ms(dev, runs)
    naive_times = _baseline_ms(dev, runs)
    cold = cold_ms(5)
    lines = [
        f"Targets on the dev set: {TARGETS}; time per question ≤ {TARGET_MS:.0f} ms warm. "
        "The rules were written against the dev set, so its figures flatter them; the "
        "nearer guide to unseen questions is our own cases, five batches of which were "
        "labelled before the rules saw them, each after the rules had been widened for the "
        "one before. At first sight they had 81 %, 65 %, 41 %, 61 % and 36 % of their "
        "problems flagged (macro F1 0.88, 0.81, 0.62, 0.80 and 0.48 over the labels each "
        "holds; the last batch held only broad and leading questions), and never a good question "
        "flagged: the rules are "
        "precise but miss wordings they do not know, broad (vague) and leading questions "
        "most. Every miss has since been caught by a general rule, so below they score high; "
        "expect unseen sets to score lower, on recall.",
        "",
    ]
    lines += table("Dev set", score(dev), score(dev, baseline))
    lines += table("Our own cases", score(own), score(own, baseline))
    median = statistics.median(times)
    lines += [
        f"Time per question, warm, over the {len(dev)} dev questions: median {median:.3f} ms "
        f"(min–max {min(times):.3f}–{max(times):.3f} ms over {runs} passes; the naive "
        f"baseline {statistics.median(naive_times):.3f} ms, so "
        f"{median / statistics.median(naive_times):.0f}× the baseline). Cold, in a new "
        f"process (import and the first question): median {statistics.median(cold):.0f} ms "
        f"over {len(cold)} runs. No model is loaded: torch imported: "
        f"{'yes' if 'torch' in sys.modules else 'no'}.",
        "",
        f"- machine: {machine()}",
        f"- command: `{command_line()}`",
    ]
    return "\n".join(lines)


def _baseline_ms(questions: list[dict], runs: int) -> list[float]:
    samples = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        for row in questions:
            baseline(row)
        samples.append((time.perf_counter() - started) * 1000 / len(questions))
    return samples[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--output", type=Path, default=BENCHMARKS)
    args = parser.parse_args()
    body = report(args.runs)
    print(body)
    write_section(TITLE, body, args.output)


if __name__ == "__main__":
    main()
