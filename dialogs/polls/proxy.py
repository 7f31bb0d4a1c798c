"""Voting for someone else: a deputy (`dialogs.collaborative.deputies`) casts the ballot of
the member they stand in for, from the “Vote for …” button on their own view of a poll or
the reply to `vote ID --for @member`, or by typing `vote ID CHOICE --for @member`; and
`vote ID CHOICE` typed for oneself.

The ballot is the member's own: it counts once, in their organisation, and records who
cast it (`Ballot.cast_by`); the decision log says “cast by X for Y” and the member is told
privately. A deputy's vote never replaces one the member cast themselves; the member's
later vote replaces the deputy's. Anonymous polls refuse: a ballot cast for someone has
to say whose it is, and an anonymous ballot says nobody's. Every click is re-checked.
"""

from __future__ import annotations

from typing import Any

from dialogs.collaborative.deputies import represented, standing_in
from dialogs.collaborative.members import resolve_person
from dialogs.commands.syntax import Command
from dialogs.commands.values import parse_mention
from dialogs.core import effects, readable
from dialogs.core.actions import FormKind, RequestForm, SubmitForm, read_id
from dialogs.core.cards import (
    Actions,
    ActorModel,
    Button,
    Card,
    Choice,
    ChoiceInput,
    Form,
    OpenForm,
    Text,
    TextInput,
)
from dialogs.core.language import _
from dialogs.core.poll_types import NEEDS_REASON, STANCE_LABELS, STANCES
from dialogs.core.turn import Refusal, Turn
from dialogs.polls.ballot_forms import (
    FORM_TYPES,
    ballot_form,
    described,
    form_content,
    prefill,
    typed_values,
)
from dialogs.polls.lifecycle import poll_by_number
from dialogs.polls.results import labels, options
from dialogs.polls.voting import (
    BUTTON_TYPES,
    MAX_REASON,
    button_choice,
    own_ballot,
    poll_in,
    record,
    vote,
    vote_refusal,
)
from storage.models import Ballot, Collaborative, Member, Poll, PollOption

Checked = tuple[Collaborative, Member, Member, Poll, Ballot | None]


def checked_proxy(turn: Turn, poll_id: int, member_id: int) -> Checked:
    """The collaborative, deputy, member, poll and the member's current ballot of a vote the
    acting deputy may cast for member `member_id` now, or a Refusal saying why not."""
    collaborative, deputy = turn.in_collaborative()
    poll = poll_in(turn, collaborative, poll_id)
    member = turn.session.get(Member, member_id) if member_id else None
    if member is None or standing_in(turn.session, deputy, member_id, turn.now) is None:
        raise Refusal(
            _("You aren't {name}'s deputy now, so you can't vote for them.").format(
                name=member.display_name
            )
            if member is not None and member.collaborative_id == collaborative.id
            else _("You aren't anyone's deputy now, so there is nobody to vote for."),
            _("Type `deputy list` to see who is deputy for whom."),
        )
    if poll.settings.get("anonymous"):
        raise Refusal(
            _("Poll #{number} is anonymous, so nobody can vote in it for someone else.").format(
                number=poll.number
            ),
            _(
                "A vote cast for someone has to say whose it is, and an anonymous vote says "
                "nobody's. {name} can vote themselves."
            ).format(name=member.display_name),
        )
    if member.organisation_id != deputy.organisation_id:
        raise Refusal(
            _("{name} is no longer in your organisation, so you can't vote for them.").format(
                name=member.display_name
            )
        )
    if refusal := vote_refusal(collaborative, member, poll, turn.now, participated=False):
        raise refusal
    previous = own_ballot(turn.session, poll, member)
    if previous is not None and previous.cast_by is None:
        raise Refusal(
            _("{name} has voted in poll #{number} themselves, so their own vote stands.").format(
                name=member.display_name, number=poll.number
            ),
            _("A member's own vote always counts instead of their deputy's."),
        )
    return collaborative, deputy, member, poll, previous


def vote_for_button(poll: Poll, member: Member) -> Button:
    """The deputy's button opening the ballot of `member`, the one they stand in for now."""
    assert poll.id is not None
    return Button(
        label=_("Vote for {name}").format(name=member.display_name),
        action=RequestForm(FormKind.PROXY, poll.id).encode(),
        spoken=_("Vote for {name} in poll #{number}: {question}").format(
            name=member.display_name, number=poll.number, question=poll.question
        ),
    )


