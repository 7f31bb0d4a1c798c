"""Starting a poll: the `poll` command, and the new-poll form it opens when given
nothing (submitted back here, and reopened with what was typed on any problem).

Both turn what they were given into a spec checked by `dialogs.polls.setup`, which
also creates the poll; this module only reads commands and forms.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from dialogs.commands.syntax import Command
from dialogs.commands.values import (
    NO_RULE,
    RULE_DEFAULT,
    RULE_WORD,
    parse_count,
    parse_duration,
    parse_mention,
)
from dialogs.commands.when import parse_picked, parse_when, read_picked
from dialogs.core.actions import SubmitPollIn
from dialogs.core.cards import (
    ActorModel,
    Choice,
    ChoiceInput,
    DateTimeInput,
    Form,
    OpenForm,
    TextInput,
)
from dialogs.core.modes import DELEGATED, JOINT, MODES
from dialogs.core.poll_types import DEFAULT_DOTS, POLL_TYPES, RESULTS
from dialogs.core.turn import Problem, Refusal, Turn
from dialogs.polls import preview, templates
from dialogs.polls.reviews.dates import review_date
from dialogs.polls.setup import (
    MAX_DESCRIPTION,
    MAX_OPTIONS,
    MAX_QUESTION,
    PollSpec,
    Timing,
    open_poll,
    validated_spec,
)
from storage.models import Collaborative

BLANK = "blank"  # the form's "Start from a template" choice of none
_YES = [Choice(label="yes", value="yes")]
# An edited poll's deadline moves with `poll extend`, its review with `decisions review`.
_TIMING = ("closes", "remind", "review")
_RULES = {
    NO_RULE: "no",
    RULE_WORD: "yes: the share below in every organisation that votes",
}


def start(turn: Turn, command: Command) -> None:
    if "question" not in command.args and not command.flags:
        open_form(turn)
        return
    turn.require_coordinator("start a poll")
    spec = spec_from_command(turn, command)
    if reasons := preview.doubts(command):
        preview.show(turn, command, spec, reasons)
        return
    open_poll(turn, spec)


def open_form(turn: Turn) -> None:
    """The empty new-poll form, for a coordinator."""
    collaborative, _ = turn.require_coordinator("start a poll")
    form = poll_form(collaborative, choices=templates.every(turn.session, collaborative))
    turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))


def from_draft(turn: Turn, draft_id: int, choice: str) -> None:
    """A preview's Post (the poll opens), Edit (the form, filled in) or Cancel."""
    command = preview.take(turn, draft_id, choice)
    if choice == "cancel":
        turn.say("Cancelled", "Nothing was posted.")
    elif choice == "edit":
        collaborative, _ = turn.in_collaborative()
        values = preview.form_values(command)
        if closes_at := spec_from_command(turn, command).closes_at:
            values["closes"] = closes_at.isoformat()  # the moment, as the pickers hold it
        form = poll_form(
            collaborative, values, choices=templates.every(turn.session, collaborative)
        )
        turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))
    else:
        open_poll(turn, spec_from_command(turn, command))


def spec_from_command(turn: Turn, command: Command) -> PollSpec:
    collaborative, _ = turn.in_collaborative()
    flags = command.flags
    closes_at = (
        parse_when(flags["closes"], turn.now, collaborative.timezone) if "closes" in flags else None
    )
    return validated_spec(
        turn,
        command.args.get("question", ""),
        command.args.get("options", []),
        flags,
        Timing(turn.now, closes_at, flags.get("remind"), _review_at(turn, flags.get("review"))),
    )


def _review_at(turn: Turn, typed: str | None) -> datetime | None:
    """When the decision comes up for review (`--review 6 months`, or a date)."""
    collaborative, _ = turn.in_collaborative()
    return review_date(typed, turn.now, collaborative.timezone) if typed else None


