"""Polls: create (by command or form), vote, close, list and show results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, select

from dialogs import membership, outbound, timers
from dialogs.cards import (
    Actions,
    ActorModel,
    Bar,
    Button,
    Card,
    Choice,
    ChoiceInput,
    Context,
    Form,
    Heading,
    OpenForm,
    ResultBars,
    Text,
    TextInput,
)
from dialogs.grammar import Command, GrammarError, parse_count, parse_duration
from dialogs.tally import ChoiceResult, tally_multi, tally_single
from dialogs.turn import Refusal, Turn
from dialogs.when import describe, parse_when
from storage.models import Ballot, Collaborative, Member, Participation, Poll, PollOption, Timer

MAX_QUESTION = 300
MAX_OPTION = 150
MAX_OPTIONS = 20
AVAILABLE_TYPES = ("single", "multi")
FORM_ACTION = "submit:poll"
TYPE_LABELS = {"single": "one choice", "multi": "several choices"}

# Settings whose behaviour arrives in later releases: refused, never silently ignored.
_LATER = {
    "dots": "Dot votes (--dots)",
    "anonymous": "Anonymous polls (--anonymous)",
    "balance": "Organisation-balanced results (--balance)",
    "quorum": "Per-organisation quorums (--quorum)",
}


@dataclass(frozen=True)
class PollSpec:
    question: str
    options: list[str]
    type: str = "single"
    max_choices: int | None = None
    closes_at: datetime | None = None
    remind_after: int | None = None  # seconds after the poll opens


def message_key(poll: Poll) -> str:
    return f"poll:{poll.id}"


def start(turn: Turn, command: Command) -> None:
    turn.require_coordinator("start a poll")
    if "question" not in command.args and not command.flags:
        turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=poll_form()))
        return
    open_poll(turn, spec_from_command(turn, command))


def spec_from_command(turn: Turn, command: Command) -> PollSpec:
    flags = command.flags
    for flag, what in _LATER.items():
        if flag in flags:
            raise Refusal(f"{what} are not available yet.", "Start the poll without that option.")
    poll_type = flags.get("type", "single")
    if poll_type not in AVAILABLE_TYPES:
        raise Refusal(
            f"{poll_type.capitalize()} polls are not available yet.",
            "Use `--type single` (the default) or `--type multi --max N`.",
        )
    if flags.get("results", "live") != "live":
        raise Refusal(
            "Hiding results until later (--results) is not available yet.",
            "Results are shown live for now; start the poll without --results.",
        )
    if "max" in flags and poll_type != "multi":
        raise Refusal(
            "`--max` only goes with `--type multi`.",
            'For example `poll "Q?" "A" "B" "C" --type multi --max 2`.',
        )
    collaborative, _ = turn.in_collaborative()
    closes_at = (
        parse_when(flags["closes"], turn.now, collaborative.timezone)
        if ("closes" in flags)
        else None
    )
    return validated_spec(
        command.args.get("question", ""),
        command.args.get("options", []),
        poll_type,
        flags.get("max"),
        timing=(turn.now, closes_at, flags.get("remind")),
    )


def validated_spec(
    question: str,
    options: list[str],
    poll_type: str,
    max_choices: int | None,
    *,
    timing: tuple[datetime, datetime | None, int | None],
) -> PollSpec:
    """`timing` is (now, closes_at, remind_after seconds)."""
    question = " ".join(question.split())
    if not question:
        raise Refusal(
            "The poll needs a question.",
            'Type `poll "Question?" "Option" "Option"`, or `poll` alone for a form.',
        )
    if len(question) > MAX_QUESTION:
        raise Refusal(
            f"The question is {len(question):,} characters; the most is {MAX_QUESTION}.",
            "Shorten it, and put detail in a message before the poll.",
        )
    cleaned = [" ".join(o.split()) for o in options]
    if any(not o for o in cleaned):
        raise Refusal("One of the options is empty.", "Give every option some text.")
    if len(cleaned) < 2:
        raise Refusal(
            "A poll needs at least two options.",
            'Put each option in quotes after the question: `poll "Q?" "A" "B"`.',
        )
    if len(cleaned) > MAX_OPTIONS:
        raise Refusal(
            f"That is {len(cleaned)} options; the most is {MAX_OPTIONS}.",
            "Too many options overwhelm people: group similar ones together.",
        )
    too_long = next((o for o in cleaned if len(o) > MAX_OPTION), None)
    if too_long:
        raise Refusal(
            f"An option is {len(too_long):,} characters; the most is {MAX_OPTION}.",
            f"Shorten “{too_long[:40]}…”.",
        )
    seen: set[str] = set()
    for option in cleaned:
        if option.casefold() in seen:
            raise Refusal(f"“{option}” is listed twice.", "Give each option once.")
        seen.add(option.casefold())
    if max_choices is not None and max_choices > len(cleaned):
        raise Refusal(
            f"`--max {max_choices}` is more than the {len(cleaned)} options.",
            f"Use a number from 1 to {len(cleaned)}.",
        )
    now, closes_at, remind_after = timing
    if closes_at and remind_after and now + timedelta(seconds=remind_after) >= closes_at:
        raise Refusal(
            "The reminder would come after the poll closes.",
            "Use a shorter `--remind`, or a later `--closes`.",
        )
    return PollSpec(question, cleaned, poll_type, max_choices, closes_at, remind_after)


def open_poll(turn: Turn, spec: PollSpec) -> Poll:
    collaborative, member = turn.require_coordinator("start a poll")
    session = turn.session
    number = (
        session.exec(
            select(func.coalesce(func.max(Poll.number), 0)).where(
                Poll.collaborative_id == collaborative.id
            )
        ).one()
        + 1
    )
    settings: dict[str, Any] = {}
    if spec.type == "multi":
        settings["max"] = spec.max_choices or len(spec.options)
    poll = Poll(
        collaborative_id=collaborative.id,
        number=number,
        question=spec.question,
        type=spec.type,
        settings=settings,
        created_by=member.id,
        created_at=turn.now,
        closes_at=spec.closes_at,
    )
    session.add(poll)
    session.flush()
    assert poll.id is not None and collaborative.id is not None
    if spec.closes_at:
        timers.schedule(
            session, collaborative.id, timers.POLL_CLOSE, poll.id, "deadline", spec.closes_at
        )
    if spec.remind_after:
        timers.schedule(
            session,
            collaborative.id,
            timers.POLL_REMIND,
            poll.id,
            "reminder",
            turn.now + timedelta(seconds=spec.remind_after),
        )
    for position, label in enumerate(spec.options):
        session.add(PollOption(poll_id=poll.id, position=position, label=label))
    session.flush()
    turn.audit(
        "poll.open",
        f"opened poll #{number}: {spec.question}",
        poll=number,
        options=spec.options,
        type=spec.type,
    )
    channels = turn.post_everywhere(render_poll(session, poll), key=message_key(poll))
    closing = (
        f"It closes {describe(spec.closes_at, collaborative.timezone)}."
        if spec.closes_at
        else f"Close it with `poll close {number}`."
    )
    reminding = (
        f" Members who haven't voted get one reminder "
        f"{describe(turn.now + timedelta(seconds=spec.remind_after), collaborative.timezone)}."
        if spec.remind_after
        else ""
    )
    turn.say(
        f"Poll #{number} is open",
        f"Posted in {channels} channel{'s' * (channels != 1)}. {closing}{reminding}",
    )
    return poll


def poll_form(values: dict[str, Any] | None = None, error: str | None = None) -> Form:
    values = values or {}
    return Form(
        title="New poll",
        action=FORM_ACTION,
        submit_label="Start poll",
        error=error,
        inputs=[
            TextInput(
                name="question",
                label="Question",
                value=str(values.get("question", "")),
                placeholder="Which priority should we tackle first?",
                max_length=MAX_QUESTION,
            ),
            TextInput(
                name="options",
                label="Options, one per line",
                value=str(values.get("options", "")),
                multiline=True,
                max_length=3000,
            ),
            ChoiceInput(
                name="type",
                label="People may choose",
                choices=[Choice(label=TYPE_LABELS[t], value=t) for t in AVAILABLE_TYPES],
                value=[str(values.get("type") or "single")],
            ),
            TextInput(
                name="max",
                label="At most this many (several choices only)",
                value=str(values.get("max", "")),
                max_length=2,
                optional=True,
            ),
            TextInput(
                name="closes",
                label="Closes (optional)",
                value=str(values.get("closes", "")),
                placeholder="friday 17:00, in 3 days, 2026-12-01 17:00",
                max_length=60,
                optional=True,
            ),
            TextInput(
                name="remind",
                label="Remind those who haven't voted after (optional)",
                value=str(values.get("remind", "")),
                placeholder="24h",
                max_length=20,
                optional=True,
            ),
        ],
    )


def submit_form(turn: Turn, values: dict[str, str | list[str]]) -> None:
    """A submitted poll form; on any problem the form comes back with what was typed."""
    collaborative, _ = turn.require_coordinator("start a poll")
    flat = {k: (v[0] if isinstance(v, list) and v else v) for k, v in values.items()}
    flat = {k: (v if isinstance(v, str) else "") for k, v in flat.items()}
    try:
        poll_type = flat.get("type") or "single"
        if poll_type not in AVAILABLE_TYPES:
            raise Refusal("Choose one choice or several choices.")
        max_text = flat.get("max", "").strip()
        if max_text and poll_type != "multi":
            raise Refusal("“At most” only applies when people may choose several.")
        max_choices = parse_count(max_text, "“At most”", 1, MAX_OPTIONS) if max_text else None
        options = [line for line in flat.get("options", "").splitlines() if line.strip()]
        closes, remind = flat.get("closes", "").strip(), flat.get("remind", "").strip()
        timing = (
            turn.now,
            parse_when(closes, turn.now, collaborative.timezone) if closes else None,
            parse_duration(remind, "“Remind after”") if remind else None,
        )
        spec = validated_spec(
            flat.get("question", ""), options, poll_type, max_choices, timing=timing
        )
    except (Refusal, GrammarError) as problem:
        turn.replies.append(
            OpenForm(actor=ActorModel.of(turn.actor), form=poll_form(flat, problem.problem))
        )
        return
    open_poll(turn, spec)


def vote(turn: Turn, poll_id: int, option_id: int) -> None:
    collaborative, member = turn.in_collaborative()
    session = turn.session
    poll = _poll_by_id(session, collaborative, poll_id)
    if poll.closes_at is not None and turn.now >= poll.closes_at and poll.status == "open":
        # The deadline has passed even if its timer hasn't fired yet: a deadline is a deadline.
        raise Refusal(
            f"Poll #{poll.number} closed {describe(poll.closes_at, collaborative.timezone)}.",
            "Its result is posted in every linked channel.",
        )
    if poll.status != "open":
        raise Refusal(
            f"Poll #{poll.number} is closed; votes can no longer be changed.",
            f"See the result with `poll results {poll.number}`.",
        )
    if member.role == "observer":
        raise Refusal(
            "Observers see polls but do not vote.",
            "Ask a coordinator to make you a member if you should vote.",
        )
    if collaborative.require_organisation and member.organisation_id is None:
        raise Refusal(
            "Say which organisation you belong to before you vote.",
            'Type `org join "Name"` (see `org list`).',
        )
    option = session.get(PollOption, option_id)
    if option is None or option.poll_id != poll.id:
        raise Refusal("That option isn't part of this poll.", "Use the poll's own buttons.")
    previous = _latest_ballot(session, poll, member)
    chosen = _next_choices(poll, previous.choices if previous else [], option.position)
    if previous is not None and chosen == previous.choices:
        turn.say(f"You already voted for “{option.label}”.")
        return
    _record_ballot(turn, poll, member, chosen, previous)
    turn.update_everywhere(message_key(poll), render_poll(session, poll))
    labels = _labels(session, poll)
    if chosen:
        picked = ", ".join(f"“{labels[p]}”" for p in sorted(chosen))
        turn.say(
            f"You voted {picked} in poll #{poll.number}.",
            "You can change your vote until the poll closes.",
        )
    else:
        turn.say(f"Your vote in poll #{poll.number} is withdrawn.")


def _next_choices(poll: Poll, current: list[int], position: int) -> list[int]:
    if poll.type == "single":
        return [position]
    if position in current:  # several choices: a second click takes the choice back
        return [p for p in current if p != position]
    most = int(poll.settings.get("max", MAX_OPTIONS))
    if len(current) >= most:
        raise Refusal(
            f"You can choose at most {most} in this poll.",
            "Click one of your choices again to take it back first.",
        )
    return sorted([*current, position])


def _record_ballot(
    turn: Turn, poll: Poll, member: Member, chosen: list[int], previous: Ballot | None
) -> None:
    """Replace the member's latest ballot, keeping the old one as history.

    Two clicks racing here both try to insert a latest ballot; the partial unique
    index rejects one, and the unit of work re-runs it against the winner's state.
    """
    session = turn.session
    if previous is not None:
        session.execute(update(Ballot).where(Ballot.id == previous.id).values(latest=False))
    if chosen:
        session.add(
            Ballot(
                poll_id=poll.id,
                member_id=member.id,
                organisation_id=member.organisation_id,
                choices=chosen,
                latest=True,
                cast_at=turn.now,
            )
        )
    if previous is None:
        session.add(Participation(poll_id=poll.id, member_id=member.id, first_voted_at=turn.now))
    session.flush()


def close(turn: Turn, number: int) -> None:
    collaborative, _ = turn.require_coordinator("close a poll")
    _close(turn, collaborative, _poll_by_number(turn.session, collaborative, number))


def close_by_id(turn: Turn, poll_id: int) -> None:
    """The poll message's own Close button (its action names the poll, so re-check it)."""
    collaborative, _ = turn.require_coordinator("close a poll")
    _close(turn, collaborative, _poll_by_id(turn.session, collaborative, poll_id))