def _standing_in_for(turn: Turn) -> int:
    """The member the acting deputy stands in for now (a deputy has one at a time)."""
    unused, deputy = turn.in_collaborative()
    member = represented(turn.session, deputy, turn.now)
    return member.id if member is not None and member.id is not None else 0


# Typing


def vote_command(turn: Turn, command: Command) -> None:
    """`vote ID CHOICE`, and `vote ID [CHOICE] --for @member` for a deputy."""
    collaborative, unused = turn.in_collaborative()
    poll = poll_by_number(turn.session, collaborative, command.args["id"])
    choice = command.args.get("choice")
    if "for" not in command.flags:
        if choice is None or poll.type not in BUTTON_TYPES:
            raise Refusal(
                _("Poll #{number} is voted with the buttons on its message.").format(
                    number=poll.number
                ),
                _("Type `vote ID CHOICE` for a poll of one or several choices."),
            )
        assert poll.id is not None
        vote(turn, poll.id, _option(turn, poll, choice).id or 0)
        return
    named = resolve_person(turn, collaborative, parse_mention(command.flags["for"]))
    assert poll.id is not None and named.id is not None
    unused, deputy, member, poll, previous = checked_proxy(turn, poll.id, named.id)
    if choice is None or poll.type not in BUTTON_TYPES:
        shown = _("Fill in {name}'s ballot for poll #{number}.").format(
            name=member.display_name, number=poll.number
        )
        turn.reply(
            Card(
                blocks=[Text(text=shown), Actions(elements=[vote_for_button(poll, member)])],
                fallback=shown,
            )
        )
        return
    current = previous.choices if previous is not None else []
    content = button_choice(poll, _option(turn, poll, choice), current)
    if not content:
        raise Refusal(
            _(
                "That would take back {name}'s only choice: a deputy can change a vote, "
                "not withdraw it."
            ).format(name=member.display_name),
            _("Give another option instead."),
        )
    cast(turn, poll, member, deputy, content, previous)


def _option(turn: Turn, poll: Poll, choice: str) -> PollOption:
    """The option `choice` names: its words, or its number (1 for the first)."""
    found = options(turn.session, poll)
    wanted = readable.key(choice)
    for option in found:
        if readable.key(option.label) == wanted:
            return option
    if choice.isdecimal() and 1 <= int(choice) <= len(found):
        return found[int(choice) - 1]
    raise Refusal(
        _("Poll #{number} has no option “{choice}”.").format(number=poll.number, choice=choice),
        _("Give the option's words in quotes, or its number (1 for the first)."),
    )


# The form


def open_proxy_form(
    turn: Turn, poll_id: int, error: str | None = None, typed: dict[str, Any] | None = None
) -> None:
    """The Vote-for button: the member's ballot, with their deputy's last vote filled in."""
    unused, unused_deputy, member, poll, previous = checked_proxy(
        turn, poll_id, _standing_in_for(turn)
    )
    values = typed if typed is not None else _prefilled(poll, previous)
    turn.replies.append(
        OpenForm(actor=ActorModel.of(turn.actor), form=_form(turn, poll, member, values, error))
    )


def _prefilled(poll: Poll, previous: Ballot | None) -> dict[str, Any]:
    if previous is None:
        return {}
    if poll.type in FORM_TYPES:
        return prefill(poll, previous)
    if poll.type == "consent":
        return {"stance": previous.choices[0], "reason": previous.choices[1]}
    return {"choice": [str(p) for p in previous.choices]}


