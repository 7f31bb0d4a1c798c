"""The poll form's fields: the new-poll form (`dialogs.polls.start`), the same form filled in
from a template or a copy (`dialogs.polls.copies`), and a poll's edit form
(`dialogs.polls.editing`). Only the layout lives here; what a submitted form means is read
in `start`.
"""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.commands.values import NO_RULE, RULE_WORD
from dialogs.commands.when import read_picked
from dialogs.core.actions import SubmitPollIn
from dialogs.core.cards import Choice, ChoiceInput, DateTimeInput, Form, TextInput
from dialogs.core.language import N_, _
from dialogs.core.modes import JOINT, MODES
from dialogs.core.poll_types import DEFAULT_DOTS, POLL_TYPES, RESULTS
from dialogs.polls import coaching, templates
from dialogs.polls.setup import MAX_DESCRIPTION, MAX_QUESTION
from storage.models import Collaborative

BLANK = "blank"  # the form's "Start from a template" choice of none
# An edited poll's deadline moves with `poll extend`, its review with `decisions review`.
_TIMING = ("opens", "closes", "remind", "review")
RULES = {
    NO_RULE: N_("no"),
    RULE_WORD: N_("yes: the share below in every organisation that votes"),
}


def poll_form(
    collaborative: Collaborative,
    values: dict[str, str] | None = None,
    error: str | None = None,
    choices: Sequence[templates.Template] = (),
    coached: Sequence[str] = (),
) -> Form:
    """The new-poll form for `collaborative`, holding what was typed when it comes back with
    a problem, or with the question coach's findings (`coached`, see `with_findings`). Its
    action names the collaborative, so it can be submitted from wherever the platform shows
    it (Teams: the person's 1:1 chat); the deadline is picked with the platform's date and
    time pickers, in the collaborative's time zone. It offers to start
    from one of `choices` (`dialogs.polls.templates`): submitted with one picked, it comes
    back filled in from it."""
    assert collaborative.id is not None
    values = {"mode": collaborative.governance, **(values or {})}
    form = _form(collaborative.timezone, SubmitPollIn(collaborative.id).encode(), values, error)
    if coached:
        form = with_findings(form, coached, _("Post the question as written"))
    if not choices:
        return form
    blank = [Choice(label=_("None: a blank poll"), value=BLANK)]
    offered = blank + [Choice(label=t.title, value=t.name) for t in choices]
    label = _("Start from a template (submit: the form comes back filled in)")
    picker = _pick({}, "template", label, offered, BLANK)
    return form.model_copy(update={"inputs": [picker, *form.inputs]})


def _form(timezone: str, action: str, values: dict[str, str] | None, error: str | None) -> Form:
    values = values or {}
    return Form(
        title=_("New poll"),
        action=action,
        submit_label=_("Start poll"),
        error=error,
        inputs=[
            TextInput(
                name="question",
                label=_("Question"),
                value=values.get("question", ""),
                placeholder=values.get("prompt") or _("Which priority should we tackle first?"),
                max_length=MAX_QUESTION,
            ),
            _description(values),
            TextInput(
                name="options",
                label=_("Options, one per line (none for consent)"),
                value=values.get("options", ""),
                multiline=True,
                max_length=3000,
                optional=True,
            ),
            _pick(
                values,
                "type",
                _("People give"),
                [Choice(label=_(t.choose), value=t.name) for t in POLL_TYPES.values()],
                "single",
            ),
            _text(values, "max", _("At most this many choices (several choices)"), length=2),
            _text(
                values,
                "dots",
                _("Dots each (dots; default {count})").format(count=DEFAULT_DOTS),
                length=3,
            ),
            _text(values, "objections", _("Objections allowed (consent; default none)"), length=3),
            _switch(
                values,
                "anonymous",
                _("Anonymous: nobody can see who voted what; votes can't change"),
            ),
            _pick(
                values,
                "results",
                _("Show results"),
                [Choice(label=r, value=r) for r in RESULTS],
                "live",
            ),
            _switch(values, "open-options", _("Members may add options")),
            *_by_organisation(values),
            _picker(values, timezone, "opens", _("Opens (empty: now)")),
            _picker(values, timezone, "closes", _("Closes")),
            _text(values, "remind", _("Remind those who haven't voted after"), "24h", length=20),
            *_governance(values),
            _text(values, "review", _("Review the decision in (or on)"), "6 months", length=40),
        ],
    )


