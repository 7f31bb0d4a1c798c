"""Scenarios that take Concord through what it shows, for the tests that read every message:
every poll type at every stage, a tie in every governance mode (and a delegated poll's
decision), a check-in from its post to its summary, and a purpose round from its invitation
to its adopted purpose.

A scenario drives a `Conversation` through `Seen`, which keeps every card and form people
were shown: the channels' messages and each person's own view of them whenever people
`look()`, and what each command or click answered privately. Buttons are found by what they
do (their action), never by their words, so a scenario runs in any language.
tests/adapters/test_accessible_messages.py reads what they show for accessibility,
tests/i18n/test_pseudo_locale.py for words outside the catalogs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

from dialogs.core.actions import (
    Action,
    ClosePoll,
    FormKind,
    ReasonForm,
    RemindPoll,
    RequestForm,
    opens_form,
    parse,
)
from dialogs.core.cards import Card, Effect, Form, Notify, OpenForm
from dialogs.core.events import ActionInvoked, Actor, CommandIssued, Place
from dialogs.core.modes import DELEGATED, MODES
from dialogs.ticker import Ticker
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    SOUTH,
    Conversation,
    button_elements,
    person,
)
from tests.support.fakes import FakeClock

MEMBERS = [person(f"m{n}", f"Member {n}") for n in range(6)]
# Each poll type (and anonymous, and results hidden until the close) as typed, with the
# ballot its form is filled with (None: voted with buttons).
POLLS = [
    ('"Where shall we meet?" "Leeds" "York" "Hull"', None),
    ('"Which two first?" "Beds" "Staff" "Data" --type multi --max 2', None),
    ('"Which first?" "Beds" "Discharge" "Workforce" --type ranked', {"rank0": "1", "rank1": "0"}),
    ('"How good is each plan?" "Plan A" "Plan B" --type score', {"score0": "5", "score1": "2"}),
    ('"Where do we focus?" "Beds" "Staff" --type dots --dots 3', {"dots0": "2", "dots1": "1"}),
    ('"We pool our waiting-list data" --type consent', None),
    ('"Shall we share one rota?" "Yes" "No" --anonymous', None),
    ('"Which day suits?" "Monday" "Friday" --results after-close', None),
]
PROPOSALS = [
    "We cut waiting times for planned care across the whole area.",
    "Patients wait less for operations wherever they live.",
    "Staff move freely between our hospitals when they are needed.",
    "We share our workforce so that no ward is left short.",
    "Our data flows between partners so nobody tells their story twice.",
    "One shared record follows each patient between services.",
]
MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # when the weekly check-in first posts
OBJECTION = {"harm": "Consent first", "resolve": "Ask patients"}
DEPUTIES_ORGANISATION = "Riverside Trust"
PROXY_POLL = "Shall we meet in March?"
REVISED = "We cut waiting times together, asking patients first."


class Seen:
    """Every distinct card and form people saw: the channels' messages, each person's own
    view of the keyed ones as they stood at each `look()`, and every private answer."""

    def __init__(
        self, chat: Conversation, *, opening_forms: bool = False, reported: str | None = None
    ) -> None:
        self.chat = chat
        # The language every person's platform reports (None: each person's own).
        self.reported = reported
        self.cards: dict[str, Card] = {}
        self.forms: dict[str, Form] = {}
        # Whether each `look()` also opens, as a coordinator and as a member, every form
        # a button then shown opens (while it still applies), to keep what each shows.
        self.opening_forms = opening_forms
        self._opened: set[str] = set()

    def says(self, who: Actor, text: str, place: Place = NORTH) -> list[Effect]:
        return self._kept(self.chat.engine.handle(CommandIssued(self._as(who), place, text)))

    def act(
        self, who: Actor, action: str, values: dict | None = None, place: Place = NORTH
    ) -> list[Effect]:
        event = ActionInvoked(self._as(who), place, action, values or {})
        return self._kept(self.chat.engine.handle(event))

    def _as(self, who: Actor) -> Actor:
        return replace(who, locale=self.reported) if self.reported else who

    def look(self) -> None:
        self.chat.deliver()
        shared = [*self.chat.messages(NORTH), *self.chat.messages(SOUTH)]
        private = [card for _, card in self.chat.platform.private]
        views = [
            self.chat.engine.render_view(card.key, viewer)
            for card in shared
            if card.key
            for viewer in (ASHA, BEN)
        ]
        shown = [card for card in [*shared, *private, *views] if card is not None]
        self._keep(shown)
        if self.opening_forms:
            self._open_forms()

    def _open_forms(self) -> None:
        shown = list(self.cards.values())
        for action in sorted({a for card in shown for a in actions_of(card) if opens_form(a)}):
            if action not in self._opened:
                self._opened.add(action)
                for who in (ASHA, BEN):
                    self.act(who, action)

    def _kept(self, effects: list[Effect]) -> list[Effect]:
        self.chat.deliver()
        self._keep(e.card for e in effects if isinstance(e, Notify))
        for form in (e.form for e in effects if isinstance(e, OpenForm)):
            self.forms.setdefault(form.model_dump_json(), form)
        return effects

    def _keep(self, cards: Iterable[Card]) -> None:
        for card in cards:
            self.cards.setdefault(card.model_dump_json(), card)


def opened(effects: list[Effect]) -> Form:
    """The form a click opened."""
    return next(e.form for e in effects if isinstance(e, OpenForm))


def actions_of(card: Card) -> list[str]:
    return [button.action for button in button_elements(card)]


def vote(seen: Seen, who: Actor, poll: Card, ballot: dict | None, n: int) -> None:
    """`who` votes on `poll` the way its type is voted: a ballot form (filled with `ballot`,
    or as `filled` fills it), a stance (the third voter objects, with the reason it needs),
    or a button (the first, second, first… option)."""
    actions = actions_of(poll)
    forms = [a for a in actions if parse(a) == RequestForm(FormKind.BALLOT, _poll_id(a))]
    objection = [a for a in actions if a == ReasonForm(_poll_id(a), "object").encode()]
    if forms:
        form = opened(seen.act(who, forms[0]))
        seen.act(who, form.action, ballot if ballot is not None else filled(form))
    elif objection and n == 2:
        form = opened(seen.act(who, objection[0]))
        seen.act(who, form.action, OBJECTION)
    else:
        seen.act(who, actions[n % 2])


def filled(ballot: Form) -> dict[str, str]:
    """A ballot form's fields filled: one dot on the first option, or the first two ranked."""
    names = [field.name for field in ballot.inputs]
    if "dots0" in names:
        return {"dots0": "1"}
    return {"rank0": "0", "rank1": "1"}


