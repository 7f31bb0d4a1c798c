"""Purpose rounds: the commands (the coordinators' forms: `dialogs.purpose.forms`).

    gather → group → shortlist (dots) → draft → choose (ranked) → consent → adopt

A coordinator starts a round (`purpose start`) and may move it on (`purpose
next`); otherwise time does (`dialogs.purpose.stages`). Members propose through
`dialogs.purpose.proposals`; coordinators adjust groups through `dialogs.purpose.groups`.
Objections at consent send the statement back to the coordinators for revision,
at most three times; after that the round says it needs a conversation instead.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from dialogs.commands.syntax import Command
from dialogs.commands.when import describe, moment
from dialogs.core import bilingual, timers
from dialogs.core.actions import FormKind, RequestForm
from dialogs.core.cards import (
    Actions,
    Button,
    Card,
    Context,
    Text,
)
from dialogs.core.language import N_, _, ngettext
from dialogs.core.messages import MessageKey, round_key
from dialogs.core.turn import Refusal, Turn
from dialogs.polls import lifecycle
from dialogs.polls.reviews import setting as reviews
from dialogs.polls.reviews.dates import review_date
from dialogs.purpose import rounds
from dialogs.purpose.cards import (
    render_adopted,
    render_round,
    stage_line,
    stage_words,
)
from dialogs.purpose.forms import open_revision_form
from dialogs.purpose.moves import next_move
from dialogs.purpose.stages import ADVANCE, Step
from dialogs.purpose.themes import render_groups
from storage.models import Collaborative, Member, Poll, Proposal, PurposeRound
from storage.numbering import next_number

DEFAULT_REVIEW = "1 year"  # a purpose round always asks for a review date


# Commands


def start(turn: Turn, command: Command) -> None:
    collaborative, member = turn.require_coordinator(N_("start a purpose round"))
    if running := rounds.running_round(turn.session, collaborative.id or 0):
        raise _already_running(running, collaborative)
    review_at = review_date(
        command.flags.get("review", DEFAULT_REVIEW), turn.now, collaborative.timezone
    )
    purpose_round = _open_round(turn, collaborative, member, command)
    reviews.keep(
        turn.session, turn.now, collaborative, member, review_at, round_id=purpose_round.id
    )
    assert purpose_round.stage_ends_at is not None
    ends_at, zone = purpose_round.stage_ends_at, collaborative.timezone
    turn.audit(
        "purpose.start",
        lambda: _("started purpose round #{number}; gathering until {time}").format(
            number=purpose_round.number, time=describe(ends_at, zone)
        ),
        round=purpose_round.number,
        settings=purpose_round.settings,
    )
    channels = turn.post_everywhere(
        lambda: render_round(turn.session, purpose_round), key=round_key(purpose_round)
    )
    rounds.load_grouping().prepare_in_background([])  # the model, before anyone waits for it
    review = (
        _(
            "The purpose it adopts comes up for review {when}. Every linked channel will be "
            "asked then: Still right, Change it or Drop it."
        )
        if "review" in command.flags
        else _(
            "The purpose it adopts comes up for review {when} (a year on, the default; "
            "`--review` sets another). Every linked channel will be asked then: Still right, "
            "Change it or Drop it."
        )
    ).format(when=moment(review_at, collaborative.timezone))
    ends = describe(ends_at, zone)
    turn.reply(_started_card(purpose_round, channels, ends, review))


def _open_round(
    turn: Turn, collaborative: Collaborative, member: Member, command: Command
) -> PurposeRound:
    """The new round stored, with its gathering deadline and halfway nudge scheduled."""
    session = turn.session
    gather = command.flags.get("gather", rounds.DEFAULT_GATHER)
    settings = {
        "gather": gather,
        "shortlist": command.flags.get("shortlist", rounds.DEFAULT_SHORTLIST),
        "review": rounds.DEFAULT_REVIEW,
        "vote": rounds.DEFAULT_VOTE,
    }
    assert collaborative.id is not None
    number = next_number(session, collaborative.id, PurposeRound)
    purpose_round = PurposeRound(
        collaborative_id=collaborative.id,
        number=number,
        prompts=[
            bilingual.shared_text(collaborative, partial(_, prompt))
            for prompt in rounds.DEFAULT_PROMPTS
        ],
        settings=settings,
        history={rounds.GATHERING: {"from": turn.now.isoformat()}},
        stage_ends_at=turn.now + timedelta(seconds=gather),
        created_by=member.id,
        created_at=turn.now,
    )
    try:
        with session.begin_nested():
            session.add(purpose_round)
            session.flush()
    except IntegrityError:
        # Another coordinator's round committed first: the database keeps it to one.
        raise Refusal(_("Another coordinator has just started a purpose round here.")) from None
    assert purpose_round.id is not None and purpose_round.stage_ends_at is not None
    cid = collaborative.id or 0
    timers.schedule(
        session, cid, timers.PURPOSE_GATHER, purpose_round.id, "gather", purpose_round.stage_ends_at
    )
    halfway = turn.now + timedelta(seconds=gather / 2)
    timers.schedule(session, cid, timers.PURPOSE_NUDGE, purpose_round.id, "nudge", halfway)
    return purpose_round


def _started_card(purpose_round: PurposeRound, channels: int, ends: str, review: str) -> Card:
    """The coordinator's confirmation, with when its purpose is reviewed and the button to
    edit the prompts."""
    opened = _("Purpose round #{number} is open").format(number=purpose_round.number)
    posted = ngettext(
        "The invitation is posted in {count} channel; members propose until {time}. "
        "`purpose next` groups the proposals sooner.",
        "The invitation is posted in {count} channels; members propose until {time}. "
        "`purpose next` groups the proposals sooner.",
        channels,
    )
    prompts = " / ".join(purpose_round.prompts)
    return Card(
        blocks=[
            Text(text=opened),
            Text(text=posted.format(count=channels, time=ends)),
            Text(text=review),
            Context(text=_("The prompts: {prompts}").format(prompts=prompts)),
            Actions(
                elements=[
                    Button(
                        label=_("Edit the prompts"),
                        action=RequestForm(FormKind.PROMPTS, purpose_round.id).encode(),
                        spoken=_("Edit the prompts of purpose round #{number}").format(
                            number=purpose_round.number
                        ),
                    )
                ]
            ),
        ],
        fallback=opened,
    )


def _already_running(purpose_round: PurposeRound, collaborative: Collaborative) -> Refusal:
    return Refusal(
        _(
            "Purpose round #{number} is already running ({stage}); "
            "a collaborative runs one round at a time."
        ).format(
            number=purpose_round.number, stage=stage_words(purpose_round, collaborative.timezone)
        ),
        _("Type `purpose status` to see it, or `purpose next` to move it on."),
    )


def status(turn: Turn, command: Command) -> None:
    collaborative, member = turn.in_collaborative()
    purpose_round = rounds.running_round(turn.session, collaborative.id or 0) or _latest(
        turn.session, collaborative
    )
    if purpose_round is None:
        turn.say(
            _("No purpose round yet."),
            _(
                "A coordinator starts one with `purpose start`; members then propose, group, "
                "shortlist, choose and consent, in chat."
            ),
        )
        return
    card = render_round(turn.session, purpose_round)
    if member.role == "coordinator" and purpose_round.running:
        hint = _next_hint(turn, purpose_round, collaborative.timezone)
        card = card.model_copy(update={"blocks": [*card.blocks, Context(text=hint)]})
    turn.reply(card)


def _next_hint(turn: Turn, purpose_round: PurposeRound, timezone: str) -> str:
    """What `purpose next` would do now, or why it would do nothing, as it would say it."""
    try:
        return next_move(turn.session, turn.now, purpose_round, timezone)
    except Refusal as refused:
        return f"{refused.problem} {refused.hint or ''}".strip()


def show(turn: Turn, command: Command) -> None:
    collaborative, __ = turn.in_collaborative()
    adopted = rounds.latest_adopted(turn.session, collaborative.id or 0)
    if adopted is not None:
        turn.reply(render_adopted(turn.session, adopted))
        return
    running = rounds.running_round(turn.session, collaborative.id or 0)
    turn.say(
        _("{name} has no shared purpose adopted yet.").format(name=collaborative.name),
        _("{stage}: `purpose status` shows it.").format(
            stage=stage_line(running, collaborative.timezone)
        )
        if running
        else _("A coordinator can start a purpose round with `purpose start`."),
    )


def next_stage(turn: Turn, command: Command) -> None:
    collaborative, member = turn.require_coordinator(N_("move the purpose round on"))
    purpose_round = rounds.running_round(turn.session, collaborative.id or 0)
    if purpose_round is None:
        raise Refusal(
            _("No purpose round is running."), _("Start one with `purpose start` (coordinators).")
        )
    next_move(turn.session, turn.now, purpose_round, collaborative.timezone)  # or refuses
    step = Step(turn.session, turn.now, collaborative, purpose_round, member)
    stage = purpose_round.stage
    if stage == rounds.REVISING:
        open_revision_form(turn, purpose_round.id or 0)
        return
    if stage in rounds.POLL_STAGES:
        poll = turn.session.get(Poll, purpose_round.current_poll_id)
        assert poll is not None
        lifecycle.finish(turn.session, turn.now, collaborative, poll, by=member)  # moves the round
    else:
        ADVANCE[stage](step)
    turn.say(
        _("Purpose round #{number} moved on.").format(number=purpose_round.number),
        stage_line(purpose_round, collaborative.timezone),
    )


def _latest(session: Session, collaborative: Collaborative) -> PurposeRound | None:
    return session.exec(
        select(PurposeRound)
        .where(PurposeRound.collaborative_id == collaborative.id)
        .order_by(PurposeRound.number.desc())  # type: ignore[attr-defined]
    ).first()


def purpose_card(session: Session, key: MessageKey) -> Card | None:
    """The current rendering of one of a round's keyed messages, for live updates."""
    purpose_round = session.get(PurposeRound, key.ident)
    if purpose_round is None:
        return None
    if not key.part:
        return render_round(session, purpose_round)
    return {"groups": render_groups, "adopted": render_adopted}[key.part](session, purpose_round)


def prepare_grouping(session: Session) -> int:
    """At start-up and every minute: embed, in the background, the proposals of every round
    still gathering or grouping, so this process can group them without loading the model
    in a turn, even if the round started on another process. Returns how many texts it
    queued (none: grouping is not even imported)."""
    texts = list(
        session.exec(
            select(Proposal.text)
            .join(PurposeRound, col(PurposeRound.id) == Proposal.round_id)
            .where(
                PurposeRound.running,
                col(PurposeRound.stage).in_((rounds.GATHERING, rounds.GROUPING)),
            )
        ).all()
    )
    if texts:
        rounds.load_grouping().prepare_in_background(texts)
    return len(texts)
