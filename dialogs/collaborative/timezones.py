"""`me timezone`: the zone a person reads deadlines and openings in, and where it comes from.

A person's zone is the one they chose, else the one their platform reports (Slack's
profile, Teams' client), else their collaborative's (`people.zone_for`). `me timezone`
says which and why; `me timezone Europe/Paris` chooses one (a real IANA name, the nearest
real names suggested for one that isn't); `me timezone auto` forgets the choice. A choice
is written to every platform identity of the member who asked (`me link`), so it follows
them onto their other platform.
"""

from __future__ import annotations

import difflib

from sqlmodel import select

from dialogs.collaborative.people import CHOSEN, PLATFORM, Zone, setting_for, zone_for
from dialogs.commands.syntax import Command
from dialogs.commands.values import clip
from dialogs.commands.when import describe
from dialogs.core.clock import time_zones
from dialogs.core.language import _
from dialogs.core.turn import Refusal, Turn
from storage.models import Identity, Member

AUTO = "auto"


def me_timezone(turn: Turn, command: Command) -> None:
    name = command.args.get("zone")
    if name is None:
        _show(turn, _("Your time zone is {zone}"))
    elif name.strip().lower() == AUTO:
        _choose(turn, None)
        _show(turn, _("Your choice is forgotten: your time zone is {zone}"))
    else:
        _choose(turn, real_zone(name))
        _show(turn, _("Your time zone is now {zone}"))


def real_zone(name: str) -> str:
    """The IANA zone `name` spells (in any case), or a refusal naming the nearest ones."""
    typed = name.strip()
    by_lower = {zone.lower(): zone for zone in time_zones()}
    if (found := by_lower.get(typed.lower())) is not None:
        return found
    near = difflib.get_close_matches(typed.lower(), sorted(by_lower), n=3, cutoff=0.5)
    names = ", ".join(f"`{by_lower[each]}`" for each in near)
    hint = (
        _("Did you mean {names}?").format(names=names)
        if near
        else _("Use a name like `Europe/London`.")
    )
    raise Refusal(
        _("`{typed}` is not a time zone Concord knows.").format(typed=clip(typed, 40)), hint
    )


def _choose(turn: Turn, zone: str | None) -> None:
    """Write `zone` (None: no choice) to every identity of the member who asked."""
    __, member = turn.in_collaborative()
    for identity in _identities(turn, member):
        setting = setting_for(
            turn.session, identity.platform, identity.tenant_id, identity.user_id, turn.now
        )
        setting.timezone, setting.updated_at = zone, turn.now
        turn.session.add(setting)
    turn.session.flush()


def _identities(turn: Turn, member: Member) -> list[Identity]:
    return list(turn.session.exec(select(Identity).where(Identity.member_id == member.id)).all())


def _show(turn: Turn, heading: str) -> None:
    collaborative, member = turn.in_collaborative()
    zone = zone_for(turn.session, member, collaborative)
    turn.say(heading.format(zone=zone.name), _source(zone), _example(turn, zone))


def _source(zone: Zone) -> str:
    if zone.source == CHOSEN:
        return _("You chose it; `me timezone auto` forgets the choice.")
    if zone.source == PLATFORM:
        return _(
            "It is the zone your platform reports for you; `me timezone NAME` chooses "
            "another (e.g. `me timezone Europe/Paris`)."
        )
    return _(
        "It is the collaborative's zone, because your platform didn't say which is yours; "
        "`me timezone NAME` chooses yours (e.g. `me timezone Europe/Paris`)."
    )


def _example(turn: Turn, zone: Zone) -> str:
    return _(
        "It is now {moment} there. Deadlines and openings are shown in it where your "
        "platform can; shared messages also say the collaborative's time."
    ).format(moment=describe(turn.now, zone.name))
