"""The language Concord answers a Teams activity's sender in when it speaks outside a turn:
a click or a dialog it can't read, a click Teams sent twice.

Inside a turn the engine finds the reader's language itself. Outside one, it is the
language the sender reads Concord in (their own choice, else their Teams client's
`locale`, else their collaborative's default: `Concord.reader_language`); when the
activity doesn't say who sent it, the activity's `locale` alone.
"""

from __future__ import annotations

from adapters.teams import inbound
from adapters.teams.inbound import Activity
from dialogs.core.language import DEFAULT, from_locale
from dialogs.core.ports import Concord


async def sender_language(concord: Concord, activity: Activity) -> str:
    """The language to answer `activity`'s sender in ("cy", "en")."""
    try:
        actor, place = inbound.actor_of(activity), inbound.place_of(activity)
    except inbound.MalformedActivity:
        return from_locale(inbound.locale_of(activity)) or DEFAULT
    return await concord.reader_language(actor, place)
