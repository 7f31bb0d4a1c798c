"""Grouping a round's proposals by meaning, and coordinators adjusting the groups.

`group_round` runs `dialogs.purpose.grouping.cluster.group_proposals` over everything proposed and
stores at most seven groups, each titled by the phrase its statements share and
drafted as its most central statement. Coordinators then rename groups and edit drafts, move
statements between groups (or into a new one) and merge groups, from a private
editor; every such action names a group and is re-checked here.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from dialogs.core import audit, effects
from dialogs.core.actions import FormKind, SubmitForm, read_id
from dialogs.core.cards import (
    ActorModel,
    Choice,
    ChoiceInput,
    Form,
    OpenForm,
    TextInput,
    submitted_text,
)
from dialogs.core.language import N_, _, ngettext
from dialogs.core.messages import round_key
from dialogs.core.turn import Refusal, Turn
from dialogs.purpose import rounds
from dialogs.purpose.proposals import round_in
from dialogs.purpose.themes import render_editor
from storage.models import Collaborative, Proposal, ProposalGroup, PurposeRound

NEW_GROUP = "new"
_MISSING = {
    "title": N_("Give the group a title."),
    "draft": N_("Give the group a draft statement."),
}
_TOO_LONG = {
    "title": N_("The title is {length} characters; the most is {most}."),
    "draft": N_("The draft statement is {length} characters; the most is {most}."),
}


def group_round(session: Session, purpose_round: PurposeRound) -> list[ProposalGroup]:
    """Group every proposal of the round; return the groups, largest first."""
    proposals = rounds.proposals_of(session, purpose_round)
    texts = [p.text for p in proposals]
    groups = []
    for position, indices in enumerate(
        rounds.load_grouping().group_proposals(texts, rounds.MAX_GROUPS), 1
    ):
        members = [proposals[i] for i in indices]
        groups.append(_new_group(session, purpose_round, position, members, texts))
    return groups


def _new_group(
    session: Session,
    purpose_round: PurposeRound,
    position: int,
    members: list[Proposal],
    context: list[str],
) -> ProposalGroup:
    """A group titled by the phrase its statements share (`grouping.titles`), drafted as
    its most central statement."""
    texts = [p.text for p in members]
    grouping = rounds.load_grouping()
    central = texts[grouping.central_index(texts, list(range(len(texts))))]
    group = ProposalGroup(
        round_id=purpose_round.id,
        position=position,
        title=grouping.group_title(texts, rounds.MAX_TITLE, context)
        or rounds.clipped(central, rounds.MAX_TITLE),
        draft=central,
    )
    session.add(group)
    session.flush()
    for proposal in members:
        proposal.group_id = group.id
    return group


# The coordinators' editor


def _editing(turn: Turn, round_id: int) -> tuple[Collaborative, PurposeRound]:
    collaborative, __ = turn.require_coordinator(N_("adjust the groups"))
    purpose_round = round_in(turn, collaborative, round_id)
    if purpose_round.stage not in (rounds.GROUPING, rounds.DRAFTING):
        stage = rounds.STAGE_NAMES.get(purpose_round.stage, purpose_round.stage)
        raise Refusal(
            _(
                "The groups of purpose round #{number} can't be changed now: the round is {stage}."
            ).format(number=purpose_round.number, stage=_(stage)),
            _(
                "Groups are adjusted after gathering closes and before members vote on them; "
                "drafts, until members rank them."
            ),
        )
    return collaborative, purpose_round


def _group(turn: Turn, group_id: int) -> tuple[Collaborative, PurposeRound, ProposalGroup]:
    group = turn.session.get(ProposalGroup, group_id)
    if group is None:
        raise Refusal(_("That group isn't there any more."), _("Open the editor again."))
    collaborative, purpose_round = _editing(turn, group.round_id)
    return collaborative, purpose_round, group


def open_editor(turn: Turn, round_id: int) -> None:
    __, purpose_round = _editing(turn, round_id)
    turn.reply(render_editor(turn.session, purpose_round))


def open_group_form(turn: Turn, group_id: int) -> None:
    __, purpose_round, group = _group(turn, group_id)
    turn.replies.append(
        OpenForm(
            actor=ActorModel.of(turn.actor),
            form=group_form(turn.session, purpose_round, group, {}),
        )
    )


def group_form(
    session: Session,
    purpose_round: PurposeRound,
    group: ProposalGroup,
    typed: dict[str, Any],
    error: str | None = None,
) -> Form:
    inputs: list[Any] = [
        TextInput(
            name="title",
            label=_("Title"),
            value=typed.get("title", group.title),
            max_length=max(rounds.MAX_TITLE, len(typed.get("title", ""))),
        ),
        TextInput(
            name="draft",
            label=_("Draft statement"),
            value=typed.get("draft", group.draft),
            multiline=True,
            max_length=max(rounds.MAX_PROPOSAL, len(typed.get("draft", ""))),
        ),
    ]
    if purpose_round.stage == rounds.GROUPING:
        others = [g for g in rounds.groups_of(session, purpose_round) if g.id != group.id]
        inside = [p for p in rounds.proposals_of(session, purpose_round) if p.group_id == group.id]
        inputs += [
            ChoiceInput(
                name="move",
                label=_("Move these statements"),
                choices=[Choice(label=p.text, value=str(p.id)) for p in inside],
                value=typed.get("move", []),
                multiple=True,
            ),
            ChoiceInput(
                name="to",
                label=_("to"),
                choices=[
                    *(Choice(label=f"{g.position}. {g.title}", value=str(g.id)) for g in others),
                    Choice(label=_("a new group"), value=NEW_GROUP),
                ],
                value=[typed["to"]] if typed.get("to") else [],
            ),
        ]
    return Form(
        title=_("Group {position}").format(position=group.position),
        action=SubmitForm(FormKind.GROUP, group.id).encode(),
        submit_label=_("Save"),
        error=error,
        inputs=inputs,
    )


def submit_group(turn: Turn, group_id: int, values: dict[str, Any]) -> None:
    collaborative, purpose_round, group = _group(turn, group_id)
    typed = _typed(values)
    try:
        title = _checked(typed["title"], "title", rounds.MAX_TITLE)
        _unique_title(turn.session, purpose_round, group, title)
        draft = _checked(typed["draft"], "draft", rounds.MAX_PROPOSAL)
        moving, target = _moves(turn.session, purpose_round, group, typed)
    except Refusal as problem:
        form = group_form(turn.session, purpose_round, group, typed, problem.problem)
        turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))
        return
    renamed = (title, draft) != (group.title, group.draft)
    position, count = group.position, len(moving)
    if renamed:
        group.title, group.draft = title, draft
    if moving:
        if target is None:
            target = _new_group(turn.session, purpose_round, rounds.MAX_GROUPS + 1, moving)
        for proposal in moving:
            proposal.group_id = target.id

    def summary() -> str:
        changes: list[str] = []
        if renamed:
            renaming = _("renamed group {position} “{title}”")
            changes.append(renaming.format(position=position, title=title))
        if count:
            moved = ngettext("moved {count} statement", "moved {count} statements", count)
            changes.append(moved.format(count=count))
        return "; ".join(changes) or _("saved a group unchanged")

    _changed(turn, collaborative, purpose_round, summary)


def merge(turn: Turn, group_id: int, into_id: int) -> None:
    collaborative, purpose_round, group = _group(turn, group_id)
    if into_id == group_id:
        raise Refusal(
            _("A group can't be merged into itself."), _("Choose another group to merge into.")
        )
    into = turn.session.get(ProposalGroup, into_id)
    if into is None or into.round_id != purpose_round.id:
        raise Refusal(_("That group isn't there any more."), _("Open the editor again."))
    if purpose_round.stage != rounds.GROUPING:
        raise Refusal(_("Groups can only be merged before members vote on them."))
    for proposal in rounds.proposals_of(turn.session, purpose_round):
        if proposal.group_id == group.id:
            proposal.group_id = into.id
    merged = {"position": group.position, "title": group.title, "other": into.title}
    _changed(
        turn,
        collaborative,
        purpose_round,
        lambda: _("merged group {position} “{title}” into “{other}”").format(**merged),
    )


def _changed(
    turn: Turn, collaborative: Collaborative, purpose_round: PurposeRound, summary: audit.Wording
) -> None:
    """Drop emptied groups, number the rest, and show the change everywhere."""
    session = turn.session
    session.flush()
    used = {p.group_id for p in rounds.proposals_of(session, purpose_round)}
    position = 0
    for group in rounds.groups_of(session, purpose_round):
        if group.id not in used:
            session.delete(group)
        else:
            position += 1
            group.position = position
    session.flush()
    turn.audit(
        "purpose.groups",
        lambda: _("purpose round #{number}: {summary}").format(
            number=purpose_round.number, summary=summary()
        ),
    )
    for key in (round_key(purpose_round), round_key(purpose_round, "groups")):
        effects.update_everywhere(session, turn.now, collaborative, key)
    turn.reply(render_editor(session, purpose_round))


def _typed(values: dict[str, Any]) -> dict[str, Any]:
    move = values.get("move") or []
    if isinstance(move, str):  # Teams sends a multi-select's choices comma-joined
        move = [m for m in move.split(",") if m]
    return {
        "title": submitted_text(values.get("title")),
        "draft": submitted_text(values.get("draft")),
        "move": [m for m in move if isinstance(m, str)],
        "to": submitted_text(values.get("to")),
    }


def _checked(text: str, field: str, limit: int) -> str:
    """`text` tidied, or a refusal naming `field` ("title" or "draft")."""
    text = " ".join(text.split())
    if not text:
        raise Refusal(_(_MISSING[field]))
    if len(text) > limit:
        raise Refusal(_(_TOO_LONG[field]).format(length=f"{len(text):,}", most=limit))
    return text


def _unique_title(
    session: Session, purpose_round: PurposeRound, group: ProposalGroup, title: str
) -> None:
    others = [g for g in rounds.groups_of(session, purpose_round) if g.id != group.id]
    if any(g.title.casefold() == title.casefold() for g in others):
        raise Refusal(
            _("Another group is already called “{title}”.").format(title=title),
            _("Give each group its own title."),
        )


def _moves(
    session: Session, purpose_round: PurposeRound, group: ProposalGroup, typed: dict[str, Any]
) -> tuple[list[Proposal], ProposalGroup | None]:
    """The statements to move and where to (None: a new group); the choices are untrusted."""
    if purpose_round.stage != rounds.GROUPING or not typed["move"]:
        return [], None
    inside = {
        str(p.id): p for p in rounds.proposals_of(session, purpose_round) if p.group_id == group.id
    }
    if any(m not in inside for m in typed["move"]):
        raise Refusal(_("One of those statements isn't in this group any more."))
    if not typed["to"]:
        raise Refusal(_("Choose where to move the statements."))
    if typed["to"] == NEW_GROUP:
        if len(rounds.groups_of(session, purpose_round)) >= rounds.MAX_GROUPS:
            raise Refusal(
                _(
                    "There are already {most} groups, the most that helps people "
                    "choose; merge two first."
                ).format(most=rounds.MAX_GROUPS)
            )
        return [inside[m] for m in typed["move"]], None
    chosen = read_id(typed["to"])
    target = session.get(ProposalGroup, chosen) if chosen is not None else None
    if target is None or target.round_id != purpose_round.id:
        raise Refusal(_("That group isn't there any more."))
    if target.id == group.id:
        raise Refusal(_("Those statements are already in this group."))

    return [inside[m] for m in typed["move"]], target
