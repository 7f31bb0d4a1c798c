"""A poll's settings that compare organisations (`--balance orgs`, `--quorum per-org`,
`--rule every-org P`), refused in a collaborative without the organisations to compare."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import select

from dialogs.core.language import _
from dialogs.core.turn import Refusal, Turn
from dialogs.polls.agreement import RULE, RULE_REFUSED
from storage.models import Organisation

BALANCE, QUORUM = "--balance orgs", "--quorum per-org"  # i18n: not for readers


def organisation_settings(turn: Turn, flags: dict[str, Any]) -> dict[str, Any]:
    """`--balance orgs` and `--quorum per-org` as settings, if asked for and possible."""
    settings: dict[str, Any] = {}
    if "balance" in flags or "quorum" in flags:
        _need_organisations(turn, BALANCE if "balance" in flags else QUORUM)
        if "balance" in flags:
            settings["balance"] = "orgs"
        if "quorum" in flags:
            settings["quorum"] = flags["quorum"]["minimum"]
    return settings


def rule_settings(turn: Turn, poll_type: str, percent: int) -> dict[str, Any]:
    """`--rule every-org P`: for a poll type with a share of support, in a collaborative with
    organisations to compare (`dialogs.polls.agreement`)."""
    if why := RULE_REFUSED.get(poll_type):
        raise Refusal(
            _("`--rule {rule}` can't go with a {poll_type} poll: {why}.").format(
                rule=RULE, poll_type=poll_type, why=_(why)
            ),
            _(
                "Use `--type multi` (people tick every option they support) or `--type single`, "
                "or leave out `--rule`."
            ),
        )
    collaborative, unused = turn.in_collaborative()
    if (count := _organisation_count(turn)) < 2:
        raise Refusal(
            _(
                "`--rule {rule}` compares organisations, so it needs at least two; "
                "{collaborative} has {count}."
            ).format(rule=RULE, collaborative=collaborative.name, count=count),
            _('Add them with `org add "Name"`, or leave out `--rule`.'),
        )
    return {"rule": RULE, "rule-percent": percent}


def _organisation_count(turn: Turn) -> int:
    collaborative, unused = turn.in_collaborative()
    return turn.session.exec(
        select(func.count())
        .select_from(Organisation)
        .where(Organisation.collaborative_id == collaborative.id)
    ).one()


def _need_organisations(turn: Turn, flag: str) -> None:
    if _organisation_count(turn) == 0:
        raise Refusal(
            _("`{flag}` needs organisations, and there are none yet.").format(flag=flag),
            _('Add them with `org add "Name"`; members join with `org join "Name"`.'),
        )
