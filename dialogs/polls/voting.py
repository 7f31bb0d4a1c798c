"""Casting a vote in any kind of poll, by button or by form.

Every action names a poll (and perhaps an option) and is untrusted: each is
re-checked here — the poll belongs to this channel's collaborative, is open and
before its deadline, the person may vote, the option belongs to the poll.

A member's latest ballot replaces the one before, which is kept as history;
the database allows one latest ballot per member per poll. An anonymous ballot
carries no member, no time and a random id; who voted is recorded apart, so
the vote can't be changed (nothing links it back to be replaced).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import select

from dialogs.commands.when import describe
from dialogs.core import effects
from dialogs.core.cards import (
    ActorModel,
    Card,
    Choice,
    ChoiceInput,
    Form,
    OpenForm,
    Text,
    TextInput,
)
from dialogs.core.messages import round_key
from dialogs.core.turn import Refusal, Turn, said
from dialogs.polls.results import compute, labels, options, result_blocks
from dialogs.polls.setup import MAX_OPTIONS, check_option, message_key
from dialogs.polls.types import NEEDS_REASON, SCORE_MAX, SCORE_MIN, STANCE_LABELS, STANCES
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
)

MAX_REASON = 1000
BUTTON_TYPES = ("single", "multi")


def _voting(turn: Turn, poll_id: int) -> tuple[Collaborative, Member, Poll]:
    collaborative, member = turn.in_collaborative()
    poll = poll_in(turn, collaborative, poll_id)
    participated = bool(poll.settings.get("anonymous")) and _participated(turn, poll, member)
    if refusal := vote_refusal(collaborative, member, poll, turn.now, participated):
        raise refusal
    return collaborative, member, poll


def vote_refusal(
    collaborative: Collaborative, member: Member, poll: Poll, now: datetime, participated: bool
) -> Refusal | None:
    """Why `member` may not vote in `poll` now, or None; `participated` matters when anonymous."""
    if poll.closes_at is not None and now >= poll.closes_at and poll.status == "open":
        # The deadline has passed even if its timer hasn't fired yet: a deadline is a deadline.
        return Refusal(
            f"Poll #{poll.number} closed {describe(poll.closes_at, collaborative.timezone)}.",
            "Its result is posted in every linked channel.",
        )
    if poll.status != "open":
        return Refusal(
            f"Poll #{poll.number} is closed; votes can no longer be changed.",
            f"See the result with `poll results {poll.number}`.",
        )
    if member.role == "observer":
        return Refusal(
            "Observers see polls but do not vote.",
            "Ask a coordinator to make you a member if you should vote.",
        )
    if collaborative.require_organisation and member.organisation_id is None:
        return Refusal(
            "Say which organisation you belong to before you vote.",
            'Type `org join "Name"` (see `org list`).',
        )
    if poll.settings.get("anonymous") and participated:
        return Refusal(
            f"You have already voted in poll #{poll.number}.",
            "It is anonymous, so votes can't be changed: nothing links yours back to you.",
        )
    return None


def poll_in(turn: Turn, collaborative: Collaborative, poll_id: int) -> Poll:
    poll = turn.session.get(Poll, poll_id)
    # A poll of another collaborative is answered exactly like a missing one.
    if poll is None or poll.collaborative_id != collaborative.id:
        raise not_this_collaboratives_poll()
    return poll


def not_this_collaboratives_poll() -> Refusal:
    return Refusal(
        "That poll isn't part of this channel's collaborative.",
        "Type `poll list` to see this collaborative's polls.",
    )


def _participated(turn: Turn, poll: Poll, member: Member) -> bool:
    return (
        turn.session.exec(
            select(Participation.id).where(
                Participation.poll_id == poll.id, Participation.member_id == member.id
            )
        ).first()
        is not None
    )


def _latest(turn: Turn, poll: Poll, member: Member) -> Ballot | None:
    if poll.settings.get("anonymous"):
        return None
    return turn.session.exec(
        select(Ballot).where(
            Ballot.poll_id == poll.id, Ballot.member_id == member.id, LATEST_BALLOT
        )
    ).first()


# Buttons


def vote(turn: Turn, poll_id: int, option_id: int) -> None:
    """A single- or several-choice button."""
    _, member, poll = _voting(turn, poll_id)
    choices = options(turn.session, poll)
    option = next((each for each in choices if each.id == option_id), None)
    if poll.type not in BUTTON_TYPES or option is None:
        raise not_this_polls_option()
    previous = _latest(turn, poll, member)
    chosen = button_choice(poll, option, previous.choices if previous else [])
    if previous is not None and chosen == previous.choices:
        turn.reply(already_chosen(option))
        return
    done = voted_for([each.label for each in choices], chosen)
    _record(turn, poll, member, chosen, done, previous)


def button_choice(poll: Poll, option: PollOption, current: list[int]) -> list[int]:
    """The member's choices after clicking `option`, given their `current` ones."""
    if poll.type == "single":
        return [option.position]
    if option.position in current:  # several choices: a second click takes it back
        return [p for p in current if p != option.position]
    if len(current) >= poll.settings["max"]:
        raise Refusal(
            f"You can choose at most {poll.settings['max']} in this poll.",
            "Click one of your choices again to take it back first.",
        )
    return sorted([*current, option.position])