def _close(turn: Turn, collaborative: Collaborative, poll: Poll) -> None:
    if poll.status != "open":
        raise Refusal(
            f"Poll #{poll.number} is already closed.",
            f"See the result with `poll results {poll.number}`.",
        )
    summary = finish(turn.session, turn.now, collaborative, poll, by=turn.member)
    turn.say(f"Poll #{poll.number} is closed.", summary)


def close_at_deadline(session: Session, now: datetime, timer: Timer) -> None:
    """The deadline timer: close the poll (if a coordinator hasn't already) and post the result."""
    poll = session.get(Poll, timer.subject_id)
    if poll is None or poll.status != "open":
        return
    collaborative = session.get(Collaborative, poll.collaborative_id)
    assert collaborative is not None and poll.closes_at is not None
    finish(session, poll.closes_at, collaborative, poll, by=None)


def send_reminders(session: Session, now: datetime, timer: Timer) -> None:
    """One gentle nudge, only to members who may vote, haven't, and haven't muted reminders."""
    poll = session.get(Poll, timer.subject_id)
    if poll is None or poll.status != "open":
        return
    collaborative = session.get(Collaborative, poll.collaborative_id)
    assert collaborative is not None
    voted = select(Ballot.member_id).where(Ballot.poll_id == poll.id, Ballot.latest)
    waiting = session.exec(
        select(Member).where(
            Member.collaborative_id == collaborative.id,
            Member.role != "observer",
            Member.reminders_muted == False,  # noqa: E712 — SQL, not Python truth
            Member.id.not_in(voted),  # type: ignore[union-attr]
        )
    ).all()
    until = (
        f" It closes {describe(poll.closes_at, collaborative.timezone)}." if poll.closes_at else ""
    )
    card = Card(
        blocks=[
            Text(text=f"You haven't voted yet in poll #{poll.number}: {poll.question}"),
            Context(
                text=f"The poll is in your {collaborative.name} channels.{until} "
                "This is the only reminder for this poll."
            ),
            Actions(
                elements=[Button(label="Stop reminding me", action=f"mute:{collaborative.id}")]
            ),
        ],
        fallback=f"Reminder: poll #{poll.number} is waiting for your vote",
    )
    for member in waiting:
        if (actor := outbound.actor_of(session, member)) is not None:
            outbound.notify(session, now, collaborative, actor, card)