def poll_form(
    collaborative: Collaborative,
    values: dict[str, str] | None = None,
    error: str | None = None,
    choices: Sequence[templates.Template] = (),
) -> Form:
    """The new-poll form for `collaborative`, holding what was typed when it comes back with
    a problem. Its action names the collaborative, so it can be submitted from wherever the
    platform shows it (Teams: the person's 1:1 chat); the deadline is picked with the
    platform's date and time pickers, in the collaborative's time zone. It offers to start
    from one of `choices` (`dialogs.polls.templates`): submitted with one picked, it comes
    back filled in from it."""
    assert collaborative.id is not None
    values = {"mode": collaborative.governance, **(values or {})}
    form = _form(collaborative.timezone, SubmitPollIn(collaborative.id).encode(), values, error)
    if not choices:
        return form
    blank = [Choice(label="None: a blank poll", value=BLANK)]
    offered = blank + [Choice(label=t.name, value=t.name) for t in choices]
    label = "Start from a template (submit: the form comes back filled in)"
    picker = _pick({}, "template", label, offered, BLANK)
    return form.model_copy(update={"inputs": [picker, *form.inputs]})


def _form(timezone: str, action: str, values: dict[str, str] | None, error: str | None) -> Form:
    values = values or {}
    return Form(
        title="New poll",
        action=action,
        submit_label="Start poll",
        error=error,
        inputs=[
            TextInput(
                name="question",
                label="Question",
                value=values.get("question", ""),
                placeholder=values.get("prompt") or "Which priority should we tackle first?",
                max_length=MAX_QUESTION,
            ),
            _description(values),
            TextInput(
                name="options",
                label="Options, one per line (none for consent)",
                value=values.get("options", ""),
                multiline=True,
                max_length=3000,
                optional=True,
            ),
            _pick(
                values,
                "type",
                "People give",
                [Choice(label=t.choose, value=t.name) for t in POLL_TYPES.values()],
                "single",
            ),
            _text(values, "max", "At most this many choices (several choices)", length=2),
            _text(values, "dots", f"Dots each (dots; default {DEFAULT_DOTS})", length=3),
            _text(values, "objections", "Objections allowed (consent; default none)", length=3),
            _switch(
                values, "anonymous", "Anonymous: nobody can see who voted what; votes can't change"
            ),
            _pick(
                values,
                "results",
                "Show results",
                [Choice(label=r, value=r) for r in RESULTS],
                "live",
            ),
            _switch(values, "open-options", "Members may add options"),
            *_by_organisation(values),
            _deadline(values, timezone),
            _text(values, "remind", "Remind those who haven't voted after", "24h", length=20),
            *_governance(values),
            _text(values, "review", "Review the decision in (or on)", "6 months", length=40),
        ],
    )


def _by_organisation(values: dict[str, str]) -> list[TextInput | ChoiceInput]:
    """The settings about organisations: balance, quorum and the rule for every one."""
    rules = [Choice(label=label, value=value) for value, label in _RULES.items()]
    return [
        _switch(values, "balance", "Also show the result with organisations weighted equally"),
        _text(
            values, "quorum", "Provisional until each organisation has this many voters", length=2
        ),
        _pick(values, "rule", "Must it pass in every organisation?", rules, NO_RULE),
        _text(
            values, "rule-percent", "Share each organisation must reach, % (default 50)", length=3
        ),
    ]


def _governance(values: dict[str, str]) -> list[ChoiceInput | TextInput]:
    """How the poll decides (`dialogs.core.modes`), and who decides a delegated one."""
    ways = [Choice(label=f"{name}: {said}", value=name) for name, said in MODES.items()]
    return [
        _pick(values, "mode", "How this decides", ways, JOINT),
        _text(values, "decider", "Who decides (delegated): @person", "@person", length=100),
    ]


def edit_form(title: str, action: str, values: dict[str, str], error: str | None = None) -> Form:
    """The poll form filled in with a poll, to change it (its deadline moves with `poll
    extend`, so the form leaves it out)."""
    form = _form("UTC", action, values, error)  # no deadline pickers: no time zone matters
    return form.model_copy(
        update={
            "title": title,
            "submit_label": "Save changes",
            "inputs": [i for i in form.inputs if i.name not in _TIMING],
        }
    )


