"""Making user text safe and short enough for Slack.

Slack reads `<…>` in mrkdwn as a mention or a link (`<!channel>`, `<https://x|click>`)
and `&` as the start of an entity, so those three characters are escaped in every
piece of text that lands in a mrkdwn object — and in a message's `text`, which Slack
also parses. Plain-text objects are not parsed, so they are only shortened.

A moment the engine wrote (`dialogs.core.moments`) becomes, once the text around it is
escaped, Slack's date token, which each reader's client shows in their own zone:
`<!date^1796403600^{date_short_pretty} {time}|Fri 4 Dec 2026 17:00 GMT>`, the fallback
in the collaborative's zone. Only the engine's marks make one (people's words are
escaped first, and can't carry the marks). Plain text shows the fallback.
"""

from __future__ import annotations

from datetime import datetime

from dialogs.core.moments import each_moment, plain

ELLIPSIS = "…"
BLANK = "—"
DATE_FORMAT = "{date_short_pretty} {time}"


def escape(text: str) -> str:
    """`text` with `&`, `<` and `>` made inert for Slack's mrkdwn, and moments as date tokens."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return each_moment(escaped, date_token)


def date_token(at: datetime, fallback: str) -> str:
    """Slack's date token for `at`, read in each reader's zone, with `fallback` for clients
    that can't (already escaped: a fallback holds no `&`, `<`, `>` or `|`)."""
    return f"<!date^{int(at.timestamp())}^{DATE_FORMAT}|{fallback}>"


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in "…" when cut; never blank."""
    text = plain(text)
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
    """`cut` without a trailing entity or date token the cut split (`&am` from `&amp;`)."""
    entity = cut.rfind("&")
    cut = cut[:entity] if entity != -1 and ";" not in cut[entity:] else cut
    token = cut.rfind("<")  # people's `<` are escaped: only a date token opens one
    return cut[:token] if token != -1 and ">" not in cut[token:] else cut


def plain_text(text: str, limit: int) -> dict[str, str]:
    """A Block Kit `plain_text` object of at most `limit` characters."""
    return {"type": "plain_text", "text": shorten(text, limit)}
