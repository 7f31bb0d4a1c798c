"""What a purpose round shows: its own message, the groups, the editor and the adoption.

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
from dialogs.core.actions import EditGroups, FormKind, Merge, RequestForm
from dialogs.core.cards import (
    Actions,
    Button,
    Card,
    Choice,
    Context,
    Divider,
    FieldItem,
    Fields,
    Heading,
    Select,
    Text,
)
from dialogs.polls.objections import objection_lines
from dialogs.polls.results import compute
from dialogs.purpose import rounds
from storage.models import (
    Collaborative,
    Member,
    Participation,
    Poll,
    Proposal,
    ProposalGroup,
    PurposeRound,
)

_STAGE_LINES = {
    rounds.GATHERING: "Gathering proposals",
    rounds.GROUPING: "Proposals grouped; coordinators are reviewing the groups",
    rounds.SHORTLISTING: "Shortlisting: dot-vote the themes",
    rounds.DRAFTING: "Shortlist chosen; coordinators are reviewing the drafts",
    rounds.CHOOSING: "Choosing: rank the drafts",
    rounds.CONSENTING: "Consent: can everyone live with the chosen statement?",
    rounds.REVISING: "Objections raised; coordinators are revising the statement",
    rounds.ADOPTED: "Adopted",
    rounds.NEEDS_CONVERSATION: "Paused: this needs a conversation",
}


def stage_line(purpose_round: PurposeRound, timezone: str) -> str:
    line = f"Purpose round #{purpose_round.number} · {_STAGE_LINES[purpose_round.stage]}"
    if purpose_round.stage_ends_at and purpose_round.running:
        line += f" until {moment(purpose_round.stage_ends_at, timezone)}"
    return line


def render_round(session: Session, purpose_round: PurposeRound) -> Card:
    """The round's own message, as things stand."""
    collaborative = session.get(Collaborative, purpose_round.collaborative_id)
    assert collaborative is not None
    blocks: list[Any] = [
        Heading(text=f"Our shared purpose: {collaborative.name}"),
        Context(text=stage_line(purpose_round, collaborative.timezone)),
    ]
    blocks += _STAGE_BLOCKS[purpose_round.stage](session, purpose_round)
    blocks += participation_blocks(session, purpose_round)
    return Card(blocks=blocks, fallback=f"Purpose round #{purpose_round.number}")


def _gathering(session: Session, purpose_round: PurposeRound) -> list[Any]:
    count = _proposal_count(session, purpose_round)
    return [
        Text(text="Help us say what this partnership is for. Think about:"),
        *(Text(text=f"• {prompt}") for prompt in purpose_round.prompts),
        Context(
            text=f"Propose up to {rounds.PROPOSALS_EACH} statements of at most "
            f"{rounds.MAX_PROPOSAL} characters each; you can change them until gathering "
            f"closes. {count} proposal{'s' * (count != 1)} so far."
        ),
        Actions(elements=[propose_button(purpose_round), change_button(purpose_round)]),
    ]


def _grouping(session: Session, purpose_round: PurposeRound) -> list[Any]:
    groups = rounds.groups_of(session, purpose_round)
    return [
        Text(
            text=f"The {_proposal_count(session, purpose_round)} proposals fall into "
            f"{len(groups)} theme{'s' * (len(groups) != 1)}, listed in the channel's themes "
            "message. Next, members dot-vote the themes to shortlist."
        ),
        _editor_button(purpose_round, "Adjust the groups (coordinators)"),
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
                    text=f"Revision {purpose_round.revisions} of at most {rounds.MAX_REVISIONS}."
                )
            )
    if poll is not None:
        blocks.append(Text(text=f"Vote in poll #{poll.number}, posted below."))
    return blocks


def _drafting(session: Session, purpose_round: PurposeRound) -> list[Any]:
    shortlisted = [g for g in rounds.groups_of(session, purpose_round) if g.shortlisted]
    return [
        Text(text="Shortlisted themes and their draft statements:"),
        *(Text(text=f"{g.position}. {g.title} — “{g.draft}”") for g in shortlisted),
        Context(text="Next, members rank the drafts."),
        _editor_button(purpose_round, "Edit the drafts (coordinators)"),
    ]