def _description(values: dict[str, str]) -> TextInput:
    return TextInput(
        name="description",
        label="Description: the context people need to vote (shown under the question)",
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


def _deadline(values: dict[str, str], timezone: str) -> DateTimeInput:
    """The platform's date and time pickers, holding what was picked (if a picker gave it)."""
    picked = read_picked(values.get("closes", ""), timezone)
    return DateTimeInput(name="closes", label="Closes", timezone=timezone, value=picked)


def _pick(
    values: dict[str, str], name: str, label: str, choices: list[Choice], default: str
) -> ChoiceInput:
    return ChoiceInput(name=name, label=label, choices=choices, value=[values.get(name) or default])


def _switch(values: dict[str, str], name: str, label: str) -> ChoiceInput:
    chosen = ["yes"] if values.get(name) == "yes" else []
    return ChoiceInput(name=name, label=label, choices=_YES, value=chosen, multiple=True)


def submit_form(turn: Turn, values: dict[str, str | list[str]]) -> None:
    """A submitted poll form; on any problem the form comes back with what was typed."""
    collaborative, _ = turn.require_coordinator("start a poll")
    typed = typed_values(values)
    offered = templates.every(turn.session, collaborative)
    if (picked := typed.pop("template", "")) and picked != BLANK:
        form = _from_template(turn, collaborative, picked, typed, offered)
        turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))
        return
    try:
        spec = spec_from_form(turn, typed, _timing_from_form(turn, collaborative, typed))
    except Problem as problem:
        form = poll_form(collaborative, typed, problem.problem, offered)
        turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))
        return
    open_poll(turn, spec)


def _from_template(
    turn: Turn,
    collaborative: Collaborative,
    picked: str,
    typed: dict[str, str],
    offered: Sequence[templates.Template],
) -> Form:
    """The form filled in anew from the template `picked` (this collaborative's or built in),
    keeping a question and description already typed."""
    chosen = templates.find(turn.session, collaborative, picked)
    kept = {name: typed[name] for name in ("question", "description") if typed.get(name)}
    form = poll_form(collaborative, chosen.values | {"prompt": chosen.prompt} | kept, None, offered)
    return form.model_copy(update={"refilled": True})


def typed_values(values: dict[str, str | list[str]]) -> dict[str, str]:
    """A submitted form's values as text: a choice's first pick, spaces trimmed."""
    flat = {k: (v[0] if isinstance(v, list) and v else v) for k, v in values.items()}
    return {k: v.strip() if isinstance(v, str) else "" for k, v in flat.items()}


def spec_from_form(turn: Turn, typed: dict[str, str], timing: Timing) -> PollSpec:
    """A poll form's values checked as a spec (the same rules as the `poll` command)."""
    return validated_spec(
        turn,
        typed.get("question", ""),
        [line for line in typed.get("options", "").splitlines() if line.strip()],
        _flags_from_form(typed),
        timing,
    )


def _flags_from_form(typed: dict[str, str]) -> dict[str, Any]:
    poll_type = typed.get("type") or "single"
    if poll_type not in POLL_TYPES:
        raise Refusal("Choose what people give.")
    flags: dict[str, Any] = {"type": poll_type}
    numbers = {"max": (1, MAX_OPTIONS), "dots": (1, 100), "objections": (0, 100), "quorum": (1, 50)}
    for name, (low, high) in numbers.items():
        if typed.get(name):
            flags[name] = parse_count(typed[name], f"“{name.capitalize()}”", low, high)
    if "quorum" in flags:
        flags["quorum"] = {"per": "org", "minimum": flags["quorum"]}
    if typed.get("results", "live") not in RESULTS:
        raise Refusal("Choose when results are shown.")
    flags["results"] = typed.get("results") or "live"
    for switch in ("anonymous", "open-options"):
        if typed.get(switch) == "yes":
            flags[switch] = True
    if typed.get("balance") == "yes":
        flags["balance"] = "orgs"
    if typed.get("description"):
        flags["description"] = typed["description"]
    if typed.get("rule", NO_RULE) not in _RULES:
        raise Refusal("Choose whether it must pass in every organisation.")
    if typed.get("rule") == RULE_WORD:
        percent = typed.get("rule-percent", "").rstrip("% ")
        what = "“Share each organisation must reach”"
        flags["rule"] = parse_count(percent, what, 1, 100) if percent else RULE_DEFAULT
    if typed.get("mode"):
        flags["mode"] = typed["mode"]
    if typed.get("decider") and flags.get("mode") == DELEGATED:  # a form's leftover is ignored
        flags["decider"] = parse_mention(typed["decider"])
    return flags


def _timing_from_form(turn: Turn, collaborative: Collaborative, typed: dict[str, str]) -> Timing:
    closes, remind = typed.get("closes", ""), typed.get("remind", "")
    return Timing(
        turn.now,
        parse_picked(closes, turn.now, collaborative.timezone) if closes else None,
        parse_duration(remind, "“Remind after”") if remind else None,
        _review_at(turn, typed.get("review")),
    )
