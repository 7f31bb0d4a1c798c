"""Shared messages in the collaborative's language, or in Welsh and English at once.

A message for a channel (no one reader) speaks its collaborative's default language
(`language default`). A collaborative that posts in both (`language shared both`) gets
each such card built twice, in Welsh and in English, and merged into one: where the two
have the same shape, each text that differs reads "Welsh / English" in labels and
headings, and in running text as Welsh then English (line by line, so a line the same in
both stays once), while a text the same in both (a poll's options, a name) stays once;
where the shapes differ, the Welsh blocks come first, then a divider, then the English.
`shared_text` does the same for one text kept for everyone (the decision log's entries).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dialogs.core.cards import Card, Divider
from dialogs.core.language import speaking
from storage.models import Collaborative

PARAGRAPHS = {"text", "summary"}  # blocks' running text: Welsh, then English below
LABELS = {"label", "spoken", "title", "yes", "no", "placeholder", "alt", "value", "fallback"}


class _Shape(Exception):
    """The two cards are not built alike, so they can't be merged text by text."""


def shared(collaborative: Collaborative | None, build: Callable[[], Card | None]) -> Card | None:
    """The card `build` makes for everyone in `collaborative`'s channels: in its default
    language, or in Welsh and English merged when it posts in both."""
    if collaborative is None:
        return build()
    if not collaborative.bilingual:
        with speaking(collaborative.language):
            card = build()
        return card.model_copy(update={"language": collaborative.language}) if card else None
    with speaking("cy"):
        welsh = build()
    with speaking("en"):
        english = build()
    return merged(welsh, english) if welsh and english else welsh or english


def shared_text(
    collaborative: Collaborative, build: Callable[[], str], *, running: bool = False
) -> str:
    """The text `build` makes for everyone in `collaborative`: in its default language, or
    in Welsh and English when it posts in both ("Welsh / English", or for `running` text
    the Welsh lines, then the English)."""
    if not collaborative.bilingual:
        with speaking(collaborative.language):
            return build()
    with speaking("cy"):
        welsh = build()
    with speaking("en"):
        english = build()
    return _joined("text" if running else "label", welsh, english)


def merged(welsh: Card, english: Card) -> Card:
    """One card saying what `welsh` and `english` say (see the module's note)."""
    fallback = _joined("fallback", welsh.fallback, english.fallback)
    try:
        blocks = _merge(welsh.model_dump()["blocks"], english.model_dump()["blocks"], "")
    except _Shape:
        both = [*welsh.blocks, Divider(), *english.blocks]
        return welsh.model_copy(update={"blocks": both, "fallback": fallback, "language": None})
    return Card.model_validate(
        {**welsh.model_dump(), "blocks": blocks, "fallback": fallback, "language": None}
    )


def _merge(welsh: Any, english: Any, key: str) -> Any:
    if isinstance(welsh, dict) and isinstance(english, dict):
        if welsh.keys() != english.keys():
            raise _Shape
        heading = welsh.get("kind") == "heading"  # a heading's text reads as a label
        return {
            name: _merge(welsh[name], english[name], "label" if heading else name) for name in welsh
        }
    if isinstance(welsh, list) and isinstance(english, list):
        if len(welsh) != len(english):
            raise _Shape
        return [_merge(w, e, key) for w, e in zip(welsh, english, strict=True)]
    if welsh == english:
        return welsh
    if isinstance(welsh, str) and isinstance(english, str) and key in PARAGRAPHS | LABELS:
        return _joined(key, welsh, english)
    raise _Shape


def _joined(key: str, welsh: str, english: str) -> str:
    if welsh == english:
        return welsh
    if key in PARAGRAPHS:
        return _paragraphs(welsh, english)
    return f"{welsh} / {english}"


def _paragraphs(welsh: str, english: str) -> str:
    """Running text in both: line by line where the two have as many lines (a poll's
    question, the same in both, then its Welsh and English explanations), else all the
    Welsh, then all the English."""
    welsh_lines, english_lines = welsh.split("\n"), english.split("\n")
    shared = len(welsh_lines) == len(english_lines) and any(
        w == e for w, e in zip(welsh_lines, english_lines, strict=True)
    )
    if not shared:
        return f"{welsh}\n\n{english}"
    return "\n".join(
        w if w == e else f"{w}\n{e}" for w, e in zip(welsh_lines, english_lines, strict=True)
    )