def _revising(session: Session, purpose_round: PurposeRound) -> list[Any]:
    return [
        Text(
            text=f"“{purpose_round.draft}” drew objections; each says the harm it sees and "
            "what would resolve it, on the poll."
        ),
        Context(
            text=f"Coordinators revise it and ask for consent again "
            f"(revision {purpose_round.revisions + 1} of at most {rounds.MAX_REVISIONS})."
        ),
    ]


def _adopted(session: Session, purpose_round: PurposeRound) -> list[Any]:
    return [Text(text=f"“{purpose_round.purpose}”")]


def _needs_conversation(session: Session, purpose_round: PurposeRound) -> list[Any]:
    return [
        Text(
            text=f"After {rounds.MAX_REVISIONS} revisions, “{purpose_round.draft}” still draws "
            "objections. Another vote won't settle it: the partners need to talk it through, "
            "then a coordinator can start a new round with `purpose start`."
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
    label: str = "Propose",
    style: Literal["default", "primary", "danger"] = "primary",
) -> Button:
    return Button(
        label=label,
        action=RequestForm(FormKind.PROPOSAL, purpose_round.id).encode(),
        style=style,
        spoken=f"{label}: a statement for purpose round #{purpose_round.number}",
    )


def change_button(purpose_round: PurposeRound) -> Button:
    return Button(
        label="Change my proposals",
        action=RequestForm(FormKind.PROPOSALS, purpose_round.id).encode(),
        spoken=f"Change my proposals in purpose round #{purpose_round.number}",
    )


def _editor_button(purpose_round: PurposeRound, label: str) -> Actions:
    spoken = f"{label}: purpose round #{purpose_round.number}"
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
    return [Context(text=f"{what}, by organisation (of its members):"), Fields(items=items)]


def took_part(session: Session, purpose_round: PurposeRound) -> tuple[str, list[FieldItem]]:
    """Who has taken part so far, by organisation: the voters of the stage's poll while
    one runs, else the proposers."""
    poll_id = purpose_round.current_poll_id if purpose_round.stage in rounds.POLL_STAGES else None
    if poll_id:
        what, counted = "Voted so far", voters_by_organisation(session, poll_id)
    else:
        what, counted = "Proposed", proposers_by_organisation(session, purpose_round)
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


# The groups


def render_groups(session: Session, purpose_round: PurposeRound) -> Card:
    """Every theme with its statements (no names: what was said, not who said it)."""
    groups = rounds.groups_of(session, purpose_round)
    statements = _statements_by_group(session, purpose_round)
    blocks: list[Any] = [Heading(text=f"Themes from purpose round #{purpose_round.number}")]
    for group in groups:
        inside = statements.get(group.id or 0, [])
        if len(inside) == 1 and group.title == rounds.clipped(inside[0].text, rounds.MAX_TITLE):
            # A theme of one statement, titled by it: the statement, once and in full.
            blocks.append(Text(text=f"{group.position}. {inside[0].text}"))
            continue
        blocks.append(
            Text(
                text=f"{group.position}. {group.title} ({len(inside)} statement"
                f"{'s' * (len(inside) != 1)})"
            )
        )
        blocks.append(Text(text="\n".join(f"• {p.text}" for p in inside), tone="muted"))
    return Card(blocks=blocks, fallback=f"Themes from purpose round #{purpose_round.number}")


def render_editor(session: Session, purpose_round: PurposeRound) -> Card:
    """The coordinators' private view: each group with its buttons."""
    groups = rounds.groups_of(session, purpose_round)
    statements = _statements_by_group(session, purpose_round)
    structure = purpose_round.stage == rounds.GROUPING
    blocks: list[Any] = [
        Heading(text=f"Adjust the groups of purpose round #{purpose_round.number}"),
        Context(
            text="Rename a group, edit its draft statement, move statements between groups "
            "or into a new one, or merge two groups."
            if structure
            else "The shortlist is chosen: edit the titles and draft statements members will rank."
        ),
    ]
    for group in groups:
        if not structure and not group.shortlisted:
            continue
        inside = statements.get(group.id or 0, [])
        blocks += [
            Divider(),
            Text(text=f"{group.position}. {group.title}"),
            Text(text="\n".join(f"• {p.text}" for p in inside), tone="muted"),
            Context(text=f"Draft: “{group.draft}”"),
        ]
        elements: list[Any] = [
            Button(
                label="Edit",
                action=RequestForm(FormKind.GROUP, group.id).encode(),
                spoken=f"Edit group {group_label(group)}",
            )
        ]
        others = [g for g in groups if g.id != group.id]
        if structure and others:
            elements.append(
                Select(
                    placeholder="Merge into…",
                    spoken=f"Merge {group_label(group)} into another group",
                    choices=[
                        Choice(
                            label=group_label(g),
                            value=Merge(group.id, g.id).encode(),
                            spoken=f"Merge {group_label(group)} into {group_label(g)}",
                        )
                        for g in others
                    ],
                )
            )
        blocks.append(Actions(elements=elements))
    return Card(blocks=blocks, fallback="Adjust the groups")


def _statements_by_group(session: Session, purpose_round: PurposeRound) -> dict[int, list]:
    by_group: dict[int, list[Proposal]] = {}
    for proposal in rounds.proposals_of(session, purpose_round):
        by_group.setdefault(proposal.group_id or 0, []).append(proposal)
    return by_group


def render_adopted(session: Session, purpose_round: PurposeRound) -> Card:
    collaborative = session.get(Collaborative, purpose_round.collaborative_id)
    assert collaborative is not None and purpose_round.ended_at is not None
    adopted = describe(purpose_round.ended_at, collaborative.timezone)
    return Card(
        blocks=[
            Heading(text=f"The shared purpose of {collaborative.name}"),
            Text(text=f"“{purpose_round.purpose}”"),
            Context(
                text=f"Adopted by consent {adopted} in purpose round #{purpose_round.number}. "
                "`purpose show` shows it any time."
            ),
        ],
        fallback=f"Our shared purpose: {purpose_round.purpose}",
    )


def group_label(group: ProposalGroup) -> str:
    return f"{group.position}. {group.title}"


def revision_notes(session: Session, purpose_round: PurposeRound) -> list[str]:
    """What the revision form shows above its input: the draft that drew objections, and
    each objection's harm and what would resolve it."""
    poll = (
        session.get(Poll, purpose_round.current_poll_id) if purpose_round.current_poll_id else None
    )
    drew = [f"The statement now: “{purpose_round.draft}”"] if purpose_round.draft else []
    if poll is None or poll.type != "consent":
        return drew
    return [*drew, *objection_lines(compute(session, poll), poll.number)]


def revise_card(purpose_round: PurposeRound, poll: Poll, result: dict[str, Any]) -> Card:
    """The coordinators' note that consent failed: the reasons given, and the button to revise."""
    reasons = objection_lines(result, poll.number)
    shown = "\n".join(f"• {reason}" for reason in reasons)
    why = [Text(text=shown or "Nobody responded to the consent poll.")]
    return Card(
        blocks=[
            Text(
                text=f"Poll #{poll.number} didn't reach consent on “{purpose_round.draft}”.",
                tone="warning",
            ),
            *why,
            Context(
                text=(
                    "Revise the statement to meet the objections and ask for consent again "
                    if reasons  # with none, nobody answered: there are no objections to meet
                    else "Ask for consent again, revising the statement if that would help "
                )
                + f"(revision {purpose_round.revisions + 1} of at most {rounds.MAX_REVISIONS})."
            ),
            Actions(
                elements=[
                    Button(
                        label="Revise the statement",
                        action=RequestForm(FormKind.REVISION, purpose_round.id).encode(),
                        style="primary",
                        spoken=f"Revise the statement of purpose round #{purpose_round.number}",
                    )
                ]
            ),
        ],
        fallback="The purpose statement needs revising",
    )
