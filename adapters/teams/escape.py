"""Making user text inert and short enough for the markdown Teams renders in Adaptive Cards.

Teams reads a CommonMark subset in `TextBlock.text` and in `FactSet` titles and
values: `**bold**`, `_italic_`, `[text](url)` links, `- ` and `1. ` lists, and
(in other hosts) headings, code and raw HTML such as `<at>name</at>`. Everything
else in a card (button titles, input labels, choice titles, placeholders) is
plain text, so it is only shortened.

CommonMark lets any ASCII punctuation be written as `\\x` to mean the character
itself, and Teams honours those escapes, so `markdown()` puts a backslash before
each character that could start markup — and only those, so text stays readable
where a client shows escapes literally (older Teams mobile apps did):

- `\\ * _ ~ \\` [ ] < >` anywhere: emphasis, strike-through, code, links and images,
  autolinks and HTML (`<at>` mentions, `<https://…>`);
- `&` only where it starts an entity (`&lt;`, `&#91;`), so "Health & Care" is untouched;
- `#`, `-`, `+`, `=` at the start of a line, and the `.`/`)` of `1.` there: headings,
  lists, rules;
- the second brace of `{{`, which would start a `{{DATE(…)}}` function.

A single newline is only a space in markdown, so line breaks become paragraph
breaks (`\\n\\n`), and leading indentation (an indented code block) is dropped.
Bare URLs are left alone: a client may make them clickable, but such a link shows
exactly where it goes. Concord's own links (charts, downloads) pass `ours`: only
an address under its public https URL is kept.
"""

from __future__ import annotations

import re

from dialogs.core.moments import plain

ELLIPSIS = "…"
BLANK = "—"

_ANYWHERE = re.compile(r"([\\*_~`\[\]<>])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_LINE_START = re.compile(r"^([#+=-])", re.MULTILINE)
_ORDERED = re.compile(r"^(\d{1,9})([.)])", re.MULTILINE)
_TEMPLATE = re.compile(r"\{(?=\{)")
_NEWLINES = re.compile(r"\r\n?")


def escape(text: str) -> str:
    """`text` with every markdown construct Teams could read in it made literal."""
    lines = [line.strip() for line in _NEWLINES.sub("\n", text).split("\n")]
    flat = "\n".join(line for line in lines if line)
    escaped = _ENTITY.sub(r"\\&", _ANYWHERE.sub(r"\\\1", flat))
    escaped = _ORDERED.sub(r"\1\\\2", _LINE_START.sub(r"\\\1", escaped))
    return _TEMPLATE.sub(r"{\\", escaped).replace("\n", "\n\n")


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in "…" when cut; never blank. A
    moment still in it (`dialogs.core.moments`) shows its fallback, the collaborative's time."""
    text = plain(text)
    if not text.strip():
        return BLANK
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def markdown(text: str, limit: int) -> str:
    """`text` shortened to `limit` characters, then escaped (so no escape is ever cut)."""
    return escape(shorten(text, limit))


def ours(url: str, public_url: str) -> str | None:
    """`url` as an https address under `public_url` (ours), or None when there is none."""
    base = public_url.rstrip("/")
    absolute = base + url if url.startswith("/") else url
    if not base.lower().startswith("https://"):
        return None
    return absolute if absolute.lower().startswith(base.lower() + "/") else None
