"""Accessible messages on every platform, rendered through the engine (issue 22, item 1).

Every poll type at each stage (open, voted on, each person's own view, closed with its
chart), a check-in from its first post to its summary, and a purpose round from its
invitation to its adopted purpose are rendered for Slack, Teams and the playground. In every
message: each button has a name that makes sense alone and differs from the others' (Slack
`accessibility_label` within 75 characters, Teams `tooltip`, the playground's `aria-label`);
a leading option says "(leading)" in words; a chart's figures are in the message's words; no
menu acts the moment a choice is made; the notification text names the message.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from adapters.playground.render import render_card as playground_card
from adapters.slack.render import render_message
from adapters.teams.render import render_card as teams_card
from dialogs.core.cards import Card, Image, OpenForm, ResultBars
from dialogs.core.events import ActionInvoked
from dialogs.ticker import Ticker
from tests.adapters.teams.test_teams_render import assert_valid
from tests.stand_ins.adaptive_cards import AdaptiveCardsNode, running_parser
from tests.stand_ins.slack_blocks import assert_valid_message, objects
from tests.support.accessible import (
    buttons_of,
    playground_problems,
    selects,
    slack_problems,
    teams_problems,
    unnamed,
)
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    SOUTH,
    Conversation,
    buttons,
    person,
)

PUBLIC = "https://concord.example.nhs.uk"
MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
MEMBERS = [person(f"m{n}", f"Member {n}") for n in range(6)]
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


@pytest.fixture(scope="module")
def parser() -> Iterator[AdaptiveCardsNode]:
    with running_parser() as node:
        yield node


@pytest.fixture
def chat(sqlite_database, clock) -> Iterator[Conversation]:
    conversation = Conversation(sqlite_database, clock)
    conversation.set_up_two_channels()
    for someone in (BEN, CARYS, DEE):
        conversation.says(someone, NORTH, "help")
    yield conversation
    conversation.close()


class Seen:
    """Every distinct message the people saw, in the channels and privately, as it stood
    at each moment `look()` was called, and each person's own view of the keyed ones."""

    def __init__(self, chat: Conversation) -> None:
        self.chat = chat
        self.cards: dict[str, Card] = {}

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
        for card in [*shared, *private, *views]:
            if card is not None:
                self.cards.setdefault(card.model_dump_json(), card)

    def check(self, parser: AdaptiveCardsNode) -> list[Card]:
        """Every message rendered on each platform, with nothing missed: the cards seen."""
        cards = list(self.cards.values())
        slack = [render_message(card, public_url=PUBLIC) for card in cards]
        teams = [teams_card(card, public_url=PUBLIC) for card in cards]
        for message in slack:
            assert_valid_message(message)
        assert_valid(parser, *teams)
        problems = [
            f"{card.fallback}: {problem}"
            for card, message, rendered in zip(cards, slack, teams, strict=True)
            for problem in [
                *unnamed(card),
                *slack_problems(card, message),
                *teams_problems(card, rendered),
                *playground_problems(card, playground_card(card)),
            ]
        ]
        assert not problems, "\n".join(sorted(set(problems)))
        return cards


def act(chat: Conversation, who, action: str, values: dict | None = None, place=NORTH):
    effects = chat.engine.handle(ActionInvoked(who, place, action, values or {}))
    chat.deliver()
    return effects


def vote(chat: Conversation, who, poll: Card, form_values: dict | None, n: int) -> None:
    """`who` votes on `poll` the way its type is voted: a button, a stance, or a ballot form."""
    shown = buttons(poll)
    if form_values is not None:
        form = next(e.form for e in act(chat, who, shown_form(shown)) if isinstance(e, OpenForm))
        act(chat, who, form.action, form_values)
    elif "Object" in shown and n == 2:  # consent: one objects, with the reason it needs
        form = next(e.form for e in act(chat, who, shown["Object"]) if isinstance(e, OpenForm))
        act(chat, who, form.action, {"harm": "Consent first", "resolve": "Ask patients"})
    else:
        act(chat, who, list(shown.values())[n % 2])


def shown_form(shown: dict[str, str]) -> str:
    forms = ("Rank the options", "Score the options", "Place your dots")
    return next(shown[k] for k in forms if k in shown)


def test_every_poll_type_at_every_stage_is_accessible_on_every_platform(chat, parser):
    seen = Seen(chat)
    for number, (typed, form_values) in enumerate(POLLS, 1):
        chat.says(ASHA, NORTH, f"poll {typed}")
        seen.look()
        for n, who in enumerate((BEN, CARYS, DEE)):
            vote(chat, who, chat.last_message(NORTH), form_values, n)
            seen.look()
        remind = buttons(chat.engine.render_view(chat.last_message(NORTH).key or "", ASHA))
        act(chat, ASHA, remind["Remind those who haven't voted"])  # Asha hasn't: a reminder
        seen.look()
        chat.says(ASHA, NORTH, f"poll close {number}")
        seen.look()
    cards = seen.check(parser)

    assert len(cards) > 60
    leading = [c for c in cards if any(isinstance(b, ResultBars) for b in c.blocks)]
    assert any("(leading)" in render_message(c, public_url="")["blocks"].__str__() for c in leading)
    charts = [c for c in cards if any(isinstance(b, Image) for b in c.blocks)]
    assert len(charts) == len(POLLS)  # each closed poll's result, its figures in words
    hidden_until_close = [c for c in cards if "Results are hidden until the poll closes" in str(c)]
    assert hidden_until_close


