"""`double`: two questions in one, and the two questions it could be split into.

One answer cannot serve two questions: someone happy with the rota and unhappy with the
mileage rates has no honest way to answer "How happy are you with the rota and the
mileage rates?". The coach flags "and" where it joins two clauses ("…useful and should
we…"), two actions to decide on ("Should we close X and open Y?"), two things to judge
("How happy are you with X and Y?", "Is it fair and easy?"), or two parallel things to
measure ("waiting for X and for Y", "the worst X and the worst Y"); and two question
marks. It leaves alone "and" inside a name ("Elm Park and Harbour View"), a fixed pair
("health and social care"), a range ("between 2 and 4"), a group that acts together
("Should GPs and nurses share one record?"), a combined condition ("admitted and
discharged the same day"), and a follow-up that only applies to one answer ("If not, why?").
"""

from __future__ import annotations

import re

from dialogs.core.language import _
from dialogs.polls.coach.findings import DOUBLE, Finding
from dialogs.polls.coach.splitting import PREPOSITIONS, split
from dialogs.polls.coach.words import ASKING, as_question, quote, word_set

JOIN = re.compile(r",?\s+(?:and|&|as well as|and also)\s+", re.I)
PAIRS = re.compile(
    r"\b(?:health and (?:social care|wellbeing|safety)|accident and emergency|terms and "
    r"conditions|pros and cons|research and development|learning and development|ear, nose "
    r"and throat|time and attendance|speech and language|drugs? and alcohol|black and white|"
    r"back and forth|on and off|now and then|more and more|safe and well|up and running|"
    r"(?:mr|mrs|ms|dr) and)\b",
    re.I,
)
# A follow-up ("…, and why?", "If not, what stopped you?") asks about the same answer.
FOLLOW_UP = re.compile(r"(?:why|why not|if so|if not)\b", re.I)
JUDGED = re.compile(
    r"^(?:[\d–-]+:?\s*)?(?:how (?:happy|satisfied|easy|useful|helpful|clear|confident|"
    r"effective|well|good|fair|quick|quickly|safe|supported|valuable|important|accessible|"
    r"comfortable|difficult|hard|relevant|reliable)\b|(?:please )?rate\b|"
    r"(?:is|are|was|were|has|have)\b|(?:do|did) you (?:have|get|feel)\b|how (?:did|do|does) "
    r"(?=[^?]* (?:work|go|compare|perform)\b))",
    re.I,
)
DECIDING = re.compile(
    r"\b(?:should|shall|can|could|will) (?:we|you|they|i)\b|^(?:should|shall|can|could|will|"
    r"would)\b|^(?:do|would) you (?:want|like|support|agree)\b",
    re.I,
)
PARALLEL = re.compile(r"^(?:the (?:most|least|worst|best|biggest|longest|highest|lowest)\b)", re.I)
# Common verbs of proposals: "…and extend the clinic" is a second action to decide on.
ACTIONS = word_set(
    "add adopt allow appoint ask ban book bring build buy cancel change "  # i18n: not for readers
    "close combine commission "
    "create cut drop employ end expand extend fund get give go hand hire hold increase introduce "
    "invest invite keep launch let make merge move offer open pay pilot pool provide publish put "
    "recruit reduce relocate remove rename replace restart return review roll run scrap send set "
    "share shut spend start stop switch take train transfer trial use write"
)
OBJECTS = word_set(
    "it them the a an our their this these those some more all"  # i18n: not for readers
)


def check(question: str) -> Finding | None:
    """The first sign of two questions in one, with the two questions to ask instead."""
    text = re.sub(r"\([^)]*\)", "", question.replace("’", "'")).strip()
    pair = _two_questions(text) or _joined(text)
    if pair is None:
        return None
    first, second = pair
    return Finding(
        DOUBLE,
        _("This asks two questions at once, so one answer cannot serve both."),
        (
            _("Ask them separately: {first} and {second}").format(
                first=quote(first), second=quote(second)
            ),
        ),
        (first, second),
    )


def _two_questions(text: str) -> tuple[str, str] | None:
    parts = [part.strip(" -–—") for part in text.split("?") if part.strip(" -–—")]
    asked = [part for part in parts if ASKING.match(part) and len(part.split()) >= 2]
    if text.count("?") >= 2 and len(asked) >= 2 and not FOLLOW_UP.match(parts[1]):
        return as_question(asked[0]), as_question(asked[1])
    return None


def _joined(text: str) -> tuple[str, str] | None:
    for found in JOIN.finditer(text):
        left, right = text[: found.start()].strip(), text[found.end() :].strip()
        if _one_question(text, left, right) or not _asks_twice(text, left, right):
            continue
        return split(left, right)
    return None


def _asks_twice(text: str, left: str, right: str) -> bool:
    """Whether the two sides of this "and" need two answers."""
    first = right.split()[0].lower().rstrip(",")
    if ASKING.match(right) or PARALLEL.match(right):
        return True
    if first in PREPOSITIONS and first in left.lower().split():
        return True
    if JUDGED.match(text) or re.fullmatch(r"how \w+", left, re.I):
        return True
    return bool(DECIDING.search(left)) and _is_action(right)


def _is_action(right: str) -> bool:
    words = right.lower().rstrip("?").split()
    verb = words[0]
    return verb in ACTIONS or verb.endswith("ing") or (len(words) > 1 and words[1] in OBJECTS)


def _one_question(text: str, left: str, right: str) -> bool:
    """Whether this "and" joins a name, a fixed pair, a range, or leads to a follow-up."""
    before, after = left.split(), right.split()
    if not before or not after or FOLLOW_UP.match(right):
        return True
    if re.search(r"\b(?:both|between|either)\b(?:\s+\S+){0,5}\s*$", left, re.I):
        return True
    if before[-1][:1].isupper() and len(before) > 1 and after[0][:1].isupper():
        return True
    if before[-1][:1].isdigit() and after[0][:1].isdigit():
        return True
    return any(m.start() < len(left) + 2 < m.end() + 2 for m in PAIRS.finditer(text))