def set_reminders(turn: Turn, collaborative_id: int, muted: bool) -> None:
    """The reminder's own button. Its collaborative id is untrusted: the actor must belong."""
    collaborative = turn.session.get(Collaborative, collaborative_id)
    if collaborative is None:
        raise Refusal("That button doesn't do anything any more.")
    member = membership.known_member(turn.session, collaborative, turn.actor)
    if member is None:
        raise Refusal("You aren't a member of that collaborative.")
    member.reminders_muted = muted
    if muted:
        turn.reply(
            Card(
                blocks=[
                    Text(text=f"You won't get reminders from {collaborative.name} any more."),
                    Actions(
                        elements=[
                            Button(
                                label="Turn reminders back on", action=f"unmute:{collaborative.id}"
                            )
                        ]
                    ),
                ],
                fallback="Reminders muted",
            )
        )
    else:
        turn.say(f"Reminders from {collaborative.name} are on again.")


def finish(
    session: Session, now: datetime, collaborative: Collaborative, poll: Poll, by: Member | None
) -> str:
    """Close the poll, record the decision, show the final state and the result everywhere."""
    poll.status = "closed"
    poll.closed_at = now
    session.flush()
    assert poll.id is not None
    timers.cancel(session, timers.POLL_REMIND, poll.id)
    timers.cancel(session, timers.POLL_CLOSE, poll.id)
    result = tally(session, poll)
    summary = outcome_text(_labels(session, poll), result, final=True)
    outbound.record(
        session,
        now,
        collaborative,
        by,
        "poll.close",
        f"closed poll #{poll.number}: {poll.question} — {summary}",
        poll=poll.number,
        counts=list(result.counts),
        voters=result.voters,
        winners=list(result.winners),
    )
    outbound.update_everywhere(
        session, now, collaborative, message_key(poll), render_poll(session, poll)
    )
    outbound.post_everywhere(
        session, now, collaborative, result_card(session, poll, collaborative, result)
    )
    return summary