def _poll_id(action: str) -> int:
    """The poll a vote, stance or ballot button names (0 for any other button)."""
    found = parse(action)
    return int(getattr(found, "poll_id", getattr(found, "ident", 0)))


def every_poll_type_at_every_stage(seen: Seen) -> None:
    """Each of `POLLS` posted, voted on by three, a reminder sent, and closed."""
    chat = seen.chat
    for number, (typed, ballot) in enumerate(POLLS, 1):
        seen.says(ASHA, f"poll {typed}")
        seen.look()
        for n, who in enumerate((BEN, CARYS, DEE)):
            vote(seen, who, chat.last_message(NORTH), ballot, n)
            seen.look()
        key = chat.last_message(NORTH).key or ""
        seen.act(ASHA, _own_button(chat, key, ASHA, RemindPoll))  # Asha hasn't voted
        seen.look()
        seen.says(ASHA, f"poll close {number}")
        seen.look()


def a_check_in(seen: Seen, clock: FakeClock) -> Card:
    """A weekly check-in posted, answered by three, and summed up a day later: the post."""
    chat = seen.chat
    seen.says(ASHA, 'checkin add "every monday 09:00"')
    seen.look()
    clock.now = MONDAY_9
    Ticker(chat.database, clock).tick()
    seen.look()
    posted = chat.last_message(NORTH)
    answers = [a for a in actions_of(posted) if a.startswith("answer:")]
    for n, who in enumerate((BEN, CARYS, DEE)):
        seen.act(who, answers[n + 2])
        seen.look()
    clock.advance(hours=24)
    Ticker(chat.database, clock).tick()
    seen.look()
    return posted