def not_this_polls_option() -> Refusal:
    return Refusal("That option isn't part of this poll.", "Use the poll's own buttons.")


def already_chosen(option: PollOption) -> Card:
    return said(f"You already voted for “{option.label}”.")


def voted_for(names: list[str], chosen: list[int]) -> str:
    """How a confirmation names the choice: "You voted “B”", or "" when all were taken back."""
    return "You voted " + ", ".join(f"“{names[p]}”" for p in chosen) if chosen else ""


def stance(turn: Turn, poll_id: int, chosen: str, reason: str = "") -> None:
    """A consent poll's Agree / Can live with it (Object and Block come with a reason)."""
    _, member, poll = _voting(turn, poll_id)
    if poll.type != "consent" or chosen not in STANCES:
        raise Refusal("That response isn't part of this poll.", "Use the poll's own buttons.")
    if chosen in NEEDS_REASON and not reason:
        raise Refusal(f"{STANCE_LABELS[chosen]} needs a reason, which everyone will see.")
    done = f"You responded “{STANCE_LABELS[chosen]}”"
    _record(turn, poll, member, [chosen, reason], done, _latest(turn, poll, member))


# Forms


def open_ballot_form(turn: Turn, poll_id: int) -> None:
    _, member, poll = _voting(turn, poll_id)
    previous = _latest(turn, poll, member)
    turn.replies.append(
        OpenForm(
            actor=ActorModel.of(turn.actor), form=ballot_form(turn, poll, _prefill(poll, previous))
        )
    )


def ballot_form(turn: Turn, poll: Poll, values: dict[str, str], error: str | None = None) -> Form:
    names = labels(turn.session, poll)
    choices = [Choice(label=name, value=str(i)) for i, name in enumerate(names)]

    def chosen(name: str) -> list[str]:
        return [values[name]] if values.get(name) else []

    if poll.type == "ranked":
        inputs: list[Any] = [
            ChoiceInput(
                name=f"rank{n}",
                label=_ordinal(n + 1) + " choice",
                choices=choices,
                value=chosen(f"rank{n}"),
            )
            for n in range(len(names))
        ]
        title = "Rank the options (leave the rest blank)"
    elif poll.type == "score":
        scale = [Choice(label=str(s), value=str(s)) for s in range(SCORE_MIN, SCORE_MAX + 1)]
        inputs = [
            ChoiceInput(name=f"score{i}", label=name, choices=scale, value=chosen(f"score{i}"))
            for i, name in enumerate(names)
        ]
        title = f"Score each option from {SCORE_MIN} to {SCORE_MAX}"
    else:
        inputs = [
            TextInput(
                name=f"dots{i}",
                label=name,
                value=values.get(f"dots{i}", ""),
                placeholder="0",
                max_length=3,
                optional=True,
            )
            for i, name in enumerate(names)
        ]
        title = f"Spread up to {poll.settings['dots']} dots"
    return Form(
        title=f"Poll #{poll.number}: {title}",
        action=f"submit:ballot:{poll.id}",
        submit_label="Vote",
        inputs=inputs,
        error=error,
    )


def submit_ballot(turn: Turn, poll_id: int, values: dict[str, Any]) -> None:
    _, member, poll = _voting(turn, poll_id)
    typed = {k: (v[0] if isinstance(v, list) and v else v) for k, v in values.items()}
    typed = {k: v.strip() for k, v in typed.items() if isinstance(v, str)}
    count = len(labels(turn.session, poll))
    try:
        content = {"ranked": _ranking, "score": _scores, "dots": _dots}[poll.type](
            typed, count, poll
        )
    except KeyError:
        raise Refusal("This poll is voted with its buttons.") from None
    except Refusal as problem:
        turn.replies.append(
            OpenForm(
                actor=ActorModel.of(turn.actor),
                form=ballot_form(turn, poll, typed, problem.problem),
            )
        )
        return
    done = _described(poll, content, labels(turn.session, poll))
    _record(turn, poll, member, content, done, _latest(turn, poll, member))


