"""What a purpose round shows: its own message, its buttons and the adoption (themes: themes.py).

The round's message (`dialogs.core.messages.round_key`) is posted once in every linked channel
and re-rendered from the latest state at every change, so it always says where
the round is, what is asked of members now, and who has taken part so far, by
organisation (small groups are never counted exactly).
"""

from __future__ import annotations

from typing import Any, Literal

from sqlmodel import Session, func, select

from dialogs.collaborative import participation
from dialogs.commands.when import describe, moment
from dialogs.core.actions import EditGroups, FormKind, RequestForm
from dialogs.core.cards import (
    Actions,
    Button,
    Card,
    Context,
    FieldItem,
    Fields,
    Heading,
    Text,
)
from dialogs.core.language import N_, _, ngettext
from dialogs.polls.objections import objection_lines
from dialogs.polls.results import compute
from dialogs.purpose import rounds
from storage.models import (
    Collaborative,
    Member,
    Participation,
    Poll,
    Proposal,
    PurposeRound,
)

_STAGE_LINES = {
    rounds.GATHERING: N_("Gathering proposals"),
    rounds.GROUPING: N_("Proposals grouped; coordinators are reviewing the groups"),
    rounds.SHORTLISTING: N_("Shortlisting: dot-vote the themes"),
    rounds.DRAFTING: N_("Shortlist chosen; coordinators are reviewing the drafts"),
    rounds.CHOOSING: N_("Choosing: rank the drafts"),
    rounds.CONSENTING: N_("Consent: can everyone live with the chosen statement?"),
    rounds.REVISING: N_("Objections raised; coordinators are revising the statement"),
    rounds.ADOPTED: N_("Adopted"),
    rounds.NEEDS_CONVERSATION: N_("Paused: this needs a conversation"),
}


def stage_words(purpose_round: PurposeRound, timezone: str) -> str:
    """Where the round is (and until when), without its number."""
    stage = _(_STAGE_LINES[purpose_round.stage])
    if purpose_round.stage_ends_at and purpose_round.running:
        until = moment(purpose_round.stage_ends_at, timezone)
        return _("{stage} until {time}").format(stage=stage, time=until)
    return stage


def stage_line(purpose_round: PurposeRound, timezone: str) -> str:
    stage = stage_words(purpose_round, timezone)
    return _("Purpose round #{number} · {stage}").format(number=purpose_round.number, stage=stage)


def render_round(session: Session, purpose_round: PurposeRound) -> Card:
    """The round's own message, as things stand."""
    collaborative = session.get(Collaborative, purpose_round.collaborative_id)
    assert collaborative is not None
    blocks: list[Any] = [
        Heading(text=_("Our shared purpose: {name}").format(name=collaborative.name)),
        Context(text=stage_line(purpose_round, collaborative.timezone)),
    ]
    blocks += _STAGE_BLOCKS[purpose_round.stage](session, purpose_round)
    blocks += participation_blocks(session, purpose_round)
    fallback = _("Purpose round #{number}").format(number=purpose_round.number)
    return Card(blocks=blocks, fallback=fallback)


def _gathering(session: Session, purpose_round: PurposeRound) -> list[Any]:
    count = _proposal_count(session, purpose_round)
    return [
        Text(text=_("Help us say what this partnership is for. Think about:")),
        *(Text(text=f"• {prompt}") for prompt in purpose_round.prompts),
        Context(
            text=ngettext(
                "Propose up to {each} statements of at most {characters} characters each; "
                "you can change them until gathering closes. {count} proposal so far.",
                "Propose up to {each} statements of at most {characters} characters each; "
                "you can change them until gathering closes. {count} proposals so far.",
                count,
            ).format(each=rounds.PROPOSALS_EACH, characters=rounds.MAX_PROPOSAL, count=count)
        ),
        Actions(elements=[propose_button(purpose_round), change_button(purpose_round)]),
    ]


def _grouping(session: Session, purpose_round: PurposeRound) -> list[Any]:
    groups = rounds.groups_of(session, purpose_round)
    return [
        Text(
            text=ngettext(
                "The {proposals} proposals fall into {count} theme, listed in the channel's "
                "themes message. Next, members dot-vote the themes to shortlist.",
                "The {proposals} proposals fall into {count} themes, listed in the channel's "
                "themes message. Next, members dot-vote the themes to shortlist.",
                len(groups),
            ).format(proposals=_proposal_count(session, purpose_round), count=len(groups))
        ),
        _editor_button(purpose_round, _("Adjust the groups (coordinators)")),
    ]


