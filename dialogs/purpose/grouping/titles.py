"""A theme's title: the short phrase its statements share, not one statement cut short.

A group of five statements titled by the most central one, clipped to 75 characters,
reads as one person's proposal. A title should name what the statements have in common,
so members see the theme at a glance and the coordinator has a start to edit:

1. Each statement's content words are stemmed (`lexical.stem`, stop words dropped), and
   a stem *counts* by how many of the group's statements use it (at least two).
2. Candidate phrases are runs of up to `MAX_WORDS` words, as written in some statement,
   that begin and end with a content word. A phrase scores the counts of its stems, less
   one for each content word no other statement uses, so "waiting lists" beats
   "elective waiting lists down together" unless the other words are shared too.
3. The best phrase titles the group. When some statements share none of its stems, the
   best phrase among those statements is added after "and", if it too is shared.

With nothing shared (a group of one, or statements with no word in common) there is no
such phrase: the group is titled by its central statement, clipped, as before.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from dialogs.purpose.grouping.lexical import STOP_WORDS, stem, words

MAX_WORDS = 3
# A content word no other statement of the group uses still helps a phrase read (the
# "wellbeing" of "staff wellbeing"), at this fraction of its weight.
UNSHARED = 0.1
# A second phrase, for the statements the first does not cover, joins the title with
# "and" when it scores at least this fraction of the first.
SECOND = 0.75
Phrase = tuple[str, ...]


def theme_title(texts: Sequence[str], limit: int, context: Sequence[str] = ()) -> str | None:
    """A title of at most `limit` characters for a group of `texts`, or None when its
    statements share no content word (title it by a statement then). `context` is every
    statement of the round: words common across it ("care", "people") weigh less."""
    stems = [_stems(text) for text in texts]
    weights = _weights(stems, [_stems(text) for text in context] or stems)
    best = _best(texts, stems, weights)
    if best is None or len(" ".join(best[1])) > limit:
        return None
    score, first = best
    covered = {stem(w.lower()) for w in first}
    rest = [i for i, each in enumerate(stems) if not each & covered]
    other = _best([texts[i] for i in rest], [stems[i] for i in rest], weights)
    title = _sentence(first)
    if other is not None and other[0] >= SECOND * score:
        joined = f"{title} and {_lowered(' '.join(other[1]))}"
        title = joined if len(joined) <= limit else title
    return title


def _stems(text: str) -> set[str]:
    return {stem(w) for w in words(text) if w not in STOP_WORDS}


def _weights(group: list[set[str]], context: list[set[str]]) -> dict[str, float]:
    """Class-based TF-IDF: how many of the group's statements use a stem, times how rare
    the stem is across the round."""
    in_group = Counter(s for each in group for s in each)
    in_round = Counter(s for each in context for s in each)
    return {
        s: n * math.log(1 + len(context) / max(in_round[s], n)) for s, n in in_group.items()
    } | {"": 0.0}


def _best(
    texts: Sequence[str], stems: list[set[str]], weights: dict[str, float]
) -> tuple[float, Phrase] | None:
    """The highest-scoring phrase with a stem that at least two of `texts` use, and its
    score; ties go to the shorter phrase, then the earlier."""
    shared = {s for s, n in Counter(s for each in stems for s in each).items() if n >= 2}
    best: tuple[float, Phrase] | None = None
    for phrase in _phrases(texts):
        keys = [stem(w.lower()) for w in phrase]
        if not shared & set(keys):
            continue
        score = sum(weights.get(k, 0.0) * (1.0 if k in shared else UNSHARED) for k in keys)
        if best is None or (score, -len(phrase)) > (best[0], -len(best[1])):
            best = (score, phrase)
    return best


def _phrases(texts: Sequence[str]) -> list[Phrase]:
    """Every run of 1 to MAX_WORDS content words (no stop word or punctuation between them),
    as written, in order of appearance: roughly the noun phrases of a statement."""
    found: dict[Phrase, None] = {}
    for text in texts:
        for run in _runs(text):
            for start in range(len(run)):
                for end in range(start + 1, min(start + MAX_WORDS, len(run)) + 1):
                    found.setdefault(tuple(run[start:end]), None)
    return list(found)


def _runs(text: str) -> list[list[str]]:
    runs: list[list[str]] = [[]]
    for token in text.split():
        word = token.strip(".,;:!?()\"'“”‘’–—")
        spoken = words(word)
        if len(spoken) == 1 and spoken[0] not in STOP_WORDS:
            runs[-1].append(word)
        else:
            runs.append([])
        if word != token.rstrip(".,;:!?)\"'”’") or token[-1:] in ".,;:!?":
            runs.append([])
    return [run for run in runs if run]


def _sentence(phrase: Phrase) -> str:
    """The phrase with a capital first letter (the rest as written, so "NHS" stays)."""
    text = " ".join(phrase)
    return text[0].upper() + text[1:]


def _lowered(text: str) -> str:
    """A first word such as "Fewer" in lower case; "NHS" as it is."""
    first = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if first[1:].islower() else text