def _described(poll: Poll, content: list[int], names: list[str]) -> str:
    """What a form ballot said, named back to the voter: "You ranked “A” 1st, “B” 2nd"."""
    if poll.type == "ranked":
        return "You ranked " + ", ".join(
            f"“{names[p]}” {_ordinal(n)}" for n, p in enumerate(content, 1)
        )
    if poll.type == "score":
        return "You scored " + ", ".join(
            f"“{name}” {score}" for name, score in zip(names, content, strict=True)
        )
    placed = [(name, dots) for name, dots in zip(names, content, strict=True) if dots]
    return "You put " + ", ".join(
        f"{dots} dot{'s' * (dots != 1)} on “{name}”" for name, dots in placed
    )


def _ranking(typed: dict[str, str], count: int, _poll: Poll) -> list[int]:
    given = [typed.get(f"rank{n}", "") for n in range(count)]
    while given and not given[-1]:
        given.pop()
    if not given:
        raise Refusal("Choose at least your first choice.")
    if "" in given:
        raise Refusal("Fill your choices in order, without gaps.")
    positions = [_position(value, count) for value in given]
    if len(set(positions)) != len(positions):
        raise Refusal("You ranked the same option twice.")
    return positions


def _scores(typed: dict[str, str], count: int, _poll: Poll) -> list[int]:
    scores = []
    for i in range(count):
        value = typed.get(f"score{i}", "")
        if not value.isdigit() or not SCORE_MIN <= int(value) <= SCORE_MAX:
            raise Refusal(f"Score every option from {SCORE_MIN} to {SCORE_MAX}.")
        scores.append(int(value))
    return scores


def _dots(typed: dict[str, str], count: int, poll: Poll) -> list[int]:
    dots = []
    for i in range(count):
        value = typed.get(f"dots{i}", "") or "0"
        if not value.isdigit():
            raise Refusal("Dots are whole numbers.")
        dots.append(int(value))
    allowed = poll.settings["dots"]
    if sum(dots) > allowed:
        raise Refusal(f"That is {sum(dots)} dots; you have {allowed}.")
    if sum(dots) == 0:
        raise Refusal("Place at least one dot.")
    return dots


def _position(value: str, count: int) -> int:
    if not value.isdigit() or int(value) >= count:
        raise Refusal("That option isn't part of this poll.")
    return int(value)


def _prefill(poll: Poll, previous: Ballot | None) -> dict[str, str]:
    if previous is None:
        return {}
    if poll.type == "ranked":
        return {f"rank{n}": str(p) for n, p in enumerate(previous.choices)}
    prefix = "score" if poll.type == "score" else "dots"
    return {f"{prefix}{i}": str(v) for i, v in enumerate(previous.choices)}


def open_reason_form(
    turn: Turn, poll_id: int, chosen: str, error: str | None = None, typed: str = ""
) -> None:
    _, _, poll = _voting(turn, poll_id)
    if poll.type != "consent" or chosen not in NEEDS_REASON:
        raise Refusal("That response isn't part of this poll.")
    turn.replies.append(
        OpenForm(
            actor=ActorModel.of(turn.actor),
            form=Form(
                title=f"{STANCE_LABELS[chosen]}: poll #{poll.number}",
                action=f"submit:consent:{poll.id}:{chosen}",
                submit_label=STANCE_LABELS[chosen],
                error=error,
                inputs=[
                    TextInput(
                        name="reason",
                        label="Your reason (everyone will see it, without "
                        "your name if the poll is anonymous)",
                        value=typed,
                        multiline=True,
                        max_length=MAX_REASON,
                    )
                ],
            ),
        )
    )


def submit_reason(turn: Turn, poll_id: int, chosen: str, values: dict[str, Any]) -> None:
    reason = values.get("reason") if isinstance(values.get("reason"), str) else ""
    reason = " ".join(str(reason).split())
    if not reason or len(reason) > MAX_REASON:
        problem = (
            "Give a reason: it helps the group revise the proposal."
            if not reason
            else f"The reason is {len(reason):,} characters; the most is {MAX_REASON:,}."
        )
        open_reason_form(turn, poll_id, chosen, problem, reason)
        return
    stance(turn, poll_id, chosen, reason)


def open_option_form(turn: Turn, poll_id: int, error: str | None = None, typed: str = "") -> None:
    _voting(turn, poll_id)
    turn.replies.append(
        OpenForm(
            actor=ActorModel.of(turn.actor),
            form=Form(
                title="Add an option",
                action=f"submit:option:{poll_id}",
                submit_label="Add",
                error=error,
                inputs=[TextInput(name="option", label="Option", value=typed, max_length=150)],
            ),
        )
    )


