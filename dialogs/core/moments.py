"""A moment in a message: one neutral token every platform shows in its reader's zone.

The engine writes text, not markup, yet a deadline should read "Fri 4 Dec 17:00" to a
person in London and "Fri 4 Dec 18:00" to one in Paris. So a moment is put in text as a
token, `moment(at, zone)`: the instant (Unix seconds) and its fallback, the exact echo in
the collaborative's zone ("Fri 4 Dec 2026 17:00 GMT"), between characters from Unicode's
private use area. Each adapter turns the token into what its platform can show
(`each_moment`): Slack a `<!date^…>` token, the playground a `<time>` the browser
converts, Teams the moment in the reader's zone when the card is for one person, and the
fallback anywhere else (`plain`). The three marks are removed from everything people
send (`dialogs.core.clean`), so user text can never forge a token; a token cut in two by
a length limit loses its marks and shows what is left of the fallback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from pydantic import BaseModel

from dialogs.core.clock import is_time_zone
from dialogs.core.language import babel_locale

START, MIDDLE, END = "\ue000", "\ue001", "\ue002"
MARKS = re.compile(f"[{START}{MIDDLE}{END}]")
Model = TypeVar("Model", bound=BaseModel)
_TOKEN = re.compile(f"{START}(\\d{{1,12}}){MIDDLE}([^{START}{MIDDLE}{END}]*){END}")
_PATTERN = "EEE d MMM y HH:mm"  # i18n: not for readers (CLDR: "Fri 4 Dec 2026 17:00")
# CLDR's en_GB shortens September to "Sept"; Concord's English keeps three letters throughout.
_DATE_LOCALES = {"en_GB": "en"}


def describe(moment: datetime, timezone: str, language: str | None = None) -> str:
    """An exact, unambiguous echo in `language` (else the current one): "Fri 4 Dec 2026
    17:00 GMT", "Gwen 4 Rhag 2026 17:00 GMT"."""
    local = moment.astimezone(ZoneInfo(timezone))
    locale = babel_locale(language)
    shown = format_datetime(local, _PATTERN, locale=_DATE_LOCALES.get(locale, locale))
    return f"{shown} {local.tzname()}"


def moment(at: datetime, timezone: str) -> str:
    """`at` as a token each platform shows in its reader's zone, falling back to the exact
    echo in `timezone` (the collaborative's)."""
    return f"{START}{int(at.timestamp())}{MIDDLE}{describe(at, timezone)}{END}"


def each_moment(text: str, shown: Callable[[datetime, str], str]) -> str:
    """`text` with every token replaced by `shown(instant, fallback)`, and any stray mark
    (from a token a limit cut) removed. `text` may already be escaped for a platform: a
    token's digits and fallback hold nothing any escaping changes."""
    replaced = _TOKEN.sub(
        lambda found: shown(datetime.fromtimestamp(int(found.group(1)), UTC), found.group(2)),
        text,
    )
    return MARKS.sub("", replaced)


def plain(text: str) -> str:
    """`text` with every moment as its fallback, in the collaborative's zone."""
    return each_moment(text, lambda _, fallback: fallback)


def in_zone(text: str, timezone: str | None, language: str | None = None) -> str:
    """`text` with every moment shown in `timezone` (a reader's) and `language` (else the
    current one), or as its fallback when there is none (or the zone is unknown here)."""
    if not timezone or not is_time_zone(timezone):
        return plain(text)
    return each_moment(text, lambda at, _: describe(at, timezone, language))


def zoned(model: Model, timezone: str | None, language: str | None = None) -> Model:
    """`model` (a card, a form) with every moment in its texts shown in `timezone` and
    `language`, or as its fallback without a zone (`in_zone`); the same model when it holds
    no moment."""
    if not MARKS.search(model.model_dump_json()):
        return model
    return type(model).model_validate(_texts(model.model_dump(), timezone, language))


def _texts(node: Any, timezone: str | None, language: str | None) -> Any:
    if isinstance(node, str):
        return in_zone(node, timezone, language)
    if isinstance(node, dict):
        return {key: _texts(value, timezone, language) for key, value in node.items()}
    if isinstance(node, list):
        return [_texts(value, timezone, language) for value in node]
    return node
