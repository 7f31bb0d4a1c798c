"""A poll's governance mode (`dialogs.core.modes`), chosen when it opens (a delegated
poll's decision is recorded afterwards in `dialogs.polls.decide`).

A poll takes its collaborative's mode (`settings governance`) unless `--mode` (or the form's
"How this decides") says otherwise; joint is stored as no mode at all. A delegated poll
names its decider (`--decider @person`, else the collaborative's); committees in common
can't be anonymous, and list the organisations taking part. The mode is fixed by the first
ballot (`dialogs.polls.editing`).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from dialogs.collaborative.members import resolve_person
from dialogs.core.language import _
from dialogs.core.modes import COMMITTEES, DELEGATED, JOINT, MODES
from dialogs.core.turn import Refusal, Turn
from storage.models import Collaborative, Member, Organisation


def poll_settings(turn: Turn, flags: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """The mode settings of a new (or edited) poll: nothing for joint."""
    collaborative, unused = turn.in_collaborative()
    mode = flags.get("mode") or collaborative.governance or JOINT
    if mode not in MODES:
        raise Refusal(
            _("Choose how the poll decides."), _("Ways: {modes}.").format(modes=", ".join(MODES))
        )
    if "decider" in flags and mode != DELEGATED:
        raise Refusal(
            _("`--decider` only goes with `--mode delegated`."),
            _("Add `--mode delegated`, or leave out `--decider`."),
        )
    if mode == JOINT:
        return {}
    if mode == DELEGATED:
        return {"mode": mode, "decider": _decider(turn, collaborative, flags.get("decider"))}
    if mode == COMMITTEES:
        return {"mode": mode, "organisations": _taking_part(turn, collaborative, settings)}
    return {"mode": mode}


def _decider(turn: Turn, collaborative: Collaborative, mention: dict[str, str] | None) -> int:
    if mention is not None:
        person = resolve_person(turn, collaborative, mention)
    elif collaborative.decider_id and (found := turn.session.get(Member, collaborative.decider_id)):
        person = found
    else:
        raise Refusal(
            _("A delegated poll needs a decider: the person who records the decision."),
            _(
                "Add `--decider @person`, or set one with "
                "`settings governance delegated --decider @person`."
            ),
        )
    assert person.id is not None
    return person.id


def _taking_part(turn: Turn, collaborative: Collaborative, settings: dict[str, Any]) -> list[str]:
    if settings.get("anonymous"):
        raise Refusal(
            _(
                "Committees in common can't be anonymous: each organisation's decision is "
                "counted from its own votes, and an anonymous poll hides an organisation's "
                "figures when fewer than 3 of its people vote."
            ),
            _("Leave out `--anonymous`, or choose another `--mode`."),
        )
    names = turn.session.exec(
        select(Organisation.name).where(Organisation.collaborative_id == collaborative.id)
    ).all()
    if not names:
        raise Refusal(
            _("Committees in common needs organisations, and there are none yet."),
            _('Add them with `org add "Name"`; members join with `org join "Name"`.'),
        )
    return sorted(names)
