"""Value readers: the small readers every command shares, and `GrammarError`.

Counts, lengths of time, time zones, @mentions and times of day are read the
same way wherever they are typed: in a command's flags (`parser`), in a form
(`polls.setup`), in a deadline (`when`) or a recurring check-in
(`commands.recurrence`). Each reader returns the value or raises `GrammarError`
saying what was wrong and what to type instead.
"""

from __future__ import annotations

import difflib
import re
from datetime import time

from dialogs.core.clock import is_time_zone, time_zones
from dialogs.core.language import N_, _
from dialogs.core.turn import Problem

WHEN_HINT = N_(
    'Write it like "friday 17:00", "tomorrow noon", "in 3 days", "31/12/2026 17:00" '
    'or "1 Jan 2027".'
)  # translated where it is used: `_(WHEN_HINT)`


class GrammarError(Problem):
    """What was wrong with a command, and what to type instead."""


def parse_mention(value: str) -> dict[str, str]:
    """`<@U123>` (platform mentions, as adapters pass them) or `@Display Name`."""
    match = re.fullmatch(r"<@([^<>|\s]+)(?:\|[^<>]*)?>", value)
    if match:
        return {"user_id": match.group(1)}
    name = value[1:] if value.startswith("@") else value
    if not name.strip():
        raise GrammarError(_("Say who, with an @mention."), _("For example `role observer @Sam`."))
    return {"name": name.strip()}


def parse_count(value: str, what: str, minimum: int, maximum: int) -> int:
    if not re.fullmatch(r"\d+", value):
        raise GrammarError(
            _("{what} needs a whole number, not `{value}`.").format(
                what=what, value=clip(value, 30)
            ),
            _("Use a number from {minimum} to {maximum}.").format(minimum=minimum, maximum=maximum),
        )
    number = int(value) if len(value) <= 12 else maximum + 1  # never convert a huge string
    if not minimum <= number <= maximum:
        raise GrammarError(
            _("{what} must be from {minimum} to {maximum}, not {value}.").format(
                what=what, minimum=minimum, maximum=maximum, value=clip(value, 30)
            )
        )
    return number


_DURATION_UNITS = {
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "w": 604800,
    "week": 604800,
    "weeks": 604800,
}
MAX_DURATION_SECONDS = 90 * 86400


def parse_duration(value: str, what: str | None = None) -> int:
    """`24h`, `1h30m`, `3 days`, `2 weeks` → seconds (one minute to 90 days); `what` names
    the value in a refusal ("The duration" unless given)."""
    what = what or _("The duration")
    compact = value.lower().replace(" ", "")
    parts = re.findall(r"(\d+)([a-z]+)", compact)
    if (
        not parts
        or "".join(n + u for n, u in parts) != compact
        or any(u not in _DURATION_UNITS for __, u in parts)
    ):
        raise GrammarError(
            _("{what} `{value}` isn't a length of time.").format(what=what, value=clip(value, 30)),
            _("Write it like `30m`, `24h`, `3d` or `2 weeks`."),
        )
    seconds = sum(int(n) * _DURATION_UNITS[u] for n, u in parts)
    if not 60 <= seconds <= MAX_DURATION_SECONDS:
        raise GrammarError(_("{what} must be between 1 minute and 90 days.").format(what=what))
    return seconds


# The zone suggested first when a guess could mean several: Concord's home (and default).
HOME_ZONE = "Europe/London"


def parse_timezone(value: str) -> str:
    if not is_time_zone(value):
        close = _zone_like(value) if len(value) < 64 else None
        hint = (
            _("Did you mean `{command}`?").format(command=close)
            if close
            else _("Use a name like `{zone}`.").format(zone=HOME_ZONE)
        )
        raise GrammarError(
            _("`{zone}` is not a time zone Concord knows.").format(zone=clip(value, 40)), hint
        )
    return value


def _zone_like(value: str) -> str | None:
    """The zone `value` most likely means: the home zone for its region alone ("Europe"),
    else the closest spelling."""
    if HOME_ZONE.lower().startswith(value.strip().rstrip("/").lower() + "/"):
        return HOME_ZONE
    close = difflib.get_close_matches(value, sorted(time_zones()), n=1)
    return close[0] if close else None


def split_time(words: str, original: str) -> tuple[str, time | None]:
    """Separate a trailing time of day ("17:00", "5pm", "5:30 pm", "noon") from the day."""
    match = re.search(
        r"(?:^|\s)(?:at\s+)?(noon|midday|midnight|(\d{1,2})(?::(\d{2}))?\s*(am|pm)?)$", words
    )
    if match is None or (match.group(2) and not match.group(3) and not match.group(4)):
        # A bare number ("friday 5") is too ambiguous to guess.
        if match is not None:
            raise GrammarError(
                _("Is “{text}” morning or afternoon?").format(text=original),
                _("Write 17:00 or 5pm."),
            )
        return words, None
    word, hour, minute, half = match.group(1), match.group(2), match.group(3), match.group(4)
    rest = words[: match.start()].strip()
    if word in ("noon", "midday"):
        return rest, time(12, 0)
    if word == "midnight":
        return rest, time(23, 59)
    hours, minutes = int(hour), int(minute or 0)
    if half:
        if not 1 <= hours <= 12:
            raise GrammarError(
                _("“{text}” has an hour that doesn't exist.").format(text=original), _(WHEN_HINT)
            )
        hours = hours % 12 + (12 if half == "pm" else 0)
    if hours > 23 or minutes > 59:
        raise GrammarError(
            _("“{text}” has a time that doesn't exist.").format(text=original), _(WHEN_HINT)
        )
    return rest, time(hours, minutes)


RULE_WORD, NO_RULE, RULE_DEFAULT = "every-org", "none", 50


def parse_rule(words: list[str], what: str) -> int | None:
    """`every-org [P]` as the percent every organisation must reach (50 if not given);
    `none` as None. `what` is what was typed before it: "--rule"."""
    first = words[0].lower() if words else ""
    if first == NO_RULE and len(words) == 1:
        return None
    if first != RULE_WORD or len(words) > 2:
        raise GrammarError(
            _("`{what}` takes `{rule}`, optionally with a percent, or `{none}`.").format(
                what=what, rule=RULE_WORD, none=NO_RULE
            ),
            _(
                "For example `{example}` or `{example} 60`: an option then "
                "passes only with at least that share in every organisation that voted."
            ).format(example=f"{what} {RULE_WORD}"),
        )
    if len(words) == 1:
        return RULE_DEFAULT
    return parse_count(words[1].rstrip("%"), f"`{what} {RULE_WORD}`", 1, 100)


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters (an ellipsis marks the cut), for quoting it back."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
