"""A Teams form's date and time pickers: `Input.Date` and `Input.Time` side by side for one
`DateTimeInput`, and what they submit joined back into one ISO 8601 value.

Teams' pickers know no zone, so the label names the collaborative's, and the value goes
back as that wall-clock time ("2026-12-31T17:00") for the engine to read in that zone.
"""

from __future__ import annotations

from typing import Any

from adapters.teams.escape import shorten
from dialogs.core.cards import DateTimeInput
from dialogs.core.language import _

TIME_SUFFIX = ".time"  # the `Input.Time` of the input `closes` is `closes.time`


def date_and_time(item: DateTimeInput, label_room: int) -> dict[str, Any]:
    """The two pickers in one row, holding the value (in the input's zone) if it has one."""
    day: dict[str, Any] = {
        "type": "Input.Date",
        "id": item.name,
        "label": shorten(item.zoned_label(), label_room),
    }
    time: dict[str, Any] = {"type": "Input.Time", "id": item.name + TIME_SUFFIX, "label": _("Time")}
    if local := item.local_value():
        day["value"], time["value"] = f"{local:%Y-%m-%d}", f"{local:%H:%M}"
    return {
        "type": "ColumnSet",
        "columns": [
            {"type": "Column", "width": "stretch", "items": [day]},  # i18n: not for readers
            {"type": "Column", "width": "stretch", "items": [time]},  # i18n: not for readers
        ],
    }


def joined(values: dict[str, str | list[str]]) -> dict[str, str | list[str]]:
    """Each picked day and time as one value: "2026-12-31" and "17:00" → "2026-12-31T17:00"
    (a day alone stays a day; a time alone stays a time, for the engine to read)."""
    for key in [k for k in values if k.endswith(TIME_SUFFIX)]:
        time, name = values.pop(key), key.removesuffix(TIME_SUFFIX)
        day = values.get(name, "")
        if isinstance(time, str) and isinstance(day, str) and time:
            values[name] = f"{day}T{time}" if day else time
    return values
