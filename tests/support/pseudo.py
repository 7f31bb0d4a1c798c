"""A pseudo-locale, "qps", that shows at a glance which words skipped the catalogs.

Installed with `install_pseudo()`, it translates every message by accenting its letters and
wrapping it in ⟦ ⟧ ("Help" → "⟦Ĥéĺṕ⟧"), keeping `{placeholders}` and `code spans` (the
commands people type, which stay English) as they are, so a formatted message still works.
`untranslated(...)` then reads a card as each platform shows it and lists every text that
still holds a word outside ⟦ ⟧: a word that never went through `_()`. What is not ours to
translate is allowed: the data passed in (names, questions people typed), commands in
backticks (or <code>), numbers, dates, emoji and punctuation, and each platform's markup
(Slack's `<@U…>` and `:emoji:`, HTML tags).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from typing import Any, NamedTuple

from babel.dates import get_day_names, get_month_names

from dialogs.core import language
from dialogs.core.cards import Card, Form
from dialogs.core.moments import plain

PSEUDO = "qps"
OPEN, CLOSE = "⟦", "⟧"
_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = "áƀćđéƒĝĥíĵķĺḿńóṕʠŕśťúṽŵẋýźÁƁĆĐÉƑĜĤÍĴĶĹḾŃÓṔǪŔŚŤÚṼŴẊÝŹ"
_ACCENTS = str.maketrans(_PLAIN, _ACCENTED)
_KEPT = re.compile(r"\{[^{}]*\}|`[^`]*`")  # placeholders, and commands people type
WORD = re.compile(r"[^\W\d_]{2,}")
_INNERMOST = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
_MARKUP = re.compile(r"<[^<>]*>|:[a-z0-9_+-]+:|https?://\S+")  # Slack's and Teams' markup
_CODE = re.compile(r"\\?`[^`]*\\?`")  # a command people type (stays English), maybe escaped
# Keys whose text a person reads, in the engine's cards and forms, Slack's Block Kit and
# Teams' Adaptive Cards; `value` only where it is shown (a field's value, a fact's).
_READ = {
    "text",
    "label",
    "title",
    "summary",
    "yes",
    "no",
    "placeholder",
    "alt",
    "alt_text",
    "altText",
    "fallback",
    "fallbackText",
    "submit_label",
    "error",
    "errorMessage",
    "notes",
    "tooltip",
    "accessibility_label",
}
_SHOWN_VALUES = {"items", "facts"}
_NOT_READ = {"data", "refresh", "msteams", "value"}
_HTML_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "aria-description"}


def pseudo(message: str) -> str:
    """`message` as the pseudo-locale says it: accented, wrapped, placeholders kept."""
    if not message:
        return message
    kept = [found.group() for found in _KEPT.finditer(message)]
    accented = [part.translate(_ACCENTS) for part in _KEPT.split(message)]
    joined = accented[0] + "".join(k + a for k, a in zip(kept, accented[1:], strict=True))
    return f"{OPEN}{joined}{CLOSE}"


class PseudoCatalog:
    """A catalog for `dialogs.core.language.install`: every message pseudo-translated."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return pseudo(singular if n == 1 else plural)


def install_pseudo() -> None:
    language.install(PSEUDO, PseudoCatalog())


class Untranslated(NamedTuple):
    words: list[str]  # the words outside ⟦ ⟧
    text: str  # the whole text they were found in


def untranslated(texts: Iterable[str], data: Iterable[str] = ()) -> list[Untranslated]:
    """Every text that holds a word outside ⟦ ⟧, besides `data` (what people typed or are
    called), dates, and platform markup."""
    allowed = sorted({each for each in data if each}, key=len, reverse=True)
    found = []
    for text in texts:
        words = WORD.findall(_outside(text, allowed))
        if words:
            found.append(Untranslated(words, text))
    return found


def card_texts(model: Card | Form) -> list[str]:
    """What a person reads of an engine card or form, each moment as its fallback."""
    return [plain(text) for text in _read(model.model_dump(mode="json"))]


def platform_texts(rendered: dict[str, Any]) -> list[str]:
    """What a person reads of a Slack message, view or modal, or a Teams Adaptive Card."""
    return [html.unescape(text) for text in _read(rendered)]


def page_texts(markup: str) -> list[str]:
    """What a person reads (or hears) of the playground's HTML for a card or form: its text,
    run together as it shows, and each labelling attribute."""
    reader = _PageReader()
    reader.feed(markup)
    reader.close()
    return [line for line in "".join(reader.shown).split("\n") if line.strip()] + reader.labels


def _read(node: Any, key: str = "", within: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for name, value in node.items():
            if name not in _NOT_READ or (name == "value" and within in _SHOWN_VALUES):
                yield from _read(value, name, within)
    elif isinstance(node, list):
        for item in node:
            yield from _read(item, key, key)
    elif isinstance(node, str) and (key in _READ or key == "value"):
        yield node


def _outside(text: str, allowed: list[str]) -> str:
    """What of `text` is outside ⟦ ⟧, without data, dates and markup."""
    previous = None
    while previous != text:  # innermost first, so translations inside translations go too
        previous, text = text, _INNERMOST.sub(" ", text)
    text = text.split(OPEN, 1)[0]  # a translation cut short by a length limit
    text = text.rsplit(CLOSE, 1)[-1]  # …or whose start is in another piece
    for each in allowed:
        text = text.replace(each, " ")
    return _DATES.sub(" ", _MARKUP.sub(" ", _CODE.sub(" ", text)))


def _dates() -> re.Pattern[str]:
    names = set()
    for locale in ("en_GB", "cy_GB"):
        for width in ("abbreviated", "wide"):
            names |= set(get_day_names(width, locale=locale).values())
            names |= set(get_month_names(width, locale=locale).values())
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    zone = r"(?:\s+(?:[A-Z]{2,5}|GMT[+-]\d+))?"
    return re.compile(rf"\b(?:{alternatives})\.?(?=[\s,\d]|$)(?:[\s,]+\d{{1,4}}(?::\d\d)?)*{zone}")


_DATES = _dates()


class _PageReader(HTMLParser):
    # A <time> shows a moment in the reader's zone; a <code> a command people type.
    _UNREAD = {"time", "code", "script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown: list[str] = []
        self.labels: list[str] = []
        self._skipping = 0

    _INLINE = {"a", "abbr", "b", "code", "em", "i", "kbd", "span", "strong", "time"}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._UNREAD:
            self._skipping += 1
        if tag not in self._INLINE:
            self.shown.append("\n")  # blocks read apart; inline markup stays in its sentence
        self.labels += [value for name, value in attrs if name in _HTML_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in self._UNREAD and self._skipping:
            self._skipping -= 1
        if tag not in self._INLINE:
            self.shown.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.shown.append(data)
