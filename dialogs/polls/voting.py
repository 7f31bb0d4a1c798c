"""Casting a vote in any kind of poll: who may vote, the buttons, consent and its
objection form, adding an option, and recording a ballot with its confirmation.

Every action names a poll (and perhaps an option) and is untrusted: each is re-checked
here — the poll belongs to this channel's collaborative, is open (not merely scheduled) and
before its deadline, the person may vote, the option belongs to the poll.

A member's latest ballot replaces the one before, which is kept as history; the database
allows one latest ballot per member per poll. An anonymous ballot carries no member, no
time and a random id; who voted is recorded apart, so the vote can't be changed.

Ranked, score and dots polls are voted in a form (`dialogs.polls.ballot_forms`),
which records through `record` here; many clicks at once go through
`dialogs.polls.vote_batch`, which shares the rules below.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, select

from dialogs.core import effects, readable
from dialogs.core.actions import FormKind, ReasonSubmit, SubmitForm
from dialogs.core.cards import ActorModel, Card, Form, OpenForm, Text, TextInput, submitted_text
from dialogs.core.language import N_, _
from dialogs.core.messages import poll_key, round_key
from dialogs.core.poll_types import NEEDS_REASON, STANCE_LABELS, STANCES
from dialogs.core.turn import Refusal, Turn, said
from dialogs.polls import receipts
from dialogs.polls.objections import HARM_QUESTION, RESOLVE_QUESTION
from dialogs.polls.render import result_blocks
from dialogs.polls.results import compute, has_voted, labels, options
from dialogs.polls.setup import MAX_OPTIONS, check_option
from dialogs.polls.vote_refusals import (
    not_this_collaboratives_poll,
    not_this_polls_option,
    vote_refusal,
)
from storage.database import insert_row
from storage.models import (
    LATEST_BALLOT,
    Ballot,
    Collaborative,
    Member,
    Participation,
    Poll,
    PollOption,
    PurposeRound,
    new_ballot_id,
    new_receipt,
)

MAX_REASON = 1000  # characters in each of an objection's two answers
HARM, RESOLVE = "harm", "resolve"  # the objection form's inputs
BUTTON_TYPES = ("single", "multi")
NOT_A_RESPONSE = N_("That response isn't part of this poll.")


def checked_voter(turn: Turn, poll_id: int) -> tuple[Collaborative, Member, Poll]:
    """The collaborative, member and poll of a vote the member may cast now, or a Refusal."""
    collaborative, member = turn.in_collaborative()
    poll = poll_in(turn, collaborative, poll_id)
    participated = bool(poll.settings.get("anonymous")) and has_voted(turn.session, poll, member)
    if refusal := vote_refusal(collaborative, member, poll, turn.now, participated):
        raise refusal
    return collaborative, member, poll


def poll_in(turn: Turn, collaborative: Collaborative, poll_id: int) -> Poll:
    poll = turn.session.get(Poll, poll_id)
    # A poll of another collaborative is answered exactly like a missing one.
    if poll is None or poll.collaborative_id != collaborative.id:
        raise not_this_collaboratives_poll()
    return poll


def own_ballot(session: Session, poll: Poll, member: Member) -> Ballot | None:
    """The member's current ballot (None in an anonymous poll: nothing links it back)."""
    if poll.settings.get("anonymous"):
        return None
    return session.exec(
        select(Ballot).where(
            Ballot.poll_id == poll.id, Ballot.member_id == member.id, LATEST_BALLOT
        )
    ).first()


# Buttons


def vote(turn: Turn, poll_id: int, option_id: int) -> None:
    """A single- or several-choice button."""
    __, member, poll = checked_voter(turn, poll_id)
    choices = options(turn.session, poll)
    option = next((each for each in choices if each.id == option_id), None)
    if poll.type not in BUTTON_TYPES or option is None:
        raise not_this_polls_option()
    previous = own_ballot(turn.session, poll, member)
    current = own_choices(previous.choices, previous.cast_by) if previous else None
    chosen = button_choice(poll, option, current or [])
    if current is not None and chosen == current:
        turn.reply(already_chosen(option))
        return
    done = voted_for([each.label for each in choices], chosen)
    record(turn, poll, member, chosen, done, previous)


def button_choice(poll: Poll, option: PollOption, current: list[int]) -> list[int]:
    """The member's choices after clicking `option`, given their `current` ones."""
    if poll.type == "single":
        return [option.position]
    if option.position in current:  # several choices: a second click takes it back
        return [p for p in current if p != option.position]
    if len(current) >= poll.settings["max"]:
        raise Refusal(
            _("You can choose at most {count} in this poll.").format(count=poll.settings["max"]),
            _("Click one of your choices again to take it back first."),
        )
    return sorted([*current, option.position])


def own_choices(choices: list[int], cast_by: int | None) -> list[int] | None:
    """The choices a member's click starts from: their own, or None when their deputy cast
    the ballot (the member's own vote replaces a deputy's; it never builds on it)."""
    return choices if cast_by is None else None


