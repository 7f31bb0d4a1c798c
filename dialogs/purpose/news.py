"""The short message each stage change posts in every linked channel: what happened, what
happens next, and by when.

The round's own message is re-rendered in place too, but platforms don't highlight an edit
far up a channel, so members learn that the round moved on from this fresh message, at the
bottom, beside the poll it asks them to vote in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from dialogs.commands.when import describe, moment
from dialogs.core.cards import Card, Text
from dialogs.core.language import N_, _, ngettext
from dialogs.polls.agreement import passes
from dialogs.polls.agreement_text import verdict
from dialogs.purpose import rounds
from storage.models import Poll, ProposalGroup, PurposeRound


def stage_news(session: Session, purpose_round: PurposeRound, timezone: str, happened: str) -> Card:
    """`happened`, then what the stage the round has just entered asks, and of whom."""
    following = _next(session, purpose_round, timezone)
    return Card(
        blocks=[Text(text=happened), Text(text=_("Next: {following}").format(following=following))],
        fallback=happened,
    )


def _next(session: Session, purpose_round: PurposeRound, timezone: str) -> str:
    stage = purpose_round.stage
    until = moment(purpose_round.stage_ends_at, timezone) if purpose_round.stage_ends_at else ""
    if stage == rounds.GROUPING:
        return _after_grouping(session, purpose_round, until)
    if stage == rounds.DRAFTING:
        return _after_drafting(session, purpose_round, until)
    if stage == rounds.REVISING:
        return _(
            "coordinators revise the statement (revision {revision} of at "
            "most {most}) and ask for consent again."
        ).format(revision=purpose_round.revisions + 1, most=rounds.MAX_REVISIONS)
    poll = session.get(Poll, purpose_round.current_poll_id)
    assert poll is not None
    return _(_POLL_ASKS[stage]).format(dots=rounds.SHORTLIST_DOTS, number=poll.number, until=until)


_POLL_ASKS = {
    rounds.SHORTLISTING: N_(
        "spread your {dots} dots over the themes you want in poll #{number} (just above) "
        "by {until}."
    ),
    rounds.CHOOSING: N_(
        "rank the drafts, favourite first, in poll #{number} (just above) by {until}."
    ),
    rounds.CONSENTING: N_(
        "say whether you can live with it in poll #{number} (just above) by {until}."
    ),
}


def _after_grouping(session: Session, purpose_round: PurposeRound, until: str) -> str:
    most = purpose_round.settings["shortlist"]
    if len(rounds.groups_of(session, purpose_round)) <= most:
        return _(
            "coordinators may adjust the themes until {until}; then all of them go forward "
            "(the shortlist takes up to {most})."
        ).format(until=until, most=most)
    return _(
        "coordinators may adjust the themes until {until}; then you dot-vote for the {most} "
        "that go forward."
    ).format(until=until, most=most)


def _after_drafting(session: Session, purpose_round: PurposeRound, until: str) -> str:
    if sum(g.shortlisted for g in rounds.groups_of(session, purpose_round)) == 1:
        return _(
            "coordinators may edit the draft statements until {until}; then you say whether "
            "you can live with it."
        ).format(until=until)
    return _(
        "coordinators may edit the draft statements until {until}; then you rank them."
    ).format(until=until)


def gathering_closed(proposals: int, people: int, organisations: int, themes: int) -> str:
    """Proposals are closed: 8 statements from 5 people in 3 organisations, grouped into 4 …"""
    who = ngettext("{count} person", "{count} people", people).format(count=people)
    if organisations:
        counted = ngettext("{count} organisation", "{count} organisations", organisations)
        where = counted.format(count=organisations)
        who = _("{people} in {organisations}").format(people=who, organisations=where)
    return _(
        "Proposals are closed: {statements} from {people}, grouped into {themes}, listed below."
    ).format(statements=_statements(proposals), people=who, themes=_themes(themes))


def shortlist_opened(themes: int, most: int) -> str:
    return ngettext(
        "The themes are settled: {count} themes, of which the top {most} go forward.",
        "The themes are settled: {count} themes, of which the top {most} go forward.",
        themes,
    ).format(count=themes, most=most)


def shortlist_skipped(themes: int) -> str:
    return ngettext(
        "The themes are settled: all {count} theme go forward, with no vote needed.",
        "The themes are settled: all {count} themes go forward, with no vote needed.",
        themes,
    ).format(count=themes)


def shortlist_chosen(chosen: list[ProposalGroup], why: str) -> str:
    """The themes going forward, numbered as in the poll, and why, where that needs saying."""
    listed = "; ".join(f"{g.position}. {g.title}" for g in sorted(chosen, key=lambda g: g.position))
    said = ngettext(
        "The shortlist is chosen: {count} theme go forward: {listed}.",
        "The shortlist is chosen: {count} themes go forward: {listed}.",
        len(chosen),
    ).format(count=len(chosen), listed=listed)
    return f"{said} {why}" if why else said


def shortlist_why(
    tied: list[ProposalGroup], dots: float, chosen: int, most: int, *, left_out: bool, voters: int
) -> str:
    """Why the shortlist is what it is, where that needs saying: a tie for the last place
    (`tied`, empty if none), or nobody voting."""
    if tied:
        return tie_explained(tied, dots, chosen, most, left_out=left_out)
    if not voters:
        return _("Nobody voted, so the themes with the most statements go forward.")
    return ""


def tie_explained(
    tied: list[ProposalGroup], dots: float, chosen: int, most: int, *, left_out: bool
) -> str:
    """Why more themes than asked for went forward: a tie for the last place (and, when even
    that was more than people can weigh, how it was cut)."""
    said = ngettext(
        "{chosen} themes go forward, not {most}: themes {tied} tied for the last "
        "place on {dots} dot each.",
        "{chosen} themes go forward, not {most}: themes {tied} tied for the last "
        "place on {dots} dots each.",
        int(dots) if dots == int(dots) else 100,  # a fraction of a dot reads as plural
    ).format(chosen=chosen, most=most, tied=_listed(tied), dots=f"{dots:g}")
    if left_out:
        said += " " + _(
            "No more than {most} can go forward, so the tie went to the themes "
            "with the most statements."
        ).format(most=rounds.MAX_GROUPS)
    return said


def ranking_chosen(draft: str, winner: str | None, voters: int) -> str:
    if winner:
        return _("The ranking chose “{draft}”.").format(draft=draft)
    if not voters:
        return _("Nobody ranked the drafts, so the first listed goes forward: “{draft}”.").format(
            draft=draft
        )
    return _("The ranking ended in a tie, so the first listed goes forward: “{draft}”.").format(
        draft=draft
    )


def consent_missed(poll: Poll, purpose_round: PurposeRound, result: dict[str, Any]) -> str:
    if not result["voters"]:
        return _("Nobody responded to poll #{number}, so “{draft}” is not adopted.").format(
            number=poll.number, draft=purpose_round.draft
        )
    missed = _("Poll #{number} didn't reach consent on “{draft}”.").format(
        number=poll.number, draft=purpose_round.draft
    )
    return f"{missed} {verdict(result)}" if not passes(result) else missed


def _listed(groups: list[ProposalGroup]) -> str:
    numbers = [str(g.position) for g in sorted(groups, key=lambda g: g.position)]
    if len(numbers) == 1:
        return numbers[0]
    return _("{numbers} and {last}").format(numbers=", ".join(numbers[:-1]), last=numbers[-1])


def _statements(n: int) -> str:
    return ngettext("{count} statement", "{count} statements", n).format(count=n)


def _themes(n: int) -> str:
    return ngettext("{count} theme", "{count} themes", n).format(count=n)


def round_summary(purpose_round: PurposeRound, timezone: str) -> str:
    """The round in one line for the decision log: each stage's dates and who took part."""
    parts = []
    for stage, noted in purpose_round.history.items():
        if "to" not in noted:
            continue
        start = describe(datetime.fromisoformat(noted["from"]), timezone)
        end = describe(datetime.fromisoformat(noted["to"]), timezone)
        took = noted.get("took_part") or {}
        who = ", ".join(f"{org} ({shown})" for org, shown in took.items())
        said = (
            _("{stage} {start} – {end}; took part: {who}") if who else _("{stage} {start} – {end}")
        )
        name = _(rounds.STAGE_NAMES.get(stage, stage)).capitalize()
        parts.append(said.format(stage=name, start=start, end=end, who=who))
    return ". ".join(parts) + "." if parts else ""
