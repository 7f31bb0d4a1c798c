"""The question coach (`dialogs.polls.coach`) where coordinators write questions: a poll command
held in its private preview (each half of a split one too), and the poll forms (new, edited,
or filled in from a template), check-in and purpose-prompt forms shown again.

Specific questions get swifter, fuller answers, so Concord points out what may make a
question hard to answer before it reaches every organisation. It never blocks: a preview
has Post anyway, and a form that comes back with findings has a switch to save or post the
question as written, because a coordinator may know better than the rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dialogs.core.cards import Block, Choice, ChoiceInput, Context, Text, submitted_text
from dialogs.core.language import N_, _
from dialogs.polls.coach import Review, review
from dialogs.polls.coach.findings import DOUBLE, TOO_MANY_OPTIONS

AS_WRITTEN = "as-written"  # the switch on a form that came back with findings
FORM_HEADING = N_(
    "Before this goes out, the question coach suggests a second look. Change the wording, "
    "or tick “{switch}” and submit again: the coach never blocks."
)
SHORTLIST_HINT = N_(
    "To shortlist, type the same command with `--type dots`: each person spreads a few dots "
    "over the options, and the top few go to a second poll."
)


def poll_review(question: str, options: Sequence[str]) -> Review:
    """What the coach finds in a poll's question and options."""
    return review("poll", question, list(options))


def halves(found: Review) -> tuple[str, ...]:
    """The two questions a double question splits into (none if it isn't double)."""
    return next((f.rewrites for f in found.findings if f.label == DOUBLE), ())


def preview_blocks(found: Review) -> list[Block]:
    """The findings for a poll preview: each as a warning, its suggestions beneath it."""
    blocks: list[Block] = []
    for finding in found.findings:
        blocks.append(Text(text=finding.message, tone="warning" if finding.label else "muted"))
        blocks += [Context(text=suggestion) for suggestion in finding.suggestions]
        if finding.label == TOO_MANY_OPTIONS:
            blocks.append(Context(text=_(SHORTLIST_HINT)))
    return blocks


def form_notes(questions: Sequence[tuple[str, Review]]) -> list[str]:
    """The findings on a form's questions, one line each, naming the question when a form
    holds several; nothing when none needs attention (hints alone never hold a form)."""
    if not any(found.needs_attention for unused, found in questions):
        return []
    named = len(questions) > 1
    notes = []
    for question, found in questions:
        for finding in found.findings:
            said = " ".join([finding.message, *finding.suggestions])
            notes.append(
                _("“{question}”: {said}").format(question=question, said=said) if named else said
            )
    return notes


def poll_notes(question: str, options: Sequence[str], values: dict[str, Any]) -> list[str]:
    """The findings on a poll's question and options for a form (new, edited or filled in
    from a template): none once the coordinator ticked the switch to go ahead."""
    if as_written(values):
        return []
    return form_notes([(question, poll_review(question, options))])


def open_question_notes(values: dict[str, Any], questions: Sequence[str]) -> list[str]:
    """The findings on questions answered in words (check-in questions, purpose prompts),
    for a submitted form: none once the coordinator ticked the switch to go ahead."""
    if as_written(values):
        return []
    return form_notes([(question, review("checkin", question)) for question in questions])


def heading(switch_label: str) -> str:
    return _(FORM_HEADING).format(switch=switch_label)


def as_written_switch(label: str) -> ChoiceInput:
    """The switch that saves or posts the question as written, unticked."""
    return ChoiceInput(
        name=AS_WRITTEN, label=label, choices=[Choice(label=_("yes"), value="yes")], multiple=True
    )


def as_written(values: dict[str, Any]) -> bool:
    """Whether the coordinator ticked the switch to go ahead as written."""
    return submitted_text(values.get(AS_WRITTEN)) == "yes"
