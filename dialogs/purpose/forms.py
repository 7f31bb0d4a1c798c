"""The coordinators' forms of a purpose round: its prompts, and a statement revised to meet
the objections at consent."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from dialogs.core import effects
from dialogs.core.actions import FormKind, SubmitForm
from dialogs.core.cards import ActorModel, Form, OpenForm, TextInput, submitted_text
from dialogs.core.language import N_, _
from dialogs.core.messages import round_key
from dialogs.core.turn import Refusal, Turn
from dialogs.polls import coaching
from dialogs.polls.poll_form import with_findings
from dialogs.purpose import rounds
from dialogs.purpose.cards import revision_notes, stage_line, stage_words
from dialogs.purpose.proposals import round_in
from dialogs.purpose.stages import Step, open_consent
from storage.models import PurposeRound

MAX_PROMPT = 200
AS_WRITTEN = N_("Save the prompts as written")


def open_prompts_form(turn: Turn, round_id: int) -> None:
    purpose_round = _coordinating(turn, round_id, rounds.GATHERING, N_("edit the prompts"))
    typed = {f"prompt{n}": p for n, p in enumerate(purpose_round.prompts, 1)}
    _form(turn, _prompts_form(purpose_round, typed))


def _prompts_form(
    purpose_round: PurposeRound, typed: dict[str, str], error: str | None = None
) -> Form:
    return Form(
        title=_("The prompts"),
        action=SubmitForm(FormKind.PROMPTS, purpose_round.id).encode(),
        submit_label=_("Save"),
        error=error,
        inputs=[
            TextInput(
                name=f"prompt{n}",
                label=(_("Prompt {number} (optional)") if n == 3 else _("Prompt {number}")).format(
                    number=n
                ),
                value=typed.get(f"prompt{n}", ""),
                max_length=max(MAX_PROMPT, len(typed.get(f"prompt{n}", ""))),
                optional=n == 3,
            )
            for n in (1, 2, 3)
        ],
    )


def submit_prompts(turn: Turn, round_id: int, values: dict[str, Any]) -> None:
    purpose_round = _coordinating(turn, round_id, rounds.GATHERING, N_("edit the prompts"))
    typed = {f"prompt{n}": submitted_text(values.get(f"prompt{n}")) for n in (1, 2, 3)}
    prompts = [" ".join(t.split()) for t in typed.values() if t.strip()]
    problem = None
    if len(prompts) < 2:
        problem = _("Give at least two prompts: specific questions get better answers.")
    elif any(len(p) > MAX_PROMPT for p in prompts):
        problem = _("A prompt is longer than {most} characters.").format(most=MAX_PROMPT)
    if problem:
        _form(turn, _prompts_form(purpose_round, typed, problem))
        return
    if notes := coaching.open_question_notes(values, prompts):  # never blocks: a switch
        _form(turn, with_findings(_prompts_form(purpose_round, typed), notes, _(AS_WRITTEN)))
        return
    purpose_round.prompts = prompts
    collaborative, __ = turn.in_collaborative()
    turn.audit(
        "purpose.prompts",
        lambda: _("purpose round #{number}: prompts changed").format(number=purpose_round.number),
    )
    effects.update_everywhere(turn.session, turn.now, collaborative, round_key(purpose_round))
    turn.say(_("The prompts are saved."), _("The invitation in every channel shows them now."))


def open_revision_form(turn: Turn, round_id: int) -> None:
    purpose_round = _coordinating(turn, round_id, rounds.REVISING, N_("revise the statement"))
    _form(turn, _revision_form(turn.session, purpose_round, purpose_round.draft or ""))


def _revision_form(
    session: Session, purpose_round: PurposeRound, typed: str, error: str | None = None
) -> Form:
    """The statement to revise, under the draft and each objection's harm and remedy."""
    return Form(
        title=_("Revise the statement"),
        action=SubmitForm(FormKind.REVISION, purpose_round.id).encode(),
        submit_label=_("Ask for consent"),
        error=error,
        notes=revision_notes(session, purpose_round),
        inputs=[
            TextInput(
                name="statement",
                label=_(
                    "The statement, revised to meet the objections ({most} characters at most)"
                ).format(most=rounds.MAX_PROPOSAL),
                value=typed,
                multiline=True,
                max_length=max(rounds.MAX_PROPOSAL, len(typed)),
            )
        ],
    )


def submit_revision(turn: Turn, round_id: int, values: dict[str, Any]) -> None:
    purpose_round = _coordinating(turn, round_id, rounds.REVISING, N_("revise the statement"))
    typed = submitted_text(values.get("statement"))
    text = " ".join(typed.split())
    problem = None
    if not text:
        problem = _("Write the revised statement.")
    elif len(text) > rounds.MAX_PROPOSAL:
        problem = _("The statement is {length} characters; the most is {most}.").format(
            length=f"{len(text):,}", most=rounds.MAX_PROPOSAL
        )
    elif text == purpose_round.draft:
        problem = _("That is the statement that drew objections; change it to meet them.")
    if problem:
        _form(turn, _revision_form(turn.session, purpose_round, typed, problem))
        return
    collaborative, member = turn.in_collaborative()
    purpose_round.revisions += 1
    purpose_round.draft = text
    revision = purpose_round.revisions
    step = Step(turn.session, turn.now, collaborative, purpose_round, member)
    open_consent(  # told in the channels' language
        step,
        lambda: _(
            "Coordinators revised the statement (revision {revision}): “{statement}”."
        ).format(revision=revision, statement=text),
    )
    turn.say(
        _("Revision {revision} is out for consent.").format(revision=purpose_round.revisions),
        stage_line(purpose_round, collaborative.timezone),
    )


def _coordinating(turn: Turn, round_id: int, stage: str, doing: str) -> PurposeRound:
    """`doing` is marked with `N_()`: what the coordinator asked to do."""
    collaborative, __ = turn.require_coordinator(doing)
    purpose_round = round_in(turn, collaborative, round_id)
    if purpose_round.stage != stage:
        raise Refusal(
            _(
                "Purpose round #{number} has moved on ({stage}), so it's too late to {doing}."
            ).format(
                number=purpose_round.number,
                stage=stage_words(purpose_round, collaborative.timezone),
                doing=_(doing),
            ),
            _("Type `purpose status` to see where it is."),
        )
    return purpose_round


def _form(turn: Turn, form: Form) -> None:
    turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))
