"""How much of every organisation a purpose round's consent needs: `settings purpose-rule
every-org [P]|none` (coordinators), kept as `Collaborative.purpose_rule` ("every-org 50" unless
changed). Each consent poll of a round takes the rule as `--rule every-org P` would
(`dialogs.polls.agreement`): the statement is adopted only if at least P % of the voters of
every organisation that responds consent. A collaborative with fewer than two organisations
has nothing to compare, so its consent polls go without the rule.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, func, select

from dialogs.commands.syntax import Command
from dialogs.commands.values import NO_RULE, RULE_WORD, parse_rule
from dialogs.core.language import N_, _
from dialogs.core.turn import Turn
from dialogs.polls.agreement import RULE
from storage.models import Collaborative, Organisation

_COMMAND = "settings purpose-rule"  # i18n: not for readers (the command people type)


def purpose_rule(turn: Turn, command: Command) -> None:
    """`settings purpose-rule [every-org [P]|none]`: show or change the rule."""
    collaborative, __ = turn.require_coordinator(N_("change the rule for purpose rounds"))
    words = [w for w in (command.args.get("rule"), command.args.get("percent")) if w]
    now = collaborative.purpose_rule
    name = collaborative.name
    if not words:
        turn.say(
            _("Purpose rounds in {name} adopt a statement by consent {rule}.").format(
                name=name, rule=described(now)
            ),
            _("Change it with `{every}` or `{none}`.").format(
                every=f"{_COMMAND} {RULE_WORD} 60", none=f"{_COMMAND} {NO_RULE}"
            ),
        )
        return
    percent = parse_rule(words, _COMMAND)
    wanted = NO_RULE if percent is None else f"{RULE_WORD} {percent}"
    if wanted == now:
        turn.say(
            _("Purpose rounds in {name} already need consent {rule}.").format(
                name=name, rule=described(now)
            )
        )
        return
    collaborative.purpose_rule = wanted
    turn.audit(
        "settings",
        lambda: _("set the purpose rule to {rule} (was {was})").format(rule=wanted, was=now),
        purpose_rule=wanted,
    )
    turn.say(
        _("From now on, purpose rounds in {name} adopt a statement by consent {rule}.").format(
            name=name, rule=described(wanted)
        ),
        _("A consent poll already open keeps the rule it started with."),
    )


def described(rule: str) -> str:
    """ "with at least 50 % of every organisation that responds" or "with no share needed…"."""
    percent = _percent(rule)
    if percent is None:
        return _("with no share needed from each organisation")
    return _("with at least {percent} % of every organisation that responds").format(
        percent=percent
    )


def consent_settings(session: Session, collaborative: Collaborative) -> dict[str, Any]:
    """The settings a round's consent poll takes from the rule (none without two organisations)."""
    percent = _percent(collaborative.purpose_rule)
    organisations = session.exec(
        select(func.count())
        .select_from(Organisation)
        .where(Organisation.collaborative_id == collaborative.id)
    ).one()
    if percent is None or organisations < 2:
        return {}
    return {"rule": RULE, "rule-percent": percent}


def _percent(rule: str) -> int | None:
    return parse_rule(rule.split(), _COMMAND)
