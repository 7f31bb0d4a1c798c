"""Members proposing purpose statements while a round gathers them.

Each member may make up to three proposals of at most 280 characters and change
or withdraw them until gathering closes. Every action names a round and is
untrusted: the round must be this channel's collaborative's, still gathering and
before its deadline. A refused submission comes back as the form with what was
typed, so nothing is lost. Each accepted text is embedded in the background as it
arrives (`dialogs.purpose.grouping.cluster.prepare_in_background`), so grouping at the
close is quick.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from dialogs.commands.when import describe
from dialogs.core import effects
from dialogs.core.actions import FormKind, SubmitForm
from dialogs.core.cards import (
    Actions,
    ActorModel,
    Card,
    Form,
    OpenForm,
    Text,
    TextInput,
    submitted_text,
)
from dialogs.core.language import N_, _, ngettext
from dialogs.core.messages import round_key
from dialogs.core.turn import Refusal, Turn
from dialogs.purpose import rounds
from dialogs.purpose.cards import change_button, propose_button
from storage.models import Collaborative, Member, Proposal, PurposeRound


def _gathering(turn: Turn, round_id: int) -> tuple[Collaborative, Member, PurposeRound]:
    collaborative, member = turn.in_collaborative()
    purpose_round = round_in(turn, collaborative, round_id)
    if purpose_round.stage != rounds.GATHERING or (
        purpose_round.stage_ends_at is not None and turn.now >= purpose_round.stage_ends_at
    ):
        closed = (
            _(
                "Gathering for purpose round #{number} closed {when}, so proposals can "
                "no longer be added or changed."
            )
            if purpose_round.stage_ends_at and turn.now >= purpose_round.stage_ends_at
            else _(
                "Gathering for purpose round #{number} has closed, so proposals can "
                "no longer be added or changed."
            )
        )
        ends = purpose_round.stage_ends_at
        raise Refusal(
            closed.format(
                number=purpose_round.number,
                when=describe(ends, collaborative.timezone) if ends else "",
            ),
            _(
                "Everything proposed before then is in the groups; type `purpose status` to see "
                "where the round is."
            ),
        )
    if member.role == "observer":
        raise Refusal(
            _("Observers follow the purpose round but do not propose."),
            _("Ask a coordinator to make you a member if you should."),
        )
    return collaborative, member, purpose_round


def round_in(turn: Turn, collaborative: Collaborative, round_id: int) -> PurposeRound:
    purpose_round = turn.session.get(PurposeRound, round_id)
    # Another collaborative's round is answered exactly like a missing one.
    if purpose_round is None or purpose_round.collaborative_id != collaborative.id:
        raise Refusal(
            _("That purpose round isn't part of this channel's collaborative."),
            _("Type `purpose status` to see this collaborative's round."),
        )
    return purpose_round


def _mine(turn: Turn, purpose_round: PurposeRound, member: Member) -> list[Proposal]:
    return list(
        turn.session.exec(
            select(Proposal)
            .where(Proposal.round_id == purpose_round.id, Proposal.member_id == member.id)
            .order_by(Proposal.id)
        ).all()
    )


def _one_at_a_time(turn: Turn, member: Member) -> None:
    """Lock the member's row until the turn commits: two submissions by one person at once
    (a double click, two devices) then take turns, and the second counts the first's
    proposal, so nobody gets a fourth. SQLite's writers take turns already; PostgreSQL's
    would both count two and both add one."""
    turn.session.exec(select(Member.id).where(Member.id == member.id).with_for_update()).one()


def _form(turn: Turn, form: Form) -> None:
    turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))


# A new proposal


def open_new(turn: Turn, round_id: int) -> None:
    __, member, purpose_round = _gathering(turn, round_id)
    if len(_mine(turn, purpose_round, member)) >= rounds.PROPOSALS_EACH:
        _refuse_fourth(turn, purpose_round)
        return
    _form(turn, new_form(purpose_round))


def new_form(purpose_round: PurposeRound, typed: str = "", error: str | None = None) -> Form:
    return Form(
        title=_("Propose a purpose"),
        action=SubmitForm(FormKind.PROPOSAL, purpose_round.id).encode(),
        submit_label=_("Propose"),
        error=error,
        inputs=[_input("text", _("Your proposal"), typed, purpose_round.prompts[0])],
    )


def _input(
    name: str, label: str, typed: str, placeholder: str = "", optional: bool = False
) -> TextInput:
    return TextInput(
        name=name,
        label=_("{label} ({most} characters at most)").format(
            label=label, most=rounds.MAX_PROPOSAL
        ),
        value=typed,
        placeholder=placeholder[:150],
        multiline=True,
        # A refused long text comes back whole, so the person can cut it down.
        max_length=max(rounds.MAX_PROPOSAL, len(typed)),
        optional=optional,
    )


def submit_new(turn: Turn, round_id: int, values: dict[str, Any]) -> None:
    collaborative, member, purpose_round = _gathering(turn, round_id)
    typed = submitted_text(values.get("text"))
    _one_at_a_time(turn, member)
    mine = _mine(turn, purpose_round, member)
    if len(mine) >= rounds.PROPOSALS_EACH:
        _refuse_fourth(turn, purpose_round, typed)
        return
    repeated = _key(typed) in {_key(p.text) for p in mine}
    problem = _problem(typed) or (_("You have already proposed that.") if repeated else None)
    if problem:
        _form(turn, new_form(purpose_round, typed, problem))
        return
    text = " ".join(typed.split())
    turn.session.add(
        Proposal(
            round_id=purpose_round.id,
            member_id=member.id,
            organisation_id=member.organisation_id,
            text=text,
            created_at=turn.now,
            updated_at=turn.now,
        )
    )
    _changed(turn, collaborative, purpose_round)
    rounds.load_grouping().prepare_in_background([text])
    left = rounds.PROPOSALS_EACH - len(mine) - 1
    turn.reply(
        Card(
            blocks=[
                Text(
                    text=_("Thank you: your proposal is in purpose round #{number}.").format(
                        number=purpose_round.number
                    )
                ),
                Text(
                    text=ngettext(
                        "You can change it until gathering closes, and propose {count} more.",
                        "You can change it until gathering closes, and propose {count} more.",
                        left,
                    ).format(count=left)
                    if left
                    else _("You can change it until gathering closes.")
                ),
                _buttons(purpose_round, more=left > 0),
            ],
            fallback=_("Your proposal is in"),
        )
    )


def _refuse_fourth(turn: Turn, purpose_round: PurposeRound, typed: str = "") -> None:
    wrote = _("What you wrote: {text}")
    kept = [Text(text=wrote.format(text=typed), tone="muted")] if typed else []
    turn.reply(
        Card(
            blocks=[
                Text(
                    text=_(
                        "You have made {most} proposals, the most each person "
                        "can make, so that every voice gets room."
                    ).format(most=rounds.PROPOSALS_EACH),
                    tone="warning",
                ),
                Text(text=_("To propose something else, change or withdraw one of yours.")),
                *kept,
                _buttons(purpose_round, more=False),
            ],
            fallback=_("You have made the most proposals"),
        )
    )


def _buttons(purpose_round: PurposeRound, more: bool) -> Actions:
    change = change_button(purpose_round)
    if not more:
        return Actions(elements=[change])
    another = propose_button(purpose_round, N_("Propose another"), "default")
    return Actions(elements=[another, change])


# Changing one's proposals


def open_mine(turn: Turn, round_id: int) -> None:
    __, member, purpose_round = _gathering(turn, round_id)
    mine = _mine(turn, purpose_round, member)
    if not mine:
        turn.reply(
            Card(
                blocks=[
                    Text(text=_("You haven't proposed anything in this round yet.")),
                    Actions(elements=[propose_button(purpose_round)]),
                ],
                fallback=_("No proposals yet"),
            )
        )
        return
    _form(turn, mine_form(purpose_round, {f"p{p.id}": p.text for p in mine}))


def mine_form(purpose_round: PurposeRound, typed: dict[str, str], error: str | None = None) -> Form:
    withdraw = _("Proposal {number} (empty it to withdraw)")
    return Form(
        title=_("Your proposals"),
        action=SubmitForm(FormKind.PROPOSALS, purpose_round.id).encode(),
        submit_label=_("Save"),
        error=error,
        inputs=[
            _input(name, withdraw.format(number=n), text, optional=True)
            for n, (name, text) in enumerate(typed.items(), 1)
        ],
    )


def submit_mine(turn: Turn, round_id: int, values: dict[str, Any]) -> None:
    collaborative, member, purpose_round = _gathering(turn, round_id)
    _one_at_a_time(turn, member)
    mine = _mine(turn, purpose_round, member)
    # Only the member's own proposals are looked up; any other field is ignored.
    typed = {f"p{p.id}": submitted_text(values.get(f"p{p.id}", p.text)) for p in mine}
    kept = [" ".join(t.split()) for t in typed.values() if t.strip()]
    problem = next((_problem(t) for t in typed.values() if t.strip() and _problem(t)), None)
    if problem is None and len({_key(t) for t in kept}) < len(kept):
        problem = _("Two of your proposals say the same thing; withdraw one by emptying it.")
    if problem:
        _form(turn, mine_form(purpose_round, typed, problem))
        return
    withdrawn = 0
    for proposal in mine:
        text = " ".join(typed[f"p{proposal.id}"].split())
        if not text:
            turn.session.delete(proposal)
            withdrawn += 1
        elif text != proposal.text:
            proposal.text, proposal.updated_at = text, turn.now
    _changed(turn, collaborative, purpose_round)
    rounds.load_grouping().prepare_in_background(kept)
    saved = (
        _("Your proposals are saved ({count} withdrawn).")
        if withdrawn
        else _("Your proposals are saved.")
    )
    turn.say(
        saved.format(count=withdrawn),
        _(
            "You have {count} in purpose round #{number}; you can change them "
            "until gathering closes."
        ).format(count=len(kept), number=purpose_round.number),
    )


def _changed(turn: Turn, collaborative: Collaborative, purpose_round: PurposeRound) -> None:
    turn.session.flush()
    effects.update_everywhere(turn.session, turn.now, collaborative, round_key(purpose_round))


def _problem(text: str) -> str | None:
    text = " ".join(text.split())
    if not text:
        return _("Write your proposal first: a sentence on what this partnership is for.")
    if len(text) > rounds.MAX_PROPOSAL:
        return _(
            "Your proposal is {length} characters; the most is {most}. "
            "Say the heart of it in a sentence or two."
        ).format(length=f"{len(text):,}", most=rounds.MAX_PROPOSAL)

    return None


def _key(text: str) -> str:
    return " ".join(text.casefold().split())