def _form(
    turn: Turn, poll: Poll, member: Member, values: dict[str, Any], error: str | None
) -> Form:
    assert poll.id is not None
    changed = {
        "action": SubmitForm(FormKind.PROXY, poll.id).encode(),
        "submit_label": _("Vote for {name}").format(name=member.display_name),
    }
    if poll.type in FORM_TYPES:
        form = ballot_form(turn, poll, values, error)
        title = _("For {name}: {title}").format(name=member.display_name, title=form.title)
        return form.model_copy(update={**changed, "title": title})
    title = _("Poll #{number}: vote for {name}").format(
        number=poll.number, name=member.display_name
    )
    inputs: list[Any]
    if poll.type == "consent":
        stances = [Choice(label=_(STANCE_LABELS[s]), value=s) for s in STANCES]
        inputs = [
            ChoiceInput(
                name="stance",
                label=_("Response"),
                choices=stances,
                value=_listed(values, "stance"),
            ),
            TextInput(
                name="reason",
                label=_("Reason (needed to object or block; everyone will see it)"),
                value=str(values.get("reason") or ""),
                multiline=True,
                max_length=MAX_REASON,
                optional=True,
            ),
        ]
    else:
        names = [
            Choice(label=name, value=str(i)) for i, name in enumerate(labels(turn.session, poll))
        ]
        several = poll.type == "multi"
        inputs = [
            ChoiceInput(
                name="choice",
                label=_("Choose up to {most}").format(most=poll.settings["max"])
                if several
                else _("Choose one"),
                choices=names,
                value=_listed(values, "choice"),
                multiple=several,
            )
        ]
    return Form(title=title, inputs=inputs, error=error, **changed)


def _listed(values: dict[str, Any], name: str) -> list[str]:
    value = values.get(name)
    if isinstance(value, list):
        return [str(each) for each in value if isinstance(each, str)]
    return [value] if isinstance(value, str) and value else []


def submit_proxy(turn: Turn, poll_id: int, values: dict[str, Any]) -> None:
    """The member's ballot, filled in by their deputy: checked again, then recorded."""
    unused, deputy, member, poll, previous = checked_proxy(turn, poll_id, _standing_in_for(turn))
    try:
        content = _content(turn, poll, values)
    except Refusal as problem:
        open_proxy_form(turn, poll_id, problem.problem, values)
        return
    cast(turn, poll, member, deputy, content, previous)


def _content(turn: Turn, poll: Poll, values: dict[str, Any]) -> list[Any]:
    if poll.type in FORM_TYPES:
        return form_content(turn, poll, typed_values(values))
    if poll.type == "consent":
        typed = typed_values(values)
        stance, reason = typed.get("stance", ""), " ".join(typed.get("reason", "").split())
        if stance not in STANCES:
            raise Refusal(_("Choose a response."))
        if stance in NEEDS_REASON and not reason:
            raise Refusal(
                _("{stance} needs a reason, which everyone will see.").format(
                    stance=_(STANCE_LABELS[stance])
                )
            )
        if len(reason) > MAX_REASON:
            raise Refusal(
                _("The reason is {length} characters; the most is {most}.").format(
                    length=f"{len(reason):,}", most=f"{MAX_REASON:,}"
                )
            )
        return [stance, reason if stance in NEEDS_REASON else ""]
    count = len(labels(turn.session, poll))
    chosen = {read_id(each) for each in _listed(values, "choice")}
    if not chosen or None in chosen or any(p is None or p >= count for p in chosen):
        raise Refusal(_("Choose an option."))
    most = poll.settings["max"] if poll.type == "multi" else 1
    if len(chosen) > most:
        raise Refusal(
            _("Choose at most {most}.").format(most=most) if most > 1 else _("Choose one option.")
        )
    return sorted(p for p in chosen if p is not None)


def cast(
    turn: Turn,
    poll: Poll,
    member: Member,
    deputy: Member,
    content: list[Any],
    previous: Ballot | None,
) -> None:
    """Record `content` as `member`'s ballot in place of `previous`, cast by `deputy`; log
    it and tell the member."""
    collaborative, unused = turn.in_collaborative()
    done = described(poll, content, labels(turn.session, poll))
    names = {"deputy": deputy.display_name, "name": member.display_name, "number": poll.number}
    record(
        turn,
        poll,
        member,
        content,
        _("{done} for {name}").format(done=done, **names),
        previous,
        deputy,
    )
    turn.audit(
        "poll.vote",
        lambda: _("vote in poll #{number} cast by {deputy} for {name}").format(**names),
        poll=poll.number,
    )
    did = done.removeprefix("You ")  # i18n: not for readers (English's "You voted …" → "voted …")

    def card() -> Card:  # in the member's language
        said = _(
            "{deputy}, your deputy, {did} for you in poll #{number}. If you vote yourself, "
            "your vote replaces theirs."
        ).format(did=did, **names)
        return Card(blocks=[Text(text=said)], fallback=said)

    if (actor := effects.actor_of(turn.session, member)) is not None:
        effects.notify(turn.session, turn.now, collaborative, actor, card)
