"""Answering a check-in: a scale button in the channel, or every question privately in a form.

Only members of the run's collaborative answer, never observers, and only while the run is
open. An answer can be changed until the window closes; each one re-renders the run's
message everywhere (its count of who answered).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from dialogs.checkins.runs import SCALE, posted_in_channels
from dialogs.commands.when import moment
from dialogs.core import effects
from dialogs.core.actions import FormKind, SubmitForm
from dialogs.core.cards import ActorModel, Choice, ChoiceInput, Form, OpenForm, TextInput
from dialogs.core.language import _
from dialogs.core.messages import checkin_key
from dialogs.core.turn import Refusal, Turn
from storage.models import CheckinAnswer, CheckinRun, CheckinSchedule, Member

MAX_TEXT_ANSWER = 1000


def answer(turn: Turn, run_id: int, question: int, value: int) -> None:
    run, schedule, member = _answering(turn, run_id)
    if (
        not 0 <= question < len(schedule.questions)
        or schedule.questions[question]["kind"] != "scale"
    ):
        raise Refusal(_("That question isn't part of this check-in."))
    if value not in SCALE:
        raise Refusal(_("Answers go from 1 to 5."))
    _store(turn, run, member, question, value=value)
    _update_count(turn, run)
    turn.say(
        _("Thanks — you answered {value}.").format(value=value),
        _("You can change it until {time}.").format(time=moment(run.closes_at, schedule.timezone)),
    )


def open_answer_form(turn: Turn, run_id: int) -> None:
    run, schedule, member = _answering(turn, run_id)
    mine = {
        a.question: a
        for a in turn.session.exec(
            select(CheckinAnswer).where(
                CheckinAnswer.run_id == run.id, CheckinAnswer.member_id == member.id
            )
        ).all()
    }
    turn.replies.append(
        OpenForm(actor=ActorModel.of(turn.actor), form=answer_form(run, schedule, _values(mine)))
    )


def answer_form(
    run: CheckinRun, schedule: CheckinSchedule, values: dict[str, str], error: str | None = None
) -> Form:
    inputs: list[Any] = []
    for index, question in enumerate(schedule.questions):
        name = f"q{index}"
        if question["kind"] == "scale":
            inputs.append(
                ChoiceInput(
                    name=name,
                    label=question["text"],
                    value=[values[name]] if values.get(name) else [],
                    choices=[Choice(label=str(v), value=str(v)) for v in SCALE],
                )
            )
        else:
            inputs.append(
                TextInput(
                    name=name,
                    label=question["text"],
                    multiline=True,
                    optional=True,
                    max_length=MAX_TEXT_ANSWER,
                    value=values.get(name, ""),
                )
            )
    return Form(
        title=_("Check-in #{number}").format(number=schedule.number),
        action=SubmitForm(FormKind.CHECKIN_ANSWER, run.id).encode(),
        submit_label=_("Send answers"),
        inputs=inputs,
        error=error,
    )


def submit_answers(turn: Turn, run_id: int, form_values: dict[str, Any]) -> None:
    run, schedule, member = _answering(turn, run_id)
    values = {k: (v[0] if isinstance(v, list) and v else v) for k, v in form_values.items()}
    values = {k: v.strip() for k, v in values.items() if isinstance(v, str)}
    try:
        parsed = _parse_answers(schedule, values)
    except Refusal as problem:
        turn.replies.append(
            OpenForm(
                actor=ActorModel.of(turn.actor),
                form=answer_form(run, schedule, values, problem.problem),
            )
        )
        return
    for question, (value, text) in parsed.items():
        _store(turn, run, member, question, value=value, text=text)
    _update_count(turn, run)
    turn.say(
        _("Thanks — your answers are in."),
        _("You can change them until {time}.").format(
            time=moment(run.closes_at, schedule.timezone)
        ),
    )


def _parse_answers(schedule: CheckinSchedule, values: dict[str, str]) -> dict[int, tuple]:
    parsed: dict[int, tuple] = {}
    for index, question in enumerate(schedule.questions):
        given = values.get(f"q{index}", "")
        if not given:
            continue
        if question["kind"] == "scale":
            if given not in {str(v) for v in SCALE}:
                raise Refusal(
                    _("Answer “{question}” from 1 to 5.").format(question=question["text"][:60])
                )
            parsed[index] = (int(given), None)
        else:
            if len(given) > MAX_TEXT_ANSWER:
                raise Refusal(
                    _("A written answer is {length} characters; the most is {most}.").format(
                        length=f"{len(given):,}", most=f"{MAX_TEXT_ANSWER:,}"
                    )
                )
            parsed[index] = (None, given)
    if not parsed:
        raise Refusal(_("Answer at least one question."))
    return parsed


def _values(answers: dict[int, CheckinAnswer]) -> dict[str, str]:
    return {
        f"q{q}": str(a.value) if a.value is not None else (a.text or "") for q, a in answers.items()
    }


def _answering(turn: Turn, run_id: int) -> tuple[CheckinRun, CheckinSchedule, Member]:
    collaborative, member = turn.in_collaborative()
    run = turn.session.get(CheckinRun, run_id)
    schedule = turn.session.get(CheckinSchedule, run.schedule_id) if run else None
    if run is None or schedule is None or schedule.collaborative_id != collaborative.id:
        raise Refusal(_("That check-in isn't part of this channel's collaborative."))
    if run.status != "open" or (run.closes_at and turn.now >= run.closes_at):
        raise Refusal(
            _("Check-in #{number} has closed; its summary is in the channel.").format(
                number=schedule.number
            )
        )
    if member.role == "observer":
        raise Refusal(_("Observers see check-ins but do not answer."))

    return run, schedule, member


def _update_count(turn: Turn, run: CheckinRun) -> None:
    """Re-render the run's count of who answered in the channels, where it was posted."""
    if turn.collaborative is not None and posted_in_channels(turn.session, run):
        effects.update_everywhere(turn.session, turn.now, turn.collaborative, checkin_key(run))


def _store(
    turn: Turn,
    run: CheckinRun,
    member: Member,
    question: int,
    *,
    value: int | None = None,
    text: str | None = None,
) -> None:
    existing = turn.session.exec(
        select(CheckinAnswer).where(
            CheckinAnswer.run_id == run.id,
            CheckinAnswer.member_id == member.id,
            CheckinAnswer.question == question,
        )
    ).first()
    if existing is None:
        assert run.id is not None and member.id is not None
        existing = CheckinAnswer(
            run_id=run.id, member_id=member.id, question=question, answered_at=turn.now
        )
        turn.session.add(existing)
    existing.value, existing.text = value, text
    existing.organisation_id = member.organisation_id
    existing.answered_at = turn.now
    turn.session.flush()