def already_chosen(option: PollOption) -> Card:
    return said(_("You already voted for “{option}”.").format(option=option.label))


def voted_for(names: list[str], chosen: list[int], deputy: str = "") -> str:
    """How a confirmation names the choice: "You voted “B”", or "" when all were taken back;
    to the member a `deputy` voted for, "Ben, your deputy, voted “B” for you"."""
    if not chosen:
        return ""
    choices = ", ".join(f"“{names[p]}”" for p in chosen)
    if deputy:
        return _("{deputy}, your deputy, voted {choices} for you").format(
            deputy=deputy, choices=choices
        )
    return _("You voted {choices}").format(choices=choices)


def stance(turn: Turn, poll_id: int, chosen: str, harm: str = "", resolve: str = "") -> None:
    """A consent poll's Agree / Can live with it (Object and Block come with the harm they
    see and what would resolve it)."""
    __, member, poll = checked_voter(turn, poll_id)
    if poll.type != "consent" or chosen not in STANCES:
        raise Refusal(_(NOT_A_RESPONSE), _("Use the poll's own buttons."))
    if chosen in NEEDS_REASON and not (harm and resolve):
        raise Refusal(
            _(
                "{stance} needs the harm you see and what would resolve it, "
                "which everyone will see."
            ).format(stance=_(STANCE_LABELS[chosen]))
        )
    done = _("You responded “{choices}”").format(choices=_(STANCE_LABELS[chosen]))
    content = [chosen, harm, resolve]
    record(turn, poll, member, content, done, own_ballot(turn.session, poll, member))


# Consent's reasoned objection form, and adding an option


def open_reason_form(
    turn: Turn,
    poll_id: int,
    chosen: str,
    error: str | None = None,
    typed: tuple[str, str] = ("", ""),
) -> None:
    """The form Object and Block open: the harm to our aim, and what would resolve it."""
    poll = checked_voter(turn, poll_id)[2]
    if poll.type != "consent" or chosen not in NEEDS_REASON:
        raise Refusal(_(NOT_A_RESPONSE))
    seen = _("everyone will see it, without your name if the poll is anonymous")
    asked = ((HARM, _(HARM_QUESTION) + f" ({seen})"), (RESOLVE, _(RESOLVE_QUESTION)))
    turn.replies.append(
        OpenForm(
            actor=ActorModel.of(turn.actor),
            form=Form(
                title=_("{stance}: poll #{number}").format(
                    stance=_(STANCE_LABELS[chosen]), number=poll.number
                ),
                action=ReasonSubmit(poll.id, chosen).encode(),
                submit_label=_(STANCE_LABELS[chosen]),
                error=error,
                inputs=[
                    TextInput(
                        name=name, label=label, value=value, multiline=True, max_length=MAX_REASON
                    )
                    for (name, label), value in zip(asked, typed, strict=True)
                ],
            ),
        )
    )


def submit_reason(turn: Turn, poll_id: int, chosen: str, values: dict[str, Any]) -> None:
    harm, resolve = (" ".join(submitted_text(values.get(name)).split()) for name in (HARM, RESOLVE))
    if problem := _reason_problem(harm, resolve):
        open_reason_form(turn, poll_id, chosen, problem, (harm, resolve))
        return
    stance(turn, poll_id, chosen, harm, resolve)


def _reason_problem(harm: str, resolve: str) -> str | None:
    """What is missing or too long in an objection's two answers, or None."""
    if not harm:
        return _("Say what harm this would do to our aim: it helps the group revise the proposal.")
    if not resolve:
        return _("Say what would resolve it: it shows the group a way forward.")
    too_long = (
        (harm, N_("The harm is {count} characters; the most is {most}.")),
        (
            resolve,
            N_("The answer on what would resolve it is {count} characters; the most is {most}."),
        ),
    )
    for text, problem in too_long:
        if len(text) > MAX_REASON:
            return _(problem).format(count=f"{len(text):,}", most=f"{MAX_REASON:,}")
    return None


def open_option_form(turn: Turn, poll_id: int, error: str | None = None, typed: str = "") -> None:
    checked_voter(turn, poll_id)
    turn.replies.append(
        OpenForm(
            actor=ActorModel.of(turn.actor),
            form=Form(
                title=_("Add an option"),
                action=SubmitForm(FormKind.OPTION, poll_id).encode(),
                submit_label=_("Add"),
                error=error,
                inputs=[TextInput(name="option", label=_("Option"), value=typed, max_length=150)],
            ),
        )
    )


