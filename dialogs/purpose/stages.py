"""How a purpose round moves from stage to stage, by time, by a poll closing or by hand.

Each move happens inside the transaction of whatever caused it (a coordinator's
`purpose next`, a timer, a poll's close), as a `Step`: close the current stage
with who took part, open the next, log both in the decision log and re-render
the round's message everywhere. The three votes are ordinary polls; where the
collaborative has organisations they are decided with each organisation
weighted equally, so no large partner drowns out a small one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlmodel import Session, select

from dialogs.core import audit, bilingual, effects, timers
from dialogs.core.cards import Card, Context, Text
from dialogs.core.language import N_, _
from dialogs.core.messages import round_key
from dialogs.core.reactions import PollClosed
from dialogs.polls import agreement
from dialogs.polls.results import compute
from dialogs.polls.reviews import setting as reviews
from dialogs.polls.setup import PollSpec, create_poll
from dialogs.purpose import news, rounds
from dialogs.purpose.cards import (
    render_adopted,
    render_round,
    revise_card,
    stage_words,
    took_part,
)
from dialogs.purpose.groups import group_round
from dialogs.purpose.rule import consent_settings
from dialogs.purpose.themes import render_editor, render_groups
from storage.models import Collaborative, Member, Organisation, Poll, Proposal, PurposeRound


@dataclass
class Step:
    """One move of one round: where, when, and who moved it (None: Concord, on time)."""

    session: Session
    now: datetime
    collaborative: Collaborative
    round: PurposeRound
    by: Member | None = None

    @property
    def round_id(self) -> int:
        assert self.round.id is not None
        return self.round.id

    def enter(
        self,
        stage: str,
        ends_at: datetime | None = None,
        *,
        took_part: dict[str, str] | None = None,
        happened: audit.Wording | None = None,
        **noted: Any,
    ) -> None:
        """Close the current stage (with who took part, unless the caller counted them
        already) and open `stage`; log the move, and post `happened` and what comes next
        (each built in the channels' language)."""
        if took_part is None:
            took_part = _took_part(self.session, self.round)
        history = dict(self.round.history)
        leaving = dict(history.get(self.round.stage, {}))
        leaving.update(to=self.now.isoformat(), took_part=took_part)
        history[self.round.stage] = leaving
        history[stage] = {"from": self.now.isoformat(), **noted}
        self.round.history = history
        self.round.stage, self.round.stage_ends_at = stage, ends_at
        if stage in (rounds.ADOPTED, rounds.NEEDS_CONVERSATION):
            self.round.running, self.round.ended_at = False, self.now
        self.session.flush()
        # The log says "purpose round #N: …" already: the stage without the round's number.
        timezone = self.collaborative.timezone
        self.record(
            "purpose.stage", lambda: stage_words(self.round, timezone), stage=stage, **noted
        )
        self.update(round_key(self.round))
        if happened:
            self.post(lambda: news.stage_news(self.session, self.round, timezone, happened()))

    def record(self, action: str, summary: audit.Wording, **detail: Any) -> None:
        """A decision-log entry about this round (`detail` may hold its `details`)."""
        audit.record(
            self.session,
            self.now,
            self.collaborative,
            self.by,
            action,
            lambda: _("purpose round #{number}: {summary}").format(
                number=self.round.number, summary=summary()
            ),
            round=self.round.number,
            **detail,
        )

    def update(self, key: str) -> None:
        effects.update_everywhere(self.session, self.now, self.collaborative, key)

    def post(self, card: effects.CardFor, key: str | None = None, *, pin: bool = False) -> None:
        effects.post_everywhere(self.session, self.now, self.collaborative, card, key, pin=pin)

    def tell_coordinators(self, card: effects.CardFor) -> None:
        effects.notify_coordinators(self.session, self.now, self.collaborative, card)

    def pause(self, stage: str, happened: audit.Wording, **noted: Any) -> None:
        """A review stage: coordinators adjust; its timer (or `purpose next`) ends it."""
        ends_at = self.now + timedelta(seconds=self.round.settings["review"])
        self.enter(stage, ends_at, happened=happened, **noted)
        cid = self.collaborative.id or 0
        timers.schedule(self.session, cid, timers.PURPOSE_REVIEW, self.round_id, stage, ends_at)

    def open_poll(
        self,
        stage: str,
        question: audit.Wording,
        options: list[str],
        kind: str,
        happened: audit.Wording,
        **extra: Any,
    ) -> None:
        """The stage's poll, its question kept in the collaborative's language."""
        settings: dict[str, Any] = {"results": "live", "purpose_round": self.round.id, **extra}
        if _has_organisations(self.session, self.collaborative):
            settings["balance"] = "orgs"
            settings["decides"] = "balanced"  # a round moves on the organisation-balanced count
        creator = self.session.get(Member, self.round.created_by)
        assert creator is not None
        closes_at = self.now + timedelta(seconds=self.round.settings["vote"])
        asked = bilingual.shared_text(self.collaborative, question)
        spec = PollSpec(asked, options, kind, settings, closes_at)
        # Who voted in the stage now ending is counted before the new poll becomes current.
        took_part = _took_part(self.session, self.round)
        poll = create_poll(self.session, self.now, self.collaborative, creator, spec)
        self.round.current_poll_id = poll.id
        noted = {"poll": poll.number, "options": options}
        self.enter(stage, poll.closes_at, took_part=took_part, happened=happened, **noted)


def step_for(session: Session, now: datetime, purpose_round: PurposeRound) -> Step:
    collaborative = session.get(Collaborative, purpose_round.collaborative_id)
    assert collaborative is not None
    return Step(session, now, collaborative, purpose_round)


def has_proposals(session: Session, purpose_round: PurposeRound) -> bool:
    found = select(Proposal.id).where(Proposal.round_id == purpose_round.id)
    return session.exec(found).first() is not None


def _took_part(session: Session, purpose_round: PurposeRound) -> dict[str, str]:
    """Who took part in the current stage, by organisation, as the log shows it (gathering
    and the votes; the review stages ask nothing of members)."""
    if purpose_round.stage not in (rounds.GATHERING, *rounds.POLL_STAGES):
        return {}
    __, items = took_part(session, purpose_round)
    return {item.label: item.value for item in items}


def _has_organisations(session: Session, collaborative: Collaborative) -> bool:
    found = select(Organisation.id).where(Organisation.collaborative_id == collaborative.id)
    return session.exec(found).first() is not None


# Gathering → grouping → shortlist → drafting → choosing → consent


def close_gathering(step: Step) -> None:
    timers.cancel(step.session, timers.PURPOSE_GATHER, step.round_id)
    timers.cancel(step.session, timers.PURPOSE_NUDGE, step.round_id)
    groups = group_round(step.session, step.round)
    proposals = rounds.proposals_of(step.session, step.round)
    people = len({p.member_id for p in proposals})
    organisations = len({p.organisation_id for p in proposals} - {None})
    counted = (len(proposals), people, organisations, len(groups))
    happened = partial(news.gathering_closed, *counted)
    step.pause(rounds.GROUPING, happened, proposals=len(proposals), groups=len(groups))
    step.post(lambda: render_groups(step.session, step.round), round_key(step.round, "groups"))
    step.tell_coordinators(lambda: render_editor(step.session, step.round))


def open_shortlist(step: Step) -> None:
    timers.cancel(step.session, timers.PURPOSE_REVIEW, step.round_id)
    groups = rounds.groups_of(step.session, step.round)
    most = step.round.settings["shortlist"]
    if len(groups) <= most:  # nothing to narrow down: every theme goes forward
        for group in groups:
            group.shortlisted = True
        skipped = partial(news.shortlist_skipped, len(groups))
        _shortlisted(step, [g.id or 0 for g in groups], skipped)
        return
    step.open_poll(
        rounds.SHORTLISTING,
        lambda: _(
            "Which themes should our shared purpose build on? The top {most} go forward."
        ).format(most=most),
        [f"{g.position}. {g.title}" for g in groups],  # numbered: titles may coincide
        "dots",
        partial(news.shortlist_opened, len(groups), most),
        dots=rounds.SHORTLIST_DOTS,
    )
    history = dict(step.round.history)
    history[rounds.SHORTLISTING] = {
        **history[rounds.SHORTLISTING],
        "groups": [g.id for g in groups],
    }
    step.round.history = history


def _shortlist_counted(step: Step, result: dict[str, Any]) -> None:
    offered: list[int] = step.round.history[rounds.SHORTLISTING]["groups"]
    totals = list(_deciding(result)["counts"].values())
    sizes = _group_sizes(step.session, step.round)
    # Most dots first; a tie goes to the theme more people proposed, then to the first listed.
    order = sorted(range(len(offered)), key=lambda i: (-totals[i], -sizes.get(offered[i], 0), i))
    most = step.round.settings["shortlist"]
    cut = totals[order[most - 1]]
    # Themes tied with the last one in go forward too, within the most people can weigh.
    tied = [i for i in order[most:] if totals[i] == cut and cut > 0]
    chosen = [offered[i] for i in order[:most] + tied[: rounds.MAX_GROUPS - most]]
    by_id = {g.id or 0: g for g in rounds.groups_of(step.session, step.round)}
    for group in by_id.values():
        group.shortlisted = group.id in chosen
    last = [by_id[offered[i]] for i in order if totals[i] == cut] if tied else []
    left_out, voters = len(tied) > len(chosen) - most, result["voters"]
    shortlisted = [by_id[i] for i in chosen]

    def happened() -> str:  # in the language of the channels it is posted to
        why = news.shortlist_why(last, cut, len(chosen), most, left_out=left_out, voters=voters)
        return news.shortlist_chosen(shortlisted, why)

    _shortlisted(step, chosen, happened)


def _group_sizes(session: Session, purpose_round: PurposeRound) -> dict[int, int]:
    sizes: dict[int, int] = {}
    for proposal in rounds.proposals_of(session, purpose_round):
        sizes[proposal.group_id or 0] = sizes.get(proposal.group_id or 0, 0) + 1
    return sizes


def _shortlisted(step: Step, ids: list[int], happened: audit.Wording) -> None:
    step.pause(rounds.DRAFTING, happened, shortlist=ids)
    step.tell_coordinators(lambda: render_editor(step.session, step.round))


def open_choice(step: Step) -> None:
    timers.cancel(step.session, timers.PURPOSE_REVIEW, step.round_id)
    by_id = {g.id: g for g in rounds.groups_of(step.session, step.round)}
    drafts: dict[str, str] = {}  # the same draft from two groups is one option
    for group_id in step.round.history[rounds.DRAFTING]["shortlist"]:
        drafts.setdefault(by_id[group_id].draft.casefold(), by_id[group_id].draft)
    options = list(drafts.values())
    if len(options) == 1:
        step.round.draft = options[0]
        one = N_("The shortlist has one draft statement: “{draft}”.")
        open_consent(step, lambda: _(one).format(draft=options[0]))
        return
    question = N_("Which draft should be our shared purpose? Rank them, favourite first.")
    ready, count = N_("The drafts are ready: {count} draft statements to rank."), len(options)

    def happened() -> str:  # in the language of the channels it is posted to
        return _(ready).format(count=count)

    step.open_poll(rounds.CHOOSING, lambda: _(question), options, "ranked", happened)


def _ranking_counted(step: Step, result: dict[str, Any]) -> None:
    # No votes, or a tie the run-off can't break: the best-supported theme's draft.
    offered = step.round.history[rounds.CHOOSING]["options"]
    winner = _deciding(result).get("winner")
    step.round.draft = winner or offered[0]
    draft, voters = step.round.draft, result["voters"]
    open_consent(step, lambda: news.ranking_chosen(draft, winner, voters))


def open_consent(step: Step, happened: audit.Wording) -> None:
    assert step.round.draft is not None
    draft = step.round.draft
    ruled = consent_settings(step.session, step.collaborative)
    step.open_poll(
        rounds.CONSENTING,
        lambda: _("Our purpose: {statement}").format(statement=draft),
        [],
        "consent",
        happened,
        objections=0,
        **ruled,
    )
    history = dict(step.round.history)
    noted = {"statement": step.round.draft, "revision": step.round.revisions}
    history[rounds.CONSENTING] = {**history[rounds.CONSENTING], **noted}
    step.round.history = history


def _consent_counted(step: Step, poll: Poll, result: dict[str, Any]) -> None:
    if result["winner"] == "adopted" and agreement.passes(result):
        _adopt(step)
    elif step.round.revisions >= rounds.MAX_REVISIONS:
        step.enter(rounds.NEEDS_CONVERSATION)
        step.post(lambda: render_round(step.session, step.round))
    else:
        missed = partial(news.consent_missed, poll, step.round, result)
        step.enter(rounds.REVISING, happened=missed)
        step.tell_coordinators(lambda: revise_card(step.round, poll, result))


def _deciding(result: dict[str, Any]) -> dict[str, Any]:
    """The organisation-balanced view where there is one and anyone voted."""
    return (result.get("balanced") or result) if result["voters"] else result


def poll_closed(session: Session, closed: PollClosed) -> None:
    """The reaction to a poll's close (deadline, `poll close` or `purpose next`): when it
    is a round's current poll, move the round on."""
    poll, collaborative, now = closed.poll, closed.collaborative, closed.now
    round_id = poll.settings.get("purpose_round")
    purpose_round = session.get(PurposeRound, round_id) if round_id else None
    if purpose_round is None or not purpose_round.running:
        return
    if purpose_round.current_poll_id != poll.id:
        return
    step = Step(session, now, collaborative, purpose_round)
    result = compute(session, poll)
    if purpose_round.stage == rounds.SHORTLISTING:
        _shortlist_counted(step, result)
    elif purpose_round.stage == rounds.CHOOSING:
        _ranking_counted(step, result)
    elif purpose_round.stage == rounds.CONSENTING:
        _consent_counted(step, poll, result)


def _adopt(step: Step) -> None:
    step.round.purpose = step.round.draft
    step.enter(rounds.ADOPTED)
    reviews.round_adopted(step.session, step.round.id or 0, step.round.current_poll_id or 0)
    step.record(
        "purpose.adopt",
        lambda: _("adopted the shared purpose “{purpose}”").format(purpose=step.round.purpose),
        details=lambda: news.round_summary(step.round, step.collaborative.timezone),
        purpose=step.round.purpose,
        stages=step.round.history,
    )
    step.post(
        lambda: render_adopted(step.session, step.round), round_key(step.round, "adopted"), pin=True
    )


ADVANCE = {
    rounds.GATHERING: close_gathering,
    rounds.GROUPING: open_shortlist,
    rounds.DRAFTING: open_choice,
}


# Timers


def gathering_due(session: Session, now: datetime, timer: Any) -> None:
    purpose_round = session.get(PurposeRound, timer.subject_id)
    if purpose_round is None or purpose_round.stage != rounds.GATHERING:
        return
    step = step_for(session, now, purpose_round)
    if has_proposals(session, purpose_round):
        close_gathering(step)
        return
    # Nothing to group: gathering stays open, and the coordinators hear why.
    purpose_round.stage_ends_at = None
    step.update(round_key(purpose_round))
    step.tell_coordinators(
        lambda: Card(
            blocks=[
                Text(
                    text=_(
                        "Gathering for purpose round #{number} reached its "
                        "deadline with no proposals, so it stays open."
                    ).format(number=purpose_round.number),
                    tone="warning",
                ),
                Context(text=_("Invite members to propose; then `purpose next` groups them.")),
            ],
            fallback=_("No proposals yet"),
        )
    )


def review_due(session: Session, now: datetime, timer: Any) -> None:
    purpose_round = session.get(PurposeRound, timer.subject_id)
    if purpose_round is not None and purpose_round.stage == timer.key:
        ADVANCE[purpose_round.stage](step_for(session, now, purpose_round))
