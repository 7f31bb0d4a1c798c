"""Lexical features for grouping proposals: TF-IDF over word stems and character n-grams.

Needs numpy only. Word stems (stop words dropped, light suffix stripping) carry
what a statement is about; character 3- to 5-grams within words make small
differences in spelling, case, punctuation and word endings cost little. Both
blocks are TF-IDF weighted (sublinear term frequency), each scaled to unit length,
and joined with equal weight, so a row's dot product with another is their cosine.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

# Common English function words: they say how a statement is put, not what it is about.
_STOP_WORDS = """  # i18n: not for readers (data: words the grouping ignores)
    a about above across after again against all also am an and any are as at be because
    been before being below between both but by can could did do does doing down during
    each either every few for from further get got had has have having he her here hers
    him his how i if in into is it its itself just let may me might more most must my
    neither no nor not now of off on once only or other our ours ourselves out over own
    per shall she should so some such than that the their theirs them then there these
    they this those through to too under until up upon us very was we were what when
    where whether which while who whom whose why will with within without would you your
    yours
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

_WORD = re.compile(r"[a-z0-9]+")
# Longest suffix first; a stem keeps at least three letters.
_SUFFIXES = (
    ("ies", "y"),
    ("sses", "ss"),
    ("ing", ""),
    ("ed", ""),
    ("es", ""),
    ("ly", ""),
    ("s", ""),
)


def words(text: str) -> list[str]:
    """Lower-case words, apostrophes dropped (children's → childrens)."""
    return _WORD.findall(text.lower().replace("'", "").replace("\u2019", ""))


def stem(word: str) -> str:
    """A light stemmer: plurals and common endings, so wait/waits/waiting meet."""
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: -len(suffix)] + replacement
    return word


def _terms(text: str) -> tuple[list[str], list[str]]:
    tokens = words(text)
    stems = [stem(w) for w in tokens if w not in STOP_WORDS]
    padded = [f" {w} " for w in tokens]
    grams = [w[i : i + n] for w in padded for n in (3, 4, 5) for i in range(len(w) - n + 1)]
    whole = [text.strip().lower()]  # a text with no words (such as "?") is only like itself
    return stems or whole, grams or whole


def _tfidf(documents: list[list[str]]) -> np.ndarray:
    vocabulary: dict[str, int] = {}
    counts = [Counter(doc) for doc in documents]
    for count in counts:
        for term in count:
            vocabulary.setdefault(term, len(vocabulary))
    matrix = np.zeros((len(documents), max(len(vocabulary), 1)))
    for row, count in enumerate(counts):
        for term, n in count.items():
            matrix[row, vocabulary[term]] = 1.0 + np.log(n)
    document_frequency = (matrix > 0).sum(axis=0)
    matrix *= np.log((1 + len(documents)) / (1 + document_frequency)) + 1.0
    return unit_rows(matrix)


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (rows of zeros stay zero)."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def features(texts: list[str]) -> np.ndarray:
    """One unit-length row per text; the dot product of two rows is their cosine similarity."""
    stems, grams = zip(*(_terms(text) for text in texts), strict=True)
    return unit_rows(np.hstack([_tfidf(list(stems)), _tfidf(list(grams))]))
