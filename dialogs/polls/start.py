"""Starting a poll: the `poll` command, and the new-poll form it opens when given
nothing (submitted back here, and reopened with what was typed on any problem, or with
the question coach's findings until the coordinator posts the question as written).

Both turn what they were given into a spec checked by `dialogs.polls.setup`, which
also creates the poll; this module only reads commands and forms.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from dialogs.commands.parser import parse, with_question
from dialogs.commands.syntax import Command
from dialogs.commands.values import (
    NO_RULE,
    RULE_DEFAULT,
    RULE_WORD,
    parse_count,
    parse_duration,
    parse_mention,
)
from dialogs.commands.when import parse_picked, parse_when
from dialogs.core.cards import (
    ActorModel,
    Form,
    OpenForm,
)
from dialogs.core.language import N_, _
from dialogs.core.modes import DELEGATED
from dialogs.core.poll_types import POLL_TYPES, RESULTS
from dialogs.core.turn import Problem, Refusal, Turn
from dialogs.polls import coaching, preview, series, templates
from dialogs.polls.poll_form import BLANK, RULES, poll_form
from dialogs.polls.reviews.dates import review_date
from dialogs.polls.setup import (
    MAX_OPTIONS,
    PollSpec,
    Timing,
    open_poll,
    validated_spec,
)
from storage.models import Collaborative

STARTING = N_("start a poll")


def start(turn: Turn, command: Command) -> None:
    if "question" not in command.args and not command.flags:
        open_form(turn)
        return
    turn.require_coordinator(STARTING)
    spec = spec_from_command(turn, command)
    reasons = preview.doubts(command)
    found = coaching.poll_review(spec.question, spec.options)
    if reasons or found.needs_attention:
        preview.show(turn, command, spec, reasons, found)
        return
    _post(turn, command, spec)


def _post(turn: Turn, command: Command, spec: PollSpec) -> None:
    """Open the poll now, or keep it as a series (`--every`) whose polls the ticker posts."""
    if "every" in command.flags:
        series.start_series(turn, command.flags, spec)
    else:
        open_poll(turn, spec)


def open_form(turn: Turn) -> None:
    """The empty new-poll form, for a coordinator."""
    collaborative, unused = turn.require_coordinator(STARTING)
    form = poll_form(collaborative, choices=templates.every(turn.session, collaborative))
    turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))


def from_draft(turn: Turn, draft_id: int, choice: str) -> None:
    """A preview's Post (the poll opens), Split (two polls open), Edit (the form, filled
    in) or Cancel."""
    command = preview.take(turn, draft_id, choice)
    if choice == "cancel":
        turn.say(_("Cancelled"), _("Nothing was posted."))
    elif choice == "split":
        _split(turn, command)
    elif choice == "edit":
        if "every" in command.flags:
            raise Refusal(
                _("The poll form makes single polls, so a recurring poll can't be edited there."),
                _("Type the `poll … --every` command again with the change, or Post it as it is."),
            )
        collaborative, unused = turn.in_collaborative()
        values = preview.form_values(command)
        spec = spec_from_command(turn, command)
        for name, moment in (("closes", spec.closes_at), ("opens", spec.opens_at)):
            if moment:
                values[name] = moment.isoformat()  # the moment, as the pickers hold it
        form = poll_form(
            collaborative, values, choices=templates.every(turn.session, collaborative)
        )
        turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))
    else:
        _post(turn, command, spec_from_command(turn, command))


def _split(turn: Turn, command: Command) -> None:
    """The two questions a double question splits into, each with the same options and
    settings, and each reviewed like a new one: a half the coach passes posts, a half with
    findings is held in a preview of its own (a refusal rolls both back, and the preview
    stays usable)."""
    spec = spec_from_command(turn, command)
    parts = coaching.halves(coaching.poll_review(spec.question, spec.options))
    if len(parts) != 2:
        raise Refusal(
            _("The coach no longer reads this as two questions."),
            _("Post it as it is, or type the two `poll` commands yourself."),
        )
    for part in parts:
        half = parse(with_question(command.text, part))
        half_spec = spec_from_command(turn, half)
        found = coaching.poll_review(half_spec.question, half_spec.options)
        if found.needs_attention:
            preview.show(turn, half, half_spec, [], found)
        else:
            _post(turn, half, half_spec)


def spec_from_command(turn: Turn, command: Command) -> PollSpec:
    collaborative, unused = turn.in_collaborative()
    flags = command.flags
    review_at = _review_at(turn, flags.get("review"))
    if "every" in flags:  # the rules are checked against the first poll of the series
        plan = series.plan(turn, flags)
        timing = Timing(
            plan.first.due_at, plan.first_closes_at, flags.get("remind"), plan.moved(review_at)
        )
    else:
        series.refuse_closes_after_alone(flags)
        closes_at, opens_at = (
            parse_when(flags[name], turn.now, collaborative.timezone) if name in flags else None
            for name in ("closes", "opens")
        )
        timing = Timing(turn.now, closes_at, flags.get("remind"), review_at, opens_at)
    return validated_spec(
        turn,
        command.args.get("question", ""),
        command.args.get("options", []),
        flags,
        timing,
    )


def _review_at(turn: Turn, typed: str | None) -> datetime | None:
    """When the decision comes up for review (`--review 6 months`, or a date)."""
    collaborative, unused = turn.in_collaborative()
    return review_date(typed, turn.now, collaborative.timezone) if typed else None


def submit_form(turn: Turn, values: dict[str, str | list[str]]) -> None:
    """A submitted poll form; on any problem the form comes back with what was typed."""
    collaborative, unused = turn.require_coordinator(STARTING)
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
    if notes := coaching.poll_notes(spec.question, spec.options, values):
        form = poll_form(collaborative, typed, None, offered, notes)
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
    form = poll_form(collaborative, chosen.filled() | {"prompt": chosen.hint} | kept, None, offered)
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
        raise Refusal(_("Choose what people give."))
    flags: dict[str, Any] = {"type": poll_type}
    numbers = {"max": (1, MAX_OPTIONS), "dots": (1, 100), "objections": (0, 100), "quorum": (1, 50)}
    for name, (low, high) in numbers.items():
        if typed.get(name):
            flags[name] = parse_count(typed[name], f"“{name.capitalize()}”", low, high)
    if "quorum" in flags:
        flags["quorum"] = {"per": "org", "minimum": flags["quorum"]}
    if typed.get("results", "live") not in RESULTS:
        raise Refusal(_("Choose when results are shown."))
    flags["results"] = typed.get("results") or "live"
    for switch in ("anonymous", "open-options"):
        if typed.get(switch) == "yes":
            flags[switch] = True
    if typed.get("balance") == "yes":
        flags["balance"] = "orgs"
    if typed.get("description"):
        flags["description"] = typed["description"]
    if typed.get("rule", NO_RULE) not in RULES:
        raise Refusal(_("Choose whether it must pass in every organisation."))
    if typed.get("rule") == RULE_WORD:
        percent = typed.get("rule-percent", "").rstrip("% ")
        what = _("“Share each organisation must reach”")
        flags["rule"] = parse_count(percent, what, 1, 100) if percent else RULE_DEFAULT
    if typed.get("mode"):
        flags["mode"] = typed["mode"]
    if typed.get("decider") and flags.get("mode") == DELEGATED:  # a form's leftover is ignored
        flags["decider"] = parse_mention(typed["decider"])
    return flags


def _timing_from_form(turn: Turn, collaborative: Collaborative, typed: dict[str, str]) -> Timing:
    closes, opens, remind = (typed.get(name, "") for name in ("closes", "opens", "remind"))
    zone = collaborative.timezone
    return Timing(
        turn.now,
        parse_picked(closes, turn.now, zone) if closes else None,
        parse_duration(remind, _("“Remind after”")) if remind else None,
        _review_at(turn, typed.get("review")),
        parse_picked(opens, turn.now, zone) if opens else None,
    )
