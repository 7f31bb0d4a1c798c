"""Ranked, score and dots polls, voted in a form: the form opened (with the member's
last ballot filled in), what was typed parsed and checked, and the ballot submitted.

A form that doesn't add up comes back with what was typed and the problem; a good
one is recorded like any vote, by `dialogs.polls.voting.record`.
"""

from __future__ import annotations

import re
from typing import Any

from dialogs.core.actions import FormKind, SubmitForm
from dialogs.core.cards import ActorModel, Choice, ChoiceInput, Form, OpenForm, TextInput
from dialogs.core.language import N_, _, ngettext
from dialogs.core.poll_types import SCORE_MAX, SCORE_MIN, STANCE_LABELS
from dialogs.core.turn import Refusal, Turn
from dialogs.polls.results import labels
from dialogs.polls.voting import BUTTON_TYPES, checked_voter, own_ballot, record, voted_for
from storage.models import Ballot, Poll

FORM_TYPES = ("ranked", "score", "dots")  # the poll types voted in a form
BUTTONS_ONLY = N_("This poll is voted with its buttons.")
# How a ballot is named back to its voter, and to the member a deputy cast it for.
SAID = {
    "consent": (
        N_("You responded “{choices}”"),
        N_("{deputy}, your deputy, responded “{choices}” for you"),
    ),
    "ranked": (N_("You ranked {choices}"), N_("{deputy}, your deputy, ranked {choices} for you")),
    "score": (N_("You scored {choices}"), N_("{deputy}, your deputy, scored {choices} for you")),
    "dots": (N_("You put {choices}"), N_("{deputy}, your deputy, put {choices} for you")),
}
ORDINALS = (
    *(N_("1st"), N_("2nd"), N_("3rd"), N_("4th"), N_("5th"), N_("6th"), N_("7th")),
    *(N_("8th"), N_("9th"), N_("10th"), N_("11th"), N_("12th"), N_("13th"), N_("14th")),
    *(N_("15th"), N_("16th"), N_("17th"), N_("18th"), N_("19th"), N_("20th")),
)


def open_ballot_form(turn: Turn, poll_id: int) -> None:
    __, member, poll = checked_voter(turn, poll_id)
    if poll.type not in FORM_TYPES:  # a forged or stale button: this poll has its own
        raise Refusal(_(BUTTONS_ONLY))
    previous = own_ballot(turn.session, poll, member)
    turn.replies.append(
        OpenForm(
            actor=ActorModel.of(turn.actor), form=ballot_form(turn, poll, prefill(poll, previous))
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
                label=_("{ordinal} choice").format(ordinal=_ordinal(n + 1)),
                choices=choices,
                value=chosen(f"rank{n}"),
            )
            for n in range(len(names))
        ]
        title = _("Rank the options (leave the rest blank)")
    elif poll.type == "score":
        scale = [Choice(label=str(s), value=str(s)) for s in range(SCORE_MIN, SCORE_MAX + 1)]
        inputs = [
            ChoiceInput(name=f"score{i}", label=name, choices=scale, value=chosen(f"score{i}"))
            for i, name in enumerate(names)
        ]
        title = _("Score each option from {low} to {high}").format(low=SCORE_MIN, high=SCORE_MAX)
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
        dots = poll.settings["dots"]
        title = ngettext("Spread up to {count} dot", "Spread up to {count} dots", dots).format(
            count=dots
        )
    return Form(
        title=_("Poll #{number}: {title}").format(number=poll.number, title=title),
        action=SubmitForm(FormKind.BALLOT, poll.id).encode(),
        # The form is the second step before a vote; an anonymous one says it is the last.
        submit_label=_("Cast my final vote") if poll.settings.get("anonymous") else _("Vote"),
        inputs=inputs,
        error=error,
    )


def submit_ballot(turn: Turn, poll_id: int, values: dict[str, Any]) -> None:
    __, member, poll = checked_voter(turn, poll_id)
    typed = typed_values(values)
    if poll.type not in FORM_TYPES:
        raise Refusal(_(BUTTONS_ONLY))
    try:
        content = form_content(turn, poll, typed)
    except Refusal as problem:
        turn.replies.append(
            OpenForm(
                actor=ActorModel.of(turn.actor),
                form=ballot_form(turn, poll, typed, problem.problem),
            )
        )
        return
    done = described(poll, content, labels(turn.session, poll))
    record(turn, poll, member, content, done, own_ballot(turn.session, poll, member))


