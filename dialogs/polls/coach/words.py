"""Small text helpers the checks share: words, clauses and tidy sentences."""

from __future__ import annotations

import re

WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
SPACE = re.compile(r"\s+")
# The words a question starts with (a clause after "and" that starts so is a second question).
ASKING = re.compile(
    r"(?:what|what's|which|who|when|where|why|how|how's|should|shall|would|will|do|does|did|"
    r"is|are|was|were|can|could|has|have|had|may|might|must|any)\b",
    re.I,
)


def words(text: str) -> list[str]:
    """Lower-case words, apostrophes kept ("don't", "ward's") and curly ones made straight."""
    return [word.replace("’", "'") for word in WORD.findall(text.lower())]


def tidy(text: str) -> str:
    """Single spaces, no space before punctuation, no stray punctuation at either end."""
    text = SPACE.sub(" ", text).strip(" ,;:-–—")
    return re.sub(r"\s+([,?.!;:])", r"\1", text)


def as_question(text: str, asks: bool = True) -> str:
    """`text` as a question: a capital first letter and a question mark (at the end, unless
    one is there already, before a note such as "(1–5)"). An instruction ("Rate the
    rota from 1 to 5") is left without one when `asks` is false."""
    text = tidy(text).rstrip(".! ")
    end = "" if "?" in text or not asks else "?"
    return f"{text[:1].upper()}{text[1:]}{end}" if text else ""


def quote(text: str) -> str:
    return f"‘{tidy(text)}’"


def word_set(text: str) -> frozenset[str]:
    """The space-separated words of `text`: long vocabularies stay readable as prose."""
    return frozenset(text.split())
