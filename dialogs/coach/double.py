"""`double`: two questions in one, and the two questions it could be split into.

One answer cannot serve two questions: someone happy with the rota and unhappy with the
mileage rates has no honest way to answer "How happy are you with the rota and the
mileage rates?". The coach looks for two question marks, and for "and" joining two
things to judge or two things to do, but not for "and" inside a name ("Elm Park and
Harbour View"), a fixed pair ("health and social care"), a range ("between 2 and 4")
or a single combined condition ("both insulin and wound care").
"""

from __future__ import annotations

import re

from dialogs.coach.findings import DOUBLE, Finding
from dialogs.coach.words import as_question, quote

ASKING = re.compile(
    r"(?:what|what's|which|who|when|where|why|how|how's|should|shall|would|will|do|does|did|"
    r"is|are|was|were|can|could|has|have|had|may|might|must|any|if so|if not)\b",
    re.I,
)
JOIN = re.compile(r",?\s+(?:and|&|as well as|and also)\s+", re.I)
PAIRS = re.compile(
    r"\b(?:health and (?:social care|wellbeing|safety)|accident and emergency|terms and "
    r"conditions|pros and cons|research and development|learning and development|ear, nose "
    r"and throat|time and attendance|speech and language|drugs? and alcohol|black and white|"
    r"back and forth|on and off|now and then|more and more|safe and well|up and running|"
    r"(?:mr|mrs|ms|dr) and)\b",
    re.I,
)
# "…, and why?" asks for the reason behind the same answer, not for a second answer.
REASON = re.compile(r"(?:why|why not)\s*\??", re.I)
SUBJECTS = {"we", "you", "they", "i", "to"}
DETERMINERS = {
    "the",
    "a",
    "an",
    "its",
    "their",
    "our",
    "your",
    "his",
    "her",
    "this",
    "that",
    "these",
    "those",
    "each",
    "every",
    "any",
}
PREPOSITIONS = {
    "with",
    "for",
    "of",
    "on",
    "about",
    "in",
    "at",
    "to",
    "from",
    "by",
    "over",
    "during",
    "since",
    "between",
    "into",
    "towards",
}
# Verbs that judge what follows them: "rate X and Y" judges two things, not two actions.
JUDGING = {"rate", "score", "grade", "judge", "describe", "find", "assess", "feel", "say"}
TAIL = PREPOSITIONS | {"this", "last", "yesterday", "today", "now"}


def check(question: str) -> Finding | None:
    """The first sign of two questions in one, with the two questions to ask instead."""
    text = re.sub(r"\([^)]*\)", "", question.replace("’", "'")).strip()
    pair = _two_questions(text) or _joined(text)
    if pair is None:
        return None
    first, second = pair
    return Finding(
        DOUBLE,
        "This asks two questions at once, so one answer cannot serve both.",
        (f"Ask them separately: {quote(first)} and {quote(second)}",),
    )


def _two_questions(text: str) -> tuple[str, str] | None:
    parts = [part.strip(" -–—") for part in text.split("?") if part.strip(" -–—")]
    asked = [part for part in parts if ASKING.match(part) and len(part.split()) >= 2]
    if text.count("?") >= 2 and len(asked) >= 2:
        return as_question(asked[0]), as_question(asked[1])
    return None


def _joined(text: str) -> tuple[str, str] | None:
    for found in JOIN.finditer(text):
        left, right = text[: found.start()], text[found.end() :]
        if REASON.fullmatch(right.strip()) or _is_pair_not_questions(text, left, right):
            continue
        return _split(left.strip(), right.strip())
    return None


def _is_pair_not_questions(text: str, left: str, right: str) -> bool:
    """Whether this "and" joins a name, a fixed pair, a range or a combined condition."""
    before, after = left.split(), right.split()
    if not before or not after:
        return True
    if re.search(r"\b(?:both|between|either)\b(?:\s+\S+){0,5}\s*$", left, re.I):
        return True
    if before[-1][:1].isupper() and len(before) > 1 and after[0][:1].isupper():
        return True
    if before[-1][:1].isdigit() and after[0][:1].isdigit():
        return True
    return any(m.start() < len(left) + 2 < m.end() + 2 for m in PAIRS.finditer(text))


def _split(left: str, right: str) -> tuple[str, str]:
    left = left.rstrip(",")
    words_left, words_right = left.split(), right.rstrip("?").split()
    first_word = words_right[0].lower()
    if ASKING.match(right):
        return as_question(left), as_question(right)
    if first_word in DETERMINERS or first_word in PREPOSITIONS:
        return _split_nouns(words_left, words_right, first_word, right)
    boundary = _subject_end(words_left)
    if boundary is not None:
        head = " ".join(words_left[:boundary])
        return as_question(left), as_question(f"{head} {right}")
    return _split_nouns(words_left, words_right, first_word, right)


def _subject_end(words: list[str]) -> int | None:
    """Where the verb phrase begins: after the last "we", "you", "to"… that a verb follows."""
    for i in range(len(words) - 2, -1, -1):
        following = words[i + 1]
        if words[i].lower() in SUBJECTS and following.islower():
            plain_verb = following not in DETERMINERS | PREPOSITIONS | JUDGING
            return i + 1 if plain_verb else None
    return None


def _split_nouns(
    words_left: list[str], words_right: list[str], first_word: str, right: str
) -> tuple[str, str]:
    """Two things judged in one breath: the shared start and end, each thing in turn."""
    end = next(
        (i for i, word in enumerate(words_right) if i and word.lower().strip(",") in TAIL),
        len(words_right),
    )
    item, tail = words_right[:end], words_right[end:]
    start = _item_start(words_left, first_word, len(item))
    head = words_left[:start]
    shared_end = " ".join(tail)
    first = " ".join([*words_left, *tail])
    second = " ".join([*head, *item, shared_end])
    asks = right.rstrip().endswith("?")
    return as_question(first, asks), as_question(second, asks)


def _item_start(words_left: list[str], first_word: str, size: int) -> int:
    lowered = [word.lower() for word in words_left]
    if first_word in lowered:
        return len(lowered) - 1 - lowered[::-1].index(first_word)
    if first_word in DETERMINERS:
        found = [i for i, word in enumerate(lowered) if word in DETERMINERS]
        if found:
            return found[-1]
    return max(len(words_left) - size, 1)