def test_a_vote_button_says_what_it_votes_for_and_in_which_poll(chat):
    chat.says(ASHA, NORTH, 'poll "Where shall we meet?" "Leeds" "York"')
    poll = chat.last_message(NORTH)

    slack = [o for o in objects(render_message(poll, public_url="")) if o.get("type") == "button"]
    assert [b["accessibility_label"] for b in slack[:2]] == [
        "Vote for Leeds in: Where shall we meet?",
        "Vote for York in: Where shall we meet?",
    ]
    teams = [o for o in objects(teams_card(poll)["body"]) if o.get("type") == "Action.Execute"]
    assert teams[0]["tooltip"] == "Vote for Leeds in: Where shall we meet?"
    assert 'aria-label="Vote for York in: Where shall we meet?">York</button>' in (
        playground_card(poll)
    )


def test_a_long_question_is_cut_after_a_whole_word_in_slacks_75_characters(chat):
    question = "How well did we share information with every partner organisation this week?"
    chat.says(ASHA, NORTH, f'poll "{question}" "Well" "Badly"')

    message = render_message(chat.last_message(NORTH), public_url="")
    label = next(o for o in objects(message) if o.get("type") == "button")["accessibility_label"]
    assert label == "Vote for Well in: How well did we share information with every partner…"
    assert len(label) <= 75


def test_a_check_in_from_its_post_to_its_summary_is_accessible_on_every_platform(
    chat, parser, clock
):
    seen = Seen(chat)
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00"')
    seen.look()
    clock.now = MONDAY_9
    Ticker(chat.database, clock).tick()
    seen.look()
    posted = chat.last_message(NORTH)
    scale = [b for b in buttons(posted) if b.isdigit()]
    assert scale == ["1", "2", "3", "4", "5"]  # the labels repeat for each scale question
    for n, who in enumerate((BEN, CARYS, DEE)):
        answers = [b.action for b in buttons_of(posted) if b.action.startswith("answer:")]
        act(chat, who, answers[n + 2])
        seen.look()
    clock.advance(hours=24)
    Ticker(chat.database, clock).tick()
    seen.look()
    cards = seen.check(parser)

    slack = render_message(posted, public_url="")
    names = [o["accessibility_label"] for o in objects(slack) if o.get("type") == "button"]
    assert "Answer 4 of 5 to: How confident are you that partners will deliver what…" in names
    assert "Answer 4 of 5 to: How well did this week's joint work serve our shared…" in names
    summary = cards[-1] if any(isinstance(b, Image) for b in cards[-1].blocks) else None
    assert summary is not None, "the summary, with its chart, was seen last"
    alt = next(b.alt for b in summary.blocks if isinstance(b, Image))
    assert alt.startswith("Bar chart of the average answers (1 to 5)")
    assert alt in json.dumps(teams_card(summary, public_url=PUBLIC), ensure_ascii=False)


PROPOSALS = [
    "We cut waiting times for planned care across the whole area.",
    "Patients wait less for operations wherever they live.",
    "Staff move freely between our hospitals when they are needed.",
    "We share our workforce so that no ward is left short.",
    "Our data flows between partners so nobody tells their story twice.",
    "One shared record follows each patient between services.",
]


def test_a_purpose_round_from_invitation_to_adoption_is_accessible_on_every_platform(chat, parser):
    seen = Seen(chat)
    chat.says(ASHA, NORTH, "purpose start --shortlist 2")
    seen.look()
    number = 1  # the first round
    for who, statement in zip(MEMBERS, PROPOSALS, strict=True):
        chat.says(who, NORTH, "help")
        act(chat, who, f"form:proposal:{number}")
        act(chat, who, f"submit:proposal:{number}", {"text": statement})
    seen.look()
    chat.says(ASHA, NORTH, "purpose next")  # grouped, for the coordinators to adjust
    seen.look()
    editor = act(chat, ASHA, f"edit-groups:{number}")[0].card
    seen.cards[editor.model_dump_json()] = editor
    for _stage in ("shortlisting", "drafting", "choosing", "consenting"):
        chat.says(ASHA, NORTH, "purpose next")
        seen.look()
        polls = [c for c in chat.messages(NORTH) if (c.key or "").startswith("poll:")]
        if polls and buttons(polls[-1]):  # the stage's open poll: three vote
            for n, who in enumerate(MEMBERS[:3]):
                vote(chat, who, polls[-1], _ballot(polls[-1]), n + 3)  # nobody objects
            seen.look()
    chat.says(ASHA, NORTH, "purpose next")
    seen.look()
    cards = seen.check(parser)

    merge = selects(editor)
    assert merge and merge[0].spoken and merge[0].spoken.startswith("Merge 1. ")
    assert [c for c in cards if c.fallback.startswith("Our shared purpose")]


def _ballot(poll: Card) -> dict[str, str] | None:
    """What a ballot form of the round's poll is filled with (None: voted with buttons)."""
    shown = buttons(poll)
    if "Place your dots" in shown:
        return {"dots0": "1"}
    if "Rank the options" in shown:
        return {"rank0": "0", "rank1": "1"}
    return None