def list_polls(turn: Turn) -> None:
    collaborative, _ = turn.in_collaborative()
    polls = turn.session.exec(
        select(Poll)
        .where(Poll.collaborative_id == collaborative.id)
        .order_by(Poll.number.desc())
        .limit(20)
    ).all()  # type: ignore[union-attr]
    if not polls:
        turn.say("No polls yet.", 'A coordinator starts one with `poll "Question?" "A" "B"`.')
        return
    voters = _voter_counts(turn.session, [p.id for p in polls])
    lines = [
        f"#{p.number} · {p.status} · {voters.get(p.id, 0)} voted · {p.question}" for p in polls
    ]
    turn.say(f"Polls in {collaborative.name}", *lines)


def results(turn: Turn, number: int) -> None:
    collaborative, _ = turn.in_collaborative()
    poll = _poll_by_number(turn.session, collaborative, number)
    turn.reply(result_card(turn.session, poll, collaborative, tally(turn.session, poll)))


def tally(session: Session, poll: Poll) -> ChoiceResult:
    ballots = session.exec(
        select(Ballot.choices).where(Ballot.poll_id == poll.id, Ballot.latest)
    ).all()
    count = len(_labels(session, poll))
    if poll.type == "multi":
        return tally_multi(ballots, count, int(poll.settings["max"]))
    return tally_single(ballots, count)


