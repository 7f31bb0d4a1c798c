"""How the partnership decides: `settings governance joint|advisory|delegated|
committees-in-common [--decider @person]` (coordinators). New polls take this mode unless
they choose another (`poll … --mode`); polls already started keep theirs.
"""

from __future__ import annotations

from dialogs.collaborative.members import resolve_person
from dialogs.commands.syntax import Command
from dialogs.core.language import N_, _
from dialogs.core.modes import DELEGATED, MODES
from dialogs.core.turn import Refusal, Turn
from storage.models import Collaborative, Member

CHANGING = N_("change how the partnership decides")


def governance(turn: Turn, command: Command) -> None:
    collaborative, __ = turn.require_coordinator(CHANGING)
    wanted = command.args.get("mode")
    if wanted is None:
        turn.say(
            _("{name} decides: {mode}.").format(
                name=collaborative.name, mode=_described(turn, collaborative)
            ),
            *_ways(),
        )
        return
    wanted = wanted.lower()
    if wanted not in MODES:
        raise Refusal(_("“{mode}” is not a way of deciding.").format(mode=wanted), *_ways())
    mention = command.flags.get("decider")
    if mention is not None and wanted != DELEGATED:
        raise Refusal(
            _("`--decider` only goes with `delegated`."),
            _("Type `settings governance delegated --decider @person`."),
        )
    decider = _decider(turn, collaborative, mention) if wanted == DELEGATED else None
    was = (collaborative.governance, collaborative.decider_id)
    collaborative.governance = wanted
    collaborative.decider_id = decider.id if decider else None
    now = _described(turn, collaborative)
    turn.audit(
        "settings",
        lambda: _("set how the partnership decides: {mode} (was: {old_mode})").format(
            mode=_described(turn, collaborative), old_mode=_described(turn, collaborative, was)
        ),
        governance=wanted,
        decider=decider.display_name if decider else None,
    )
    turn.say(
        _("{name} now decides: {mode}.").format(name=collaborative.name, mode=now),
        _(
            "New polls decide this way; polls already started keep their way. "
            "A poll can choose another with `--mode`."
        ),
    )


def _ways() -> list[str]:
    ways = "; ".join(f"`{name}`: {_(said)}" for name, said in MODES.items())
    return [
        _("Ways of deciding: {ways}.").format(ways=ways),
        _("Change it with `settings governance MODE` (`delegated` needs `--decider @person`)."),
    ]


def _described(
    turn: Turn, collaborative: Collaborative, setting: tuple[str | None, int | None] | None = None
) -> str:
    """The way `collaborative` decides, in words; `setting` is a (mode, decider) it had."""
    mode, decider_id = setting or (collaborative.governance, collaborative.decider_id)
    mode = mode or "joint"
    said = f"{mode}, {_(MODES[mode]) if mode in MODES else ''}"
    if mode == DELEGATED and decider_id:
        person = turn.session.get(Member, decider_id)
        decider = person.display_name if person else _("someone who has left")
        said += " " + _("(the decider: {name})").format(name=decider)
    return said


def _decider(turn: Turn, collaborative: Collaborative, mention: dict[str, str] | None) -> Member:
    if mention is None:
        raise Refusal(
            _("Delegated decisions need a decider: the person who records each decision."),
            _("Type `settings governance delegated --decider @person`."),
        )
    return resolve_person(turn, collaborative, mention)