def submit_option(turn: Turn, poll_id: int, values: dict[str, Any]) -> None:
    collaborative, __, poll = checked_voter(turn, poll_id)
    if not poll.settings.get("open-options"):
        raise Refusal(_("Only the coordinator who started this poll sets its options."))
    typed = readable.tidy(str(values.get("option") or ""))
    existing = labels(turn.session, poll)
    try:
        if not typed:
            raise Refusal(_("Give the option some text."))
        if len(existing) >= MAX_OPTIONS:
            raise Refusal(
                _("This poll already has {count} options, the most there can be.").format(
                    count=MAX_OPTIONS
                )
            )
        check_option(typed, existing)
    except Refusal as problem:
        open_option_form(turn, poll_id, problem.problem, typed)
        return
    turn.session.add(PollOption(poll_id=poll.id, position=len(existing), label=typed))
    turn.session.flush()
    turn.audit(
        "poll.option",
        lambda: _("added “{option}” to poll #{number}").format(option=typed, number=poll.number),
        poll=poll.number,
    )
    effects.update_everywhere(turn.session, turn.now, collaborative, poll_key(poll))
    added = _("“{option}” is now an option in poll #{number}.")
    turn.say(added.format(option=typed, number=poll.number))


# Recording


def record(
    turn: Turn,
    poll: Poll,
    member: Member,
    content: Any,
    done: str,
    previous: Ballot | None,
    cast_by: Member | None = None,
) -> None:
    """Store the ballot in place of `previous` (the member's latest, if any) and confirm it;
    `done` names the choice ("You voted “B”"). `cast_by` is the deputy casting it for
    `member` (`dialogs.polls.proxy`), who is the one told."""
    session = turn.session
    collaborative = turn.in_collaborative()[0]
    ballot = new_ballot(poll, member, content, turn.now)
    ballot.cast_by = cast_by.id if cast_by else None
    turn.votes += 1
    if ballot.member_id is None:
        insert_row(session, ballot)
        # A plain insert: a second vote racing this one breaks the unique key, is run
        # again, and is refused as already cast.
        insert_row(session, participation(poll, member, turn.now))
    else:
        if previous is not None:
            session.execute(update(Ballot).where(Ballot.id == previous.id).values(latest=False))
        if content:
            insert_row(session, ballot)
        if previous is None:  # a changed vote was recorded as participation the first time
            insert_row(session, participation(poll, member, turn.now), unless_present=True)
    effects.update_everywhere(session, turn.now, collaborative, poll_key(poll))
    round_id = poll.settings.get("purpose_round")
    if round_id and (purpose_round := session.get(PurposeRound, round_id)) is not None:
        # A purpose round's message shows who has voted so far in its poll, by organisation.
        effects.update_everywhere(session, turn.now, collaborative, round_key(purpose_round))
    card = confirmation(poll, collaborative, content, done, turn.now, ballot.receipt)
    if poll.settings.get("results") == "after-vote":
        blocks = result_blocks(compute(session, poll), session, poll)
        card = card.model_copy(update={"blocks": [*card.blocks, *blocks]})
    turn.reply(card)


def new_ballot(poll: Poll, member: Member, content: Any, now: datetime) -> Ballot:
    return Ballot(**ballot_row(poll, member, content, now))


def ballot_row(poll: Poll, member: Member, content: Any, now: datetime) -> dict[str, Any]:
    """The ballot `member` casts, as a row: with no member and no time but a receipt when
    the poll is anonymous (the batch path stores rows like this without building objects)."""
    anonymous = bool(poll.settings.get("anonymous"))
    return {
        "id": new_ballot_id(),
        "poll_id": poll.id,
        "member_id": None if anonymous else member.id,
        "organisation_id": member.organisation_id,
        "choices": content,
        "latest": True,
        "cast_at": None if anonymous else now,
        "receipt": new_receipt() if anonymous else None,
    }


def confirmation(
    poll: Poll,
    collaborative: Collaborative,
    content: Any,
    done: str,
    now: datetime,
    receipt: str | None = None,
) -> Card:
    """What a voter is told privately once their vote is stored, naming their choice; with
    the `receipt` of an anonymous ballot (`dialogs.polls.receipts`)."""
    if poll.settings.get("anonymous"):
        return receipts.confirmation(poll, done, receipt)
    until = _until(poll, now, collaborative.timezone)
    message = (
        _("{vote} in poll #{number} — you can change it until {moment}.")
        if content
        else _("Your vote in poll #{number} is withdrawn — you can vote again until {moment}.")
    ).format(vote=done, number=poll.number, moment=until)
    return Card(blocks=[Text(text=message)], fallback=message)


def participation(poll: Poll, member: Member, now: datetime) -> Participation:
    return Participation(**participation_row(poll, member, now))


def participation_row(poll: Poll, member: Member, now: datetime) -> dict[str, Any]:
    return {"poll_id": poll.id, "member_id": member.id, "first_voted_at": now}


def _until(poll: Poll, now: datetime, timezone: str) -> str:
    """The deadline as people say it: "Fri 17:00", with the date once it is a week or more away."""
    if poll.closes_at is None:
        return _("the poll closes")  # "you can change it until the poll closes"
    zone = ZoneInfo(timezone)
    local, today = poll.closes_at.astimezone(zone), now.astimezone(zone).date()
    day = f"{local:%a}"
    if (local.date() - today).days > 6:
        day += f" {local.day} {local:%b}" + (f" {local.year}" if local.year != today.year else "")
    return f"{day} {local:%H:%M}"
