"""A theme's title: the short phrase its statements share, not one statement cut short.

A group of five statements titled by the most central one, clipped to 75 characters,
reads as one person's proposal. A title should name what the statements have in common,
so members see the theme at a glance and the coordinator has a start to edit:

1. Each content word (stemmed by `lexical.stem`, stop words dropped) is weighed by
   class-based TF-IDF: how many of the group's statements use it, times how rare it is
   across the whole round, so "care" and "people", common everywhere, weigh little.
2. Candidate phrases are runs of 1 to `MAX_WORDS` content words with no stop word or
   punctuation between them, as written in some statement: roughly its noun phrases.
   A phrase needs a word that two statements share; it scores its shared words'
   weights, and a tenth (`UNSHARED`) of the rest, so "shared patient record" beats
   "patient record" when only "patient record" is shared, but a shared word counts most.
3. The best phrase titles the group. When some statements use none of its words, the
   best phrase among them is added after "and", if it scores at least `SECOND` of the
   first (so a minor second phrase does not clutter the title).

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
PUNCTUATION = ".,;:!?()[]\"'“”‘’–—-/"
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
    covered = {_key(w) for w in first}
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
    return {s: n * math.log(1 + len(context) / max(in_round[s], n)) for s, n in in_group.items()}


def _best(
    texts: Sequence[str], stems: list[set[str]], weights: dict[str, float]
) -> tuple[float, Phrase] | None:
    """The highest-scoring phrase with a stem that at least two of `texts` use, and its
    score; ties go to the shorter phrase, then the earlier."""
    shared = {s for s, n in Counter(s for each in stems for s in each).items() if n >= 2}
    best: tuple[float, Phrase] | None = None
    for phrase in _phrases(texts):
        keys = [_key(w) for w in phrase]
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
    """The text's runs of content words; a stop word or a punctuation mark ends a run."""
    runs: list[list[str]] = [[]]
    for token in text.split():
        word = token.strip(PUNCTUATION)
        if token[:1] in PUNCTUATION:
            runs.append([])
        spoken = words(word)
        if len(spoken) == 1 and spoken[0] not in STOP_WORDS:
            runs[-1].append(word)
        else:
            runs.append([])
        if token[-1:] in PUNCTUATION:
            runs.append([])
    return [run for run in runs if run]


def _key(word: str) -> str:
    """The stem a word of a run is counted under, as `_stems` counts it."""
    return stem(words(word)[0])


def _sentence(phrase: Phrase) -> str:
    """The phrase with a capital first letter (the rest as written, so "NHS" stays)."""
    text = " ".join(phrase)
    return text[0].upper() + text[1:]


def _lowered(text: str) -> str:
    """A first word such as "Fewer" in lower case; "NHS" as it is."""
    first = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if first[1:].islower() else text
