"""Making user text safe and short enough for Slack.

Slack reads `<…>` in mrkdwn as a mention or a link (`<!channel>`, `<https://x|click>`)
and `&` as the start of an entity, so those three characters are escaped in every
piece of text that lands in a mrkdwn object — and in a message's `text`, which Slack
also parses. Plain-text objects are not parsed, so they are only shortened.
"""

from __future__ import annotations

ELLIPSIS = "…"
BLANK = "—"


def escape(text: str) -> str:
    """`text` with `&`, `<` and `>` made inert for Slack's mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in "…" when cut; never blank."""
    if not text.strip():
        return BLANK
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def mrkdwn(text: str, limit: int) -> str:
    """Escaped `text` of at most `limit` characters, never cut inside an entity like `&amp;`."""
    escaped = escape(text)
    if not escaped.strip():
        return BLANK
    if len(escaped) <= limit:
        return escaped
    return _whole_entities(escaped[: limit - 1]).rstrip() + ELLIPSIS


def _whole_entities(cut: str) -> str:
    """`cut` without a trailing entity the cut split (`&am` from `&amp;`)."""
    entity = cut.rfind("&")
    return cut[:entity] if entity != -1 and ";" not in cut[entity:] else cut


def plain_text(text: str, limit: int) -> dict[str, str]:
    """A Block Kit `plain_text` object of at most `limit` characters."""
    return {"type": "plain_text", "text": shorten(text, limit)}
