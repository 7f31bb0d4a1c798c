"""Purpose rounds: the commands, and the coordinators' forms for prompts and revisions.

    gather → group → shortlist (dots) → draft → choose (ranked) → consent → adopt

A coordinator starts a round (`purpose start`) and may move it on (`purpose
next`); otherwise time does (`dialogs.purpose.stages`). Members propose through
`dialogs.purpose.proposals`; coordinators adjust groups through `dialogs.purpose.groups`.
Objections at consent send the statement back to the coordinators for revision,
at most three times; after that the round says it needs a conversation instead.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from dialogs.commands.syntax import Command
from dialogs.commands.when import describe, moment
from dialogs.core import effects, timers
from dialogs.core.actions import FormKind, RequestForm, SubmitForm
from dialogs.core.cards import (
    Actions,
    ActorModel,
    Button,
    Card,
    Context,
    Form,
    OpenForm,
    Text,
    TextInput,
    submitted_text,
)
from dialogs.core.messages import MessageKey, round_key
from dialogs.core.turn import Refusal, Turn
from dialogs.polls import coaching, lifecycle
from dialogs.polls.poll_form import with_findings
from dialogs.polls.reviews import setting as reviews
from dialogs.polls.reviews.dates import review_date
from dialogs.purpose import rounds
from dialogs.purpose.cards import (
    render_adopted,
    render_groups,
    render_round,
    revision_notes,
    stage_line,
)
from dialogs.purpose.moves import next_move
from dialogs.purpose.proposals import round_in
from dialogs.purpose.stages import ADVANCE, Step, open_consent
from storage.models import Collaborative, Member, Poll, Proposal, PurposeRound
from storage.numbering import next_number

MAX_PROMPT = 200
AS_WRITTEN = "Save the prompts as written"
DEFAULT_REVIEW = "1 year"  # a purpose round always asks for a review date


# Commands


def start(turn: Turn, command: Command) -> None:
    collaborative, member = turn.require_coordinator("start a purpose round")
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
    ends = describe(purpose_round.stage_ends_at, collaborative.timezone)
    turn.audit(
        "purpose.start",
        f"started purpose round #{purpose_round.number}; gathering until {ends}",
        round=purpose_round.number,
        settings=purpose_round.settings,
    )
    channels = turn.post_everywhere(
        lambda: render_round(turn.session, purpose_round), key=round_key(purpose_round)
    )
    rounds.load_grouping().prepare_in_background([])  # the model, before anyone waits for it
    default = (
        "" if "review" in command.flags else " (a year on, the default; `--review` sets another)"
    )
    review = (
        f"The purpose it adopts comes up for review {moment(review_at, collaborative.timezone)}"
        f"{default}. Every linked channel will be asked then: Still right, Change it or Drop it."
    )
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
        prompts=list(rounds.DEFAULT_PROMPTS),
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
        raise Refusal("Another coordinator has just started a purpose round here.") from None
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
    return Card(
        blocks=[
            Text(text=f"Purpose round #{purpose_round.number} is open"),
            Text(
                text=f"The invitation is posted in {channels} channel"
                f"{'s' * (channels != 1)}; members propose until {ends}. "
                "`purpose next` groups the proposals sooner."
            ),
            Text(text=review),
            Context(text="The prompts: " + " / ".join(purpose_round.prompts)),
            Actions(
                elements=[
                    Button(
                        label="Edit the prompts",
                        action=RequestForm(FormKind.PROMPTS, purpose_round.id).encode(),
                        spoken=f"Edit the prompts of purpose round #{purpose_round.number}",
                    )
                ]
            ),
        ],
        fallback=f"Purpose round #{purpose_round.number} is open",
    )


def _already_running(purpose_round: PurposeRound, collaborative: Collaborative) -> Refusal:
    return Refusal(
        f"Purpose round #{purpose_round.number} is already running "
        f"({stage_line(purpose_round, collaborative.timezone).split(' · ', 1)[1]}); "
        "a collaborative runs one round at a time.",
        "Type `purpose status` to see it, or `purpose next` to move it on.",
    )


def status(turn: Turn, command: Command) -> None:
    collaborative, member = turn.in_collaborative()
    purpose_round = rounds.running_round(turn.session, collaborative.id or 0) or _latest(
        turn.session, collaborative
    )
    if purpose_round is None:
        turn.say(
            "No purpose round yet.",
            "A coordinator starts one with `purpose start`; members then propose, group, "
            "shortlist, choose and consent, in chat.",
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
    collaborative, _ = turn.in_collaborative()
    adopted = rounds.latest_adopted(turn.session, collaborative.id or 0)
    if adopted is not None:
        turn.reply(render_adopted(turn.session, adopted))
        return
    running = rounds.running_round(turn.session, collaborative.id or 0)
    turn.say(
        f"{collaborative.name} has no shared purpose adopted yet.",
        f"{stage_line(running, collaborative.timezone)}: `purpose status` shows it."
        if running
        else "A coordinator can start a purpose round with `purpose start`.",
    )


def next_stage(turn: Turn, command: Command) -> None:
    collaborative, member = turn.require_coordinator("move the purpose round on")
    purpose_round = rounds.running_round(turn.session, collaborative.id or 0)
    if purpose_round is None:
        raise Refusal(
            "No purpose round is running.", "Start one with `purpose start` (coordinators)."
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
        f"Purpose round #{purpose_round.number} moved on.",
        stage_line(purpose_round, collaborative.timezone),
    )


def _latest(session: Session, collaborative: Collaborative) -> PurposeRound | None:
    return session.exec(
        select(PurposeRound)
        .where(PurposeRound.collaborative_id == collaborative.id)
        .order_by(PurposeRound.number.desc())  # type: ignore[attr-defined]
    ).first()


# Coordinators' forms: the prompts, and a revised statement


def open_prompts_form(turn: Turn, round_id: int) -> None:
    purpose_round = _coordinating(turn, round_id, rounds.GATHERING, "edit the prompts")
    typed = {f"prompt{n}": p for n, p in enumerate(purpose_round.prompts, 1)}
    _form(turn, _prompts_form(purpose_round, typed))


def _prompts_form(
    purpose_round: PurposeRound, typed: dict[str, str], error: str | None = None
) -> Form:
    return Form(
        title="The prompts",
        action=SubmitForm(FormKind.PROMPTS, purpose_round.id).encode(),
        submit_label="Save",
        error=error,
        inputs=[
            TextInput(
                name=f"prompt{n}",
                label=f"Prompt {n}" + (" (optional)" if n == 3 else ""),
                value=typed.get(f"prompt{n}", ""),
                max_length=max(MAX_PROMPT, len(typed.get(f"prompt{n}", ""))),
                optional=n == 3,
            )
            for n in (1, 2, 3)
        ],
    )


def submit_prompts(turn: Turn, round_id: int, values: dict[str, Any]) -> None:
    purpose_round = _coordinating(turn, round_id, rounds.GATHERING, "edit the prompts")
    typed = {f"prompt{n}": submitted_text(values.get(f"prompt{n}")) for n in (1, 2, 3)}
    prompts = [" ".join(t.split()) for t in typed.values() if t.strip()]
    problem = None
    if len(prompts) < 2:
        problem = "Give at least two prompts: specific questions get better answers."
    elif any(len(p) > MAX_PROMPT for p in prompts):
        problem = f"A prompt is longer than {MAX_PROMPT} characters."
    if problem:
        _form(turn, _prompts_form(purpose_round, typed, problem))
        return
    if notes := coaching.open_question_notes(values, prompts):  # never blocks: a switch
        _form(turn, with_findings(_prompts_form(purpose_round, typed), notes, AS_WRITTEN))
        return
    purpose_round.prompts = prompts
    collaborative, _ = turn.in_collaborative()
    turn.audit("purpose.prompts", f"purpose round #{purpose_round.number}: prompts changed")
    effects.update_everywhere(turn.session, turn.now, collaborative, round_key(purpose_round))
    turn.say("The prompts are saved.", "The invitation in every channel shows them now.")


def open_revision_form(turn: Turn, round_id: int) -> None:
    purpose_round = _coordinating(turn, round_id, rounds.REVISING, "revise the statement")
    _form(turn, _revision_form(turn.session, purpose_round, purpose_round.draft or ""))


def _revision_form(
    session: Session, purpose_round: PurposeRound, typed: str, error: str | None = None
) -> Form:
    """The statement to revise, under the draft and each objection's harm and remedy."""
    return Form(
        title="Revise the statement",
        action=SubmitForm(FormKind.REVISION, purpose_round.id).encode(),
        submit_label="Ask for consent",
        error=error,
        notes=revision_notes(session, purpose_round),
        inputs=[
            TextInput(
                name="statement",
                label=f"The statement, revised to meet the objections "
                f"({rounds.MAX_PROPOSAL} characters at most)",
                value=typed,
                multiline=True,
                max_length=max(rounds.MAX_PROPOSAL, len(typed)),
            )
        ],
    )