def submit_option(turn: Turn, poll_id: int, values: dict[str, Any]) -> None:
    collaborative, _, poll = _voting(turn, poll_id)
    if not poll.settings.get("open-options"):
        raise Refusal("Only the coordinator who started this poll sets its options.")
    typed = " ".join(str(values.get("option") or "").split())
    existing = labels(turn.session, poll)
    try:
        if not typed:
            raise Refusal("Give the option some text.")
        if len(existing) >= MAX_OPTIONS:
            raise Refusal(f"This poll already has {MAX_OPTIONS} options, the most there can be.")
        check_option(typed, existing)
    except Refusal as problem:
        open_option_form(turn, poll_id, problem.problem, typed)
        return
    turn.session.add(PollOption(poll_id=poll.id, position=len(existing), label=typed))
    turn.session.flush()
    turn.audit("poll.option", f"added “{typed}” to poll #{poll.number}", poll=poll.number)
    effects.update_everywhere(turn.session, turn.now, collaborative, message_key(poll))
    turn.say(f"“{typed}” is now an option in poll #{poll.number}.")


# Recording


def _record(
    turn: Turn, poll: Poll, member: Member, content: Any, done: str, previous: Ballot | None
) -> None:
    """Store the ballot in place of `previous` (the member's latest, if any) and confirm it;
    `done` names the choice ("You voted “B”")."""
    session = turn.session
    collaborative, _ = turn.in_collaborative()
    ballot = new_ballot(poll, member, content, turn.now)
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
    effects.update_everywhere(session, turn.now, collaborative, message_key(poll))
    round_id = poll.settings.get("purpose_round")
    if round_id and (purpose_round := session.get(PurposeRound, round_id)) is not None:
        # A purpose round's message shows who has voted so far in its poll, by organisation.
        effects.update_everywhere(session, turn.now, collaborative, round_key(purpose_round))
    card = confirmation(poll, collaborative, content, done, turn.now)
    if poll.settings.get("results") == "after-vote":
        blocks = result_blocks(compute(session, poll), session, poll)
        card = card.model_copy(update={"blocks": [*card.blocks, *blocks]})
    turn.reply(card)


def new_ballot(poll: Poll, member: Member, content: Any, now: datetime) -> Ballot:
    return Ballot(**ballot_row(poll, member, content, now))


def ballot_row(poll: Poll, member: Member, content: Any, now: datetime) -> dict[str, Any]:
    """The ballot `member` casts, as a row: with no member and no time when the poll is
    anonymous (the batch path stores rows like this without building objects)."""
    anonymous = bool(poll.settings.get("anonymous"))
    return {
        "id": new_ballot_id(),
        "poll_id": poll.id,
        "member_id": None if anonymous else member.id,
        "organisation_id": member.organisation_id,
        "choices": content,
        "latest": True,
        "cast_at": None if anonymous else now,
    }


def confirmation(
    poll: Poll, collaborative: Collaborative, content: Any, done: str, now: datetime
) -> Card:
    """What a voter is told privately once their vote is stored."""
    if poll.settings.get("anonymous"):
        message = (
            f"Your anonymous vote in poll #{poll.number} is recorded. Nobody can see "
            "what you chose, and it can't be changed."
        )
    else:
        until = _until(poll, now, collaborative.timezone)
        message = (
            f"{done} in poll #{poll.number} — you can change it until {until}."
            if content
            else f"Your vote in poll #{poll.number} is withdrawn — you can vote again "
            f"until {until}."
        )
    return Card(blocks=[Text(text=message)], fallback=message)


def participation(poll: Poll, member: Member, now: datetime) -> Participation:
    return Participation(**participation_row(poll, member, now))


def participation_row(poll: Poll, member: Member, now: datetime) -> dict[str, Any]:
    return {"poll_id": poll.id, "member_id": member.id, "first_voted_at": now}


def _until(poll: Poll, now: datetime, timezone: str) -> str:
    """The deadline as people say it: "Fri 17:00", with the date once it is a week or more away."""
    if poll.closes_at is None:
        return "the poll closes"
    zone = ZoneInfo(timezone)
    local, today = poll.closes_at.astimezone(zone), now.astimezone(zone).date()
    day = f"{local:%a}"
    if (local.date() - today).days > 6:
        day += f" {local.day} {local:%b}" + (f" {local.year}" if local.year != today.year else "")
    return f"{day} {local:%H:%M}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
