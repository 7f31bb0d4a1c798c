"""How the partnership decides: `settings governance joint|advisory|delegated|
committees-in-common [--decider @person]` (coordinators). New polls take this mode unless
they choose another (`poll … --mode`); polls already started keep theirs.
"""

from __future__ import annotations

from dialogs.collaborative.members import resolve_person
from dialogs.commands.syntax import Command
from dialogs.core.modes import DELEGATED, MODES
from dialogs.core.turn import Refusal, Turn
from storage.models import Collaborative, Member

CHANGING = "change how the partnership decides"


def governance(turn: Turn, command: Command) -> None:
    collaborative, _ = turn.require_coordinator(CHANGING)
    wanted = command.args.get("mode")
    if wanted is None:
        turn.say(f"{collaborative.name} decides: {_described(turn, collaborative)}.", *_ways())
        return
    wanted = wanted.lower()
    if wanted not in MODES:
        raise Refusal(f"“{wanted}” is not a way of deciding.", *_ways())
    mention = command.flags.get("decider")
    if mention is not None and wanted != DELEGATED:
        raise Refusal(
            "`--decider` only goes with `delegated`.",
            "Type `settings governance delegated --decider @person`.",
        )
    decider = _decider(turn, collaborative, mention) if wanted == DELEGATED else None
    was = _described(turn, collaborative)
    collaborative.governance = wanted
    collaborative.decider_id = decider.id if decider else None
    now = _described(turn, collaborative)
    turn.audit(
        "settings",
        f"set how the partnership decides: {now} (was: {was})",
        governance=wanted,
        decider=decider.display_name if decider else None,
    )
    turn.say(
        f"{collaborative.name} now decides: {now}.",
        "New polls decide this way; polls already started keep their way. "
        "A poll can choose another with `--mode`.",
    )


def _ways() -> list[str]:
    return [
        "Ways of deciding: " + "; ".join(f"`{name}`: {said}" for name, said in MODES.items()) + ".",
        "Change it with `settings governance MODE` (`delegated` needs `--decider @person`).",
    ]


def _described(turn: Turn, collaborative: Collaborative) -> str:
    mode = collaborative.governance or "joint"
    said = f"{mode}, {MODES.get(mode, '')}"
    if mode == DELEGATED and collaborative.decider_id:
        person = turn.session.get(Member, collaborative.decider_id)
        said += f" (the decider: {person.display_name if person else 'someone who has left'})"
    return said


def _decider(turn: Turn, collaborative: Collaborative, mention: dict[str, str] | None) -> Member:
    if mention is None:
        raise Refusal(
            "Delegated decisions need a decider: the person who records each decision.",
            "Type `settings governance delegated --decider @person`.",
        )
    return resolve_person(turn, collaborative, mention)