def _poll_stage(session: Session, purpose_round: PurposeRound) -> list[Any]:
    poll = (
        session.get(Poll, purpose_round.current_poll_id) if purpose_round.current_poll_id else None
    )
    blocks: list[Any] = []
    if purpose_round.stage == rounds.CONSENTING and purpose_round.draft:
        blocks.append(Text(text=f"“{purpose_round.draft}”"))
        if purpose_round.revisions:
            blocks.append(
                Context(
                    text=_("Revision {revision} of at most {most}.").format(
                        revision=purpose_round.revisions, most=rounds.MAX_REVISIONS
                    )
                )
            )
    if poll is not None:
        blocks.append(
            Text(text=_("Vote in poll #{number}, posted below.").format(number=poll.number))
        )
    return blocks


def _drafting(session: Session, purpose_round: PurposeRound) -> list[Any]:
    shortlisted = [g for g in rounds.groups_of(session, purpose_round) if g.shortlisted]
    return [
        Text(text=_("Shortlisted themes and their draft statements:")),
        *(Text(text=f"{g.position}. {g.title} — “{g.draft}”") for g in shortlisted),
        Context(text=_("Next, members rank the drafts.")),
        _editor_button(purpose_round, _("Edit the drafts (coordinators)")),
    ]


def _revising(session: Session, purpose_round: PurposeRound) -> list[Any]:
    return [
        Text(
            text=_(
                "“{draft}” drew objections; each says the harm it sees and "
                "what would resolve it, on the poll."
            ).format(draft=purpose_round.draft)
        ),
        Context(
            text=_(
                "Coordinators revise it and ask for consent again "
                "(revision {revision} of at most {most})."
            ).format(revision=purpose_round.revisions + 1, most=rounds.MAX_REVISIONS)
        ),
    ]


def _adopted(session: Session, purpose_round: PurposeRound) -> list[Any]:
    return [Text(text=f"“{purpose_round.purpose}”")]


def _needs_conversation(session: Session, purpose_round: PurposeRound) -> list[Any]:
    return [
        Text(
            text=_(
                "After {most} revisions, “{draft}” still draws objections. Another vote won't "
                "settle it: the partners need to talk it through, then a coordinator can start "
                "a new round with `purpose start`."
            ).format(most=rounds.MAX_REVISIONS, draft=purpose_round.draft)
        )
    ]


_STAGE_BLOCKS = {
    rounds.GATHERING: _gathering,
    rounds.GROUPING: _grouping,
    rounds.SHORTLISTING: _poll_stage,
    rounds.DRAFTING: _drafting,
    rounds.CHOOSING: _poll_stage,
    rounds.CONSENTING: _poll_stage,
    rounds.REVISING: _revising,
    rounds.ADOPTED: _adopted,
    rounds.NEEDS_CONVERSATION: _needs_conversation,
}


def propose_button(
    purpose_round: PurposeRound,
    label: str = N_("Propose"),
    style: Literal["default", "primary", "danger"] = "primary",
) -> Button:
    """`label` is given in English and translated here."""
    return Button(
        label=_(label),
        action=RequestForm(FormKind.PROPOSAL, purpose_round.id).encode(),
        style=style,
        spoken=_("{label}: a statement for purpose round #{number}").format(
            label=_(label), number=purpose_round.number
        ),
    )


def change_button(purpose_round: PurposeRound) -> Button:
    return Button(
        label=_("Change my proposals"),
        action=RequestForm(FormKind.PROPOSALS, purpose_round.id).encode(),
        spoken=_("Change my proposals in purpose round #{number}").format(
            number=purpose_round.number
        ),
    )


def _editor_button(purpose_round: PurposeRound, label: str) -> Actions:
    spoken = _("{label}: purpose round #{number}").format(label=label, number=purpose_round.number)
    return Actions(
        elements=[Button(label=label, action=EditGroups(purpose_round.id).encode(), spoken=spoken)]
    )


def _proposal_count(session: Session, purpose_round: PurposeRound) -> int:
    return session.exec(
        select(func.count()).select_from(Proposal).where(Proposal.round_id == purpose_round.id)
    ).one()


# Participation, by organisation