def a_purpose_round(seen: Seen) -> Card:
    """A round from invitation to adopted purpose, each of `MEMBERS` proposing one of
    `PROPOSALS` and three voting at each stage, the first draft drawing an objection and
    the coordinators' revision consent: the coordinators' group editor."""
    seen.says(ASHA, "purpose start --shortlist 2")
    seen.look()
    number = 1  # the first round
    for who, statement in zip(MEMBERS, PROPOSALS, strict=True):
        seen.says(who, "help")
        seen.act(who, f"form:proposal:{number}")
        seen.act(who, f"submit:proposal:{number}", {"text": statement})
    seen.act(MEMBERS[0], RequestForm(FormKind.PROPOSALS, number).encode())  # their own, to change
    seen.look()
    seen.says(ASHA, "purpose next")  # grouped, for the coordinators to adjust
    seen.look()
    editor = next(e.card for e in seen.act(ASHA, f"edit-groups:{number}") if isinstance(e, Notify))
    for stage in ("shortlisting", "drafting", "choosing", "consenting"):
        seen.says(ASHA, "purpose next")
        seen.look()
        _three_vote(seen, objecting=stage == "consenting")
    seen.says(ASHA, "purpose next")  # the objection sends the draft back to the coordinators
    seen.look()
    revision = opened(seen.act(ASHA, RequestForm(FormKind.REVISION, number).encode()))
    seen.act(ASHA, revision.action, {"statement": REVISED})
    seen.look()
    _three_vote(seen, objecting=False)
    seen.says(ASHA, "purpose next")
    seen.look()
    return editor


def _three_vote(seen: Seen, *, objecting: bool) -> None:
    """Three of `MEMBERS` vote in the round's open poll, if it has one: the third objects
    when `objecting` (and its poll takes objections)."""
    polls = [c for c in seen.chat.messages(NORTH) if (c.key or "").startswith("poll:")]
    if polls and actions_of(polls[-1]):
        for n, who in enumerate(MEMBERS[:3]):
            vote(seen, who, polls[-1], None, n if objecting else n + 3)
        seen.look()


def a_deputys_proxy_ballot(seen: Seen) -> None:
    """Carys names Ben, of her organisation, her deputy; he accepts and votes for her in a
    new poll, from the button on his own view of it."""
    chat = seen.chat
    seen.says(ASHA, f'org add "{DEPUTIES_ORGANISATION}"')
    for who in (BEN, CARYS):
        seen.says(who, f'org join "{DEPUTIES_ORGANISATION}"')
    seen.says(CARYS, "deputy @Ben Okafor --until in 3 days")
    seen.look()
    asked = [card for who, card in chat.platform.private if who.user_id == BEN.user_id]
    accept = next(a for a in actions_of(asked[-1]) if a.endswith(":accept"))
    seen.act(BEN, accept)
    seen.says(ASHA, f'poll "{PROXY_POLL}" "Yes" "No"')
    seen.look()
    own = chat.engine.render_view(newest_poll(chat).key or "", BEN)
    assert own is not None, "Ben sees the poll"
    proxy = next(a for a in actions_of(own) if getattr(parse(a), "kind", None) == FormKind.PROXY)
    ballot = opened(seen.act(BEN, proxy))
    seen.act(BEN, ballot.action, {"choice": "0"})
    seen.look()


def a_tie_in_every_mode(seen: Seen) -> None:
    """A two-option poll in each governance mode, tied one vote each and closed from the
    coordinator's own view; the delegated one then decided by its decider, in the form
    their own view of the result offers."""
    chat = seen.chat
    for mode in MODES:
        decider = " --decider @Dee Sharma" if mode == DELEGATED else ""
        seen.says(ASHA, f'poll "Tea or coffee?" "Tea" "Coffee" --mode {mode}{decider}')
        poll = newest_poll(chat)
        key = poll.key or ""
        if not actions_of(poll):
            continue  # committees in common: open only once organisations are named
        for n, who in enumerate((BEN, CARYS)):
            vote(seen, who, poll, None, n)
        seen.look()
        seen.act(ASHA, _own_button(chat, key, ASHA, ClosePoll))
        seen.look()
        if mode == DELEGATED:
            form = opened(seen.act(DEE, _own_button(chat, key, DEE, RequestForm)))
            seen.act(DEE, form.action, {"decision": "Tea, with coffee on Fridays"})
            seen.look()


def newest_poll(chat: Conversation) -> Card:
    """The poll posted last in NORTH (news of an earlier one may have come after it)."""
    polls = [c for c in chat.messages(NORTH) if (c.key or "").startswith("poll:")]
    return max(polls, key=lambda card: int((card.key or "").rpartition(":")[2]))


def _own_button(chat: Conversation, key: str, viewer: Actor, kind: type[Action]) -> str:
    """The action of the first button of `kind` on `viewer`'s own view of a message."""
    own = chat.engine.render_view(key, viewer)
    assert own is not None, f"{viewer.display_name} sees no {key}"
    return next(a for a in actions_of(own) if isinstance(parse(a), kind))
