"""The themes of a purpose round: the channel's list of them, and the coordinators' editor."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from dialogs.core.actions import FormKind, Merge, RequestForm
from dialogs.core.cards import (
    Actions,
    Button,
    Card,
    Choice,
    Context,
    Divider,
    Heading,
    Select,
    Text,
)
from dialogs.core.language import _, ngettext
from dialogs.purpose import rounds
from storage.models import Proposal, ProposalGroup, PurposeRound


def render_groups(session: Session, purpose_round: PurposeRound) -> Card:
    """Every theme with its statements (no names: what was said, not who said it)."""
    groups = rounds.groups_of(session, purpose_round)
    statements = _statements_by_group(session, purpose_round)
    heading = _("Themes from purpose round #{number}").format(number=purpose_round.number)
    blocks: list[Any] = [Heading(text=heading)]
    for group in groups:
        inside = statements.get(group.id or 0, [])
        if len(inside) == 1 and group.title == rounds.clipped(inside[0].text, rounds.MAX_TITLE):
            # A theme of one statement, titled by it: the statement, once and in full.
            blocks.append(Text(text=f"{group.position}. {inside[0].text}"))
            continue
        counted = ngettext(
            "{position}. {title} ({count} statement)",
            "{position}. {title} ({count} statements)",
            len(inside),
        )
        blocks.append(
            Text(text=counted.format(position=group.position, title=group.title, count=len(inside)))
        )
        blocks.append(Text(text="\n".join(f"• {p.text}" for p in inside), tone="muted"))
    return Card(blocks=blocks, fallback=heading)


def render_editor(session: Session, purpose_round: PurposeRound) -> Card:
    """The coordinators' private view: each group with its buttons."""
    groups = rounds.groups_of(session, purpose_round)
    statements = _statements_by_group(session, purpose_round)
    structure = purpose_round.stage == rounds.GROUPING
    blocks: list[Any] = [
        Heading(
            text=_("Adjust the groups of purpose round #{number}").format(
                number=purpose_round.number
            )
        ),
        Context(
            text=_(
                "Rename a group, edit its draft statement, move statements between groups "
                "or into a new one, or merge two groups."
            )
            if structure
            else _(
                "The shortlist is chosen: edit the titles and draft statements members will rank."
            )
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
            Context(text=_("Draft: “{draft}”").format(draft=group.draft)),
        ]
        elements: list[Any] = [
            Button(
                label=_("Edit"),
                action=RequestForm(FormKind.GROUP, group.id).encode(),
                spoken=_("Edit group {group}").format(group=group_label(group)),
            )
        ]
        others = [g for g in groups if g.id != group.id]
        if structure and others:
            elements.append(_merge_menu(group, others))
        blocks.append(Actions(elements=elements))
    return Card(blocks=blocks, fallback=_("Adjust the groups"))


def _merge_menu(group: ProposalGroup, others: list[ProposalGroup]) -> Select:
    label = group_label(group)
    return Select(
        placeholder=_("Merge into…"),
        spoken=_("Merge {group} into another group").format(group=label),
        choices=[
            Choice(
                label=group_label(g),
                value=Merge(group.id, g.id).encode(),
                spoken=_("Merge {group} into {other}").format(group=label, other=group_label(g)),
            )
            for g in others
        ],
    )


def _statements_by_group(session: Session, purpose_round: PurposeRound) -> dict[int, list]:
    by_group: dict[int, list[Proposal]] = {}
    for proposal in rounds.proposals_of(session, purpose_round):
        by_group.setdefault(proposal.group_id or 0, []).append(proposal)
    return by_group


def group_label(group: ProposalGroup) -> str:
    return f"{group.position}. {group.title}"