def participation_blocks(session: Session, purpose_round: PurposeRound) -> list[Any]:
    """Who has taken part in the current stage, by organisation."""
    what, items = took_part(session, purpose_round)
    if not items:
        return []
    return [Context(text=what), Fields(items=items)]


def took_part(session: Session, purpose_round: PurposeRound) -> tuple[str, list[FieldItem]]:
    """Who has taken part so far, by organisation (a heading and the figures): the voters of
    the stage's poll while one runs, else the proposers."""
    poll_id = purpose_round.current_poll_id if purpose_round.stage in rounds.POLL_STAGES else None
    if poll_id:
        what = _("Voted so far, by organisation (of its members):")
        counted = voters_by_organisation(session, poll_id)
    else:
        what = _("Proposed, by organisation (of its members):")
        counted = proposers_by_organisation(session, purpose_round)
    items = participation.by_organisation(session, purpose_round.collaborative_id, counted)
    return what, items


def proposers_by_organisation(session: Session, purpose_round: PurposeRound) -> dict:
    return dict(
        session.exec(
            select(Proposal.organisation_id, func.count(func.distinct(Proposal.member_id)))
            .where(Proposal.round_id == purpose_round.id)
            .group_by(Proposal.organisation_id)
        ).all()
    )


def voters_by_organisation(session: Session, poll_id: int) -> dict:
    return dict(
        session.exec(
            select(Member.organisation_id, func.count())
            .join(Participation, Participation.member_id == Member.id)
            .where(Participation.poll_id == poll_id)
            .group_by(Member.organisation_id)
        ).all()
    )


def render_adopted(session: Session, purpose_round: PurposeRound) -> Card:
    collaborative = session.get(Collaborative, purpose_round.collaborative_id)
    assert collaborative is not None and purpose_round.ended_at is not None
    adopted = describe(purpose_round.ended_at, collaborative.timezone)
    return Card(
        blocks=[
            Heading(text=_("The shared purpose of {name}").format(name=collaborative.name)),
            Text(text=f"“{purpose_round.purpose}”"),
            Context(
                text=_(
                    "Adopted by consent {when} in purpose round #{number}. "
                    "`purpose show` shows it any time."
                ).format(when=adopted, number=purpose_round.number)
            ),
        ],
        fallback=_("Our shared purpose: {name}").format(name=purpose_round.purpose),
    )


def revision_notes(session: Session, purpose_round: PurposeRound) -> list[str]:
    """What the revision form shows above its input: the draft that drew objections, and
    each objection's harm and what would resolve it."""
    poll = (
        session.get(Poll, purpose_round.current_poll_id) if purpose_round.current_poll_id else None
    )
    now = _("The statement now: “{draft}”")
    drew = [now.format(draft=purpose_round.draft)] if purpose_round.draft else []
    if poll is None or poll.type != "consent":
        return drew
    return [*drew, *objection_lines(compute(session, poll), poll.number)]


def revise_card(purpose_round: PurposeRound, poll: Poll, result: dict[str, Any]) -> Card:
    """The coordinators' note that consent failed: the reasons given, and the button to revise."""
    reasons = objection_lines(result, poll.number)
    shown = "\n".join(f"• {reason}" for reason in reasons)
    why = [Text(text=shown or _("Nobody responded to the consent poll."))]
    again = (
        _(
            "Revise the statement to meet the objections and ask for consent again "
            "(revision {revision} of at most {most})."
        )
        if reasons  # with none, nobody answered: there are no objections to meet
        else _(
            "Ask for consent again, revising the statement if that would help "
            "(revision {revision} of at most {most})."
        )
    )
    return Card(
        blocks=[
            Text(
                text=_("Poll #{number} didn't reach consent on “{draft}”.").format(
                    number=poll.number, draft=purpose_round.draft
                ),
                tone="warning",
            ),
            *why,
            Context(
                text=again.format(revision=purpose_round.revisions + 1, most=rounds.MAX_REVISIONS)
            ),
            Actions(elements=[_revise_button(purpose_round)]),
        ],
        fallback=_("The purpose statement needs revising"),
    )


def _revise_button(purpose_round: PurposeRound) -> Button:
    return Button(
        label=_("Revise the statement"),
        action=RequestForm(FormKind.REVISION, purpose_round.id).encode(),
        style="primary",
        spoken=_("Revise the statement of purpose round #{number}").format(
            number=purpose_round.number
        ),
    )
