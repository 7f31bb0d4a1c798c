"""Scoring the question coach against labelled questions: shared by its tests and its bench.

A labelled set is JSON lines `{"kind", "question", "options", "labels"}` (tests/data/).
"Flagged" counts questions with any problem that the coach holds back (any label, not
necessarily the right one); "wrongly flagged" counts good questions it holds back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dialogs.polls.coach import LABELS, review
from tests.support.paths import REPO

DEV = REPO / "tests" / "data" / "questions_dev.jsonl"
OWN = REPO / "tests" / "data" / "questions_own.jsonl"


@dataclass(frozen=True)
class LabelScore:
    label: str
    support: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class Scores:
    questions: int
    flagged: float  # share of questions with a problem that were held back
    wrongly_flagged: float  # share of good questions that were held back
    per_label: tuple[LabelScore, ...]

    @property
    def macro_f1(self) -> float:
        return sum(each.f1 for each in self.per_label) / len(self.per_label)


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def coach_labels(row: dict) -> set[str]:
    return set(review(row["kind"], row["question"], row["options"]).labels)


def score(labelled: list[dict], labeller: Callable[[dict], set[str]] = coach_labels) -> Scores:
    """How well `labeller` (the coach, unless a baseline is given) labels `labelled`."""
    found = [labeller(row) for row in labelled]
    truth = [set(r["labels"]) for r in labelled]
    problems = [got for got, gold in zip(found, truth, strict=True) if gold]
    good = [got for got, gold in zip(found, truth, strict=True) if not gold]
    return Scores(
        questions=len(labelled),
        flagged=sum(bool(got) for got in problems) / max(len(problems), 1),
        wrongly_flagged=sum(bool(got) for got in good) / max(len(good), 1),
        per_label=tuple(_label_score(label, found, truth) for label in LABELS),
    )


def _label_score(label: str, found: list[set[str]], truth: list[set[str]]) -> LabelScore:
    pairs = list(zip(found, truth, strict=True))
    hits = sum(label in got and label in gold for got, gold in pairs)
    said = sum(label in got for got, _ in pairs)
    real = sum(label in gold for _, gold in pairs)
    precision = hits / said if said else 0.0
    recall = hits / real if real else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return LabelScore(label, real, precision, recall, f1)