def render_poll(session: Session, poll: Poll) -> Card:
    """The live poll message: question, current counts and, while open, the vote buttons."""
    options = _options(session, poll)
    result = tally(session, poll)
    blocks: list[Any] = [
        Heading(text=poll.question),
        Context(text=_poll_status_line(session, poll)),
        _bars(options, result),
    ]
    if poll.status == "open":
        blocks.append(
            Actions(
                elements=[Button(label=o.label, action=f"vote:{poll.id}:{o.id}") for o in options]
            )
        )
        blocks.append(
            Actions(
                elements=[Button(label="Close poll", action=f"close:{poll.id}", style="danger")]
            )
        )
    return Card(blocks=blocks, fallback=f"Poll #{poll.number}: {poll.question}")


def _poll_status_line(session: Session, poll: Poll) -> str:
    how = TYPE_LABELS[poll.type]
    if poll.type == "multi":
        how = f"up to {poll.settings['max']} choices"
    if poll.status != "open":
        return f"Poll #{poll.number} · {how} · closed"
    collaborative = session.get(Collaborative, poll.collaborative_id)
    assert collaborative is not None
    until = describe(poll.closes_at, collaborative.timezone) if poll.closes_at else "it closes"
    return f"Poll #{poll.number} · {how} · open · votes can be changed until {until}"