def submit_revision(turn: Turn, round_id: int, values: dict[str, Any]) -> None:
    purpose_round = _coordinating(turn, round_id, rounds.REVISING, "revise the statement")
    typed = submitted_text(values.get("statement"))
    text = " ".join(typed.split())
    problem = None
    if not text:
        problem = "Write the revised statement."
    elif len(text) > rounds.MAX_PROPOSAL:
        problem = f"The statement is {len(text):,} characters; the most is {rounds.MAX_PROPOSAL}."
    elif text == purpose_round.draft:
        problem = "That is the statement that drew objections; change it to meet them."
    if problem:
        _form(turn, _revision_form(turn.session, purpose_round, typed, problem))
        return
    collaborative, member = turn.in_collaborative()
    purpose_round.revisions += 1
    purpose_round.draft = text
    happened = f"Coordinators revised the statement (revision {purpose_round.revisions}): “{text}”."
    open_consent(Step(turn.session, turn.now, collaborative, purpose_round, member), happened)
    turn.say(
        f"Revision {purpose_round.revisions} is out for consent.",
        stage_line(purpose_round, collaborative.timezone),
    )


def _coordinating(turn: Turn, round_id: int, stage: str, doing: str) -> PurposeRound:
    collaborative, _ = turn.require_coordinator(doing)
    purpose_round = round_in(turn, collaborative, round_id)
    if purpose_round.stage != stage:
        raise Refusal(
            f"Purpose round #{purpose_round.number} has moved on "
            f"({stage_line(purpose_round, collaborative.timezone).split(' · ', 1)[1]}), "
            f"so it's too late to {doing}.",
            "Type `purpose status` to see where it is.",
        )
    return purpose_round


def _form(turn: Turn, form: Form) -> None:
    turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))


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