def typed_values(values: dict[str, Any]) -> dict[str, str]:
    """A submitted form's values as stripped text (a choice arrives as a list of one)."""
    typed = {k: (v[0] if isinstance(v, list) and v else v) for k, v in values.items()}
    return {k: v.strip() for k, v in typed.items() if isinstance(v, str)}


def form_content(turn: Turn, poll: Poll, typed: dict[str, str]) -> list[int]:
    """A ranked, score or dots ballot from its form's `typed` values, or a Refusal."""
    count = len(labels(turn.session, poll))
    return {"ranked": _ranking, "score": _scores, "dots": _dots}[poll.type](typed, count, poll)


def described(poll: Poll, content: list[Any], names: list[str], deputy: str = "") -> str:
    """What a ballot of any type said, named back to the voter: "You voted “B”",
    "You responded “Agree”", "You ranked “A” 1st, “B” 2nd"; or, to the member a `deputy`
    cast it for, "Ben, your deputy, voted “B” for you"."""
    if poll.type in BUTTON_TYPES:
        return voted_for(names, content, deputy)
    mine, theirs = SAID[poll.type]
    return _(theirs if deputy else mine).format(
        choices=_choices(poll, content, names), deputy=deputy
    )


def _choices(poll: Poll, content: list[Any], names: list[str]) -> str:
    if poll.type == "consent":
        return _(STANCE_LABELS[content[0]])
    if poll.type == "ranked":
        return ", ".join(
            _("“{option}” {ordinal}").format(option=names[p], ordinal=_ordinal(n))
            for n, p in enumerate(content, 1)
        )
    if poll.type == "score":
        return ", ".join(f"“{name}” {score}" for name, score in zip(names, content, strict=True))
    placed = [(name, dots) for name, dots in zip(names, content, strict=True) if dots]
    return ", ".join(
        ngettext("{count} dot on “{option}”", "{count} dots on “{option}”", dots).format(
            count=dots, option=name
        )
        for name, dots in placed
    )


def _ranking(typed: dict[str, str], count: int, _poll: Poll) -> list[int]:
    given = [typed.get(f"rank{n}", "") for n in range(count)]
    while given and not given[-1]:
        given.pop()
    if not given:
        raise Refusal(_("Choose at least your first choice."))
    if "" in given:
        raise Refusal(_("Fill your choices in order, without gaps."))
    positions = [_position(value, count) for value in given]
    if len(set(positions)) != len(positions):
        raise Refusal(_("You ranked the same option twice."))
    return positions


def _scores(typed: dict[str, str], count: int, _poll: Poll) -> list[int]:
    scores = []
    for i in range(count):
        score = _whole(typed.get(f"score{i}", ""))
        if score is None or not SCORE_MIN <= score <= SCORE_MAX:
            raise Refusal(
                _("Score every option from {low} to {high}.").format(low=SCORE_MIN, high=SCORE_MAX)
            )
        scores.append(score)
    return scores


def _dots(typed: dict[str, str], count: int, poll: Poll) -> list[int]:
    dots = []
    for i in range(count):
        placed = _whole(typed.get(f"dots{i}", "") or "0")
        if placed is None:
            raise Refusal(_("Dots are whole numbers."))
        dots.append(placed)
    allowed = poll.settings["dots"]
    if sum(dots) > allowed:
        raise Refusal(
            _("That is {count} dots; you have {allowed}.").format(count=sum(dots), allowed=allowed)
        )
    if sum(dots) == 0:
        raise Refusal(_("Place at least one dot."))
    return dots


def _position(value: str, count: int) -> int:
    position = _whole(value)
    if position is None or position >= count:
        raise Refusal(_("That option isn't part of this poll."))
    return position


def _whole(value: str) -> int | None:
    """A typed whole number (plain digits, at most nine), or None: `isdigit` alone lets
    "²" through, and `int` of thousands of digits raises."""
    return int(value) if re.fullmatch(r"\d{1,9}", value, re.ASCII) else None


def prefill(poll: Poll, previous: Ballot | None) -> dict[str, str]:
    """The form's values showing `previous`, the ballot it changes."""
    if previous is None:
        return {}
    if poll.type == "ranked":
        return {f"rank{n}": str(p) for n, p in enumerate(previous.choices)}
    prefix = "score" if poll.type == "score" else "dots"
    return {f"{prefix}{i}": str(v) for i, v in enumerate(previous.choices)}


def _ordinal(n: int) -> str:
    """ "1st", "2nd": from the catalogs up to the most options a poll can have."""
    if 1 <= n <= len(ORDINALS):
        return _(ORDINALS[n - 1])
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