def result_card(
    session: Session, poll: Poll, collaborative: Collaborative, result: ChoiceResult
) -> Card:
    outcome = outcome_text(_labels(session, poll), result, final=poll.status == "closed")
    when = f" · closed {describe(poll.closed_at, collaborative.timezone)}" if poll.closed_at else ""
    heading = (
        f"Result of poll #{poll.number}"
        if poll.status == "closed"
        else (f"Poll #{poll.number} so far")
    )
    return Card(
        blocks=[
            Heading(text=heading),
            Text(text=poll.question),
            _bars(_options(session, poll), result),
            Text(text=outcome),
            Context(text=f"{result.voters} voted{when}"),
        ],
        fallback=f"{heading}: {outcome}",
    )


def outcome_text(labels: list[str], result: ChoiceResult, *, final: bool = False) -> str:
    if not result.winners:
        return "Nobody voted."
    names = " and ".join(f"“{labels[w]}”" for w in result.winners)
    votes = result.counts[result.winners[0]]
    noun = "vote" if votes == 1 else "votes"
    if len(result.winners) > 1:
        return f"Tie between {names}, with {votes} {noun} each."
    verb = "won" if final else "leads"
    return f"{names} {verb} with {votes} {noun} of {result.voters} voters."


def _bars(options: list[PollOption], result: ChoiceResult) -> ResultBars:
    bars = [
        Bar(
            label=o.label,
            count=result.counts[o.position],
            percent=result.percent(o.position),
            leading=o.position in result.winners,
        )
        for o in options
    ]
    voters = f"{result.voters} {'person' if result.voters == 1 else 'people'} voted"
    return ResultBars(bars=bars, summary=voters)


def _poll_by_id(session: Session, collaborative: Collaborative, poll_id: int) -> Poll:
    poll = session.get(Poll, poll_id)
    # A poll of another collaborative is answered exactly like a missing one.
    if poll is None or poll.collaborative_id != collaborative.id:
        raise Refusal(
            "That poll isn't part of this channel's collaborative.",
            "Type `poll list` to see this collaborative's polls.",
        )
    return poll


def _poll_by_number(session: Session, collaborative: Collaborative, number: int) -> Poll:
    poll = session.exec(
        select(Poll).where(Poll.collaborative_id == collaborative.id, Poll.number == number)
    ).first()
    if poll is None:
        raise Refusal(f"There is no poll #{number} here.", "Type `poll list` to see the polls.")
    return poll


def poll_for_key(session: Session, key: str) -> Poll | None:
    kind, _, ident = key.partition(":")
    return session.get(Poll, int(ident)) if kind == "poll" and ident.isdigit() else None


def _latest_ballot(session: Session, poll: Poll, member: Member) -> Ballot | None:
    return session.exec(
        select(Ballot).where(
            Ballot.poll_id == poll.id, Ballot.member_id == member.id, Ballot.latest
        )
    ).first()


def _options(session: Session, poll: Poll) -> list[PollOption]:
    return list(
        session.exec(
            select(PollOption).where(PollOption.poll_id == poll.id).order_by(PollOption.position)
        ).all()
    )


def _labels(session: Session, poll: Poll) -> list[str]:
    return [o.label for o in _options(session, poll)]


def _voter_counts(session: Session, poll_ids: list[int | None]) -> dict[int, int]:
    rows = session.exec(
        select(Ballot.poll_id, func.count())
        .where(Ballot.poll_id.in_(poll_ids), Ballot.latest)
        .group_by(Ballot.poll_id)
    ).all()  # type: ignore[attr-defined]
    return {poll_id: count for poll_id, count in rows}