def with_findings(form: Form, notes: Sequence[str], switch_label: str) -> Form:
    """`form` with the coach's findings above it and, under its first field (the question),
    the switch that goes ahead as written."""
    first, *rest = form.inputs
    return form.model_copy(
        update={
            "error": coaching.heading(switch_label),
            "notes": [*form.notes, *notes],
            "inputs": [first, coaching.as_written_switch(switch_label), *rest],
        }
    )


def _by_organisation(values: dict[str, str]) -> list[TextInput | ChoiceInput]:
    """The settings about organisations: balance, quorum and the rule for every one."""
    rules = [Choice(label=_(label), value=value) for value, label in RULES.items()]
    return [
        _switch(values, "balance", _("Also show the result with organisations weighted equally")),
        _text(
            values,
            "quorum",
            _("Provisional until each organisation has this many voters"),
            length=2,
        ),
        _pick(values, "rule", _("Must it pass in every organisation?"), rules, NO_RULE),
        _text(
            values,
            "rule-percent",
            _("Share each organisation must reach, % (default 50)"),
            length=3,
        ),
    ]


def _governance(values: dict[str, str]) -> list[ChoiceInput | TextInput]:
    """How the poll decides (`dialogs.core.modes`), and who decides a delegated one."""
    ways = [Choice(label=f"{name}: {_(said)}", value=name) for name, said in MODES.items()]
    return [
        _pick(values, "mode", _("How this decides"), ways, JOINT),
        _text(values, "decider", _("Who decides (delegated): @person"), "@person", length=100),
    ]


def edit_form(
    title: str,
    action: str,
    values: dict[str, str],
    error: str | None = None,
    scheduled_in: str | None = None,
    coached: Sequence[str] = (),
) -> Form:
    """The poll form filled in with a poll, to change it. An open poll's deadline moves with
    `poll extend`, so its form leaves the timing out; a scheduled poll's form keeps its
    opening, deadline and reminder, picked in the collaborative's zone `scheduled_in`. A
    reworded question comes back with the coach's findings (`coached`), as a new one does."""
    form = _form(scheduled_in or "UTC", action, values, error)
    kept = ("opens", "closes", "remind") if scheduled_in else ()
    form = form.model_copy(
        update={
            "title": title,
            "submit_label": _("Save changes"),
            "inputs": [i for i in form.inputs if i.name not in _TIMING or i.name in kept],
        }
    )
    return with_findings(form, coached, _("Save the question as written")) if coached else form


def _description(values: dict[str, str]) -> TextInput:
    return TextInput(
        name="description",
        label=_("Description: the context people need to vote (shown under the question)"),
        value=values.get("description", ""),
        multiline=True,
        max_length=MAX_DESCRIPTION,
        optional=True,
    )


def _text(
    values: dict[str, str], name: str, label: str, placeholder: str = "", length: int = 60
) -> TextInput:
    return TextInput(
        name=name,
        label=label,
        value=values.get(name, ""),
        placeholder=placeholder,
        max_length=length,
        optional=True,
    )


def _picker(values: dict[str, str], timezone: str, name: str, label: str) -> DateTimeInput:
    """The platform's date and time pickers, holding what was picked (if a picker gave it)."""
    picked = read_picked(values.get(name, ""), timezone)
    return DateTimeInput(name=name, label=label, timezone=timezone, value=picked)


def _pick(
    values: dict[str, str], name: str, label: str, choices: list[Choice], default: str
) -> ChoiceInput:
    return ChoiceInput(name=name, label=label, choices=choices, value=[values.get(name) or default])


def _switch(values: dict[str, str], name: str, label: str) -> ChoiceInput:
    chosen = ["yes"] if values.get(name) == "yes" else []
    yes = [Choice(label=_("yes"), value="yes")]
    return ChoiceInput(name=name, label=label, choices=yes, value=chosen, multiple=True)
