"""Every word a person reads comes from the catalogs: flows run through the engine in the
pseudo-locale (tests/support/pseudo.py), read as the engine's cards and as Slack, Teams
and the playground show them, hold no word outside ⟦ ⟧ but what people typed. Add a flow
by listing it in `FLOWS`: a name, its steps, and what people typed that it shows back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import pytest

from adapters.playground import render as playground
from adapters.slack import render as slack
from adapters.teams import render as teams
from dialogs.core.cards import Card, Form, Notify, OpenForm, Post
from dialogs.core.events import CommandIssued
from dialogs.core.language import current, speaking
from tests.support.conversation import ASHA, BEN, NORTH, Conversation
from tests.support.pseudo import (
    PSEUDO,
    Untranslated,
    card_texts,
    install_pseudo,
    page_texts,
    platform_texts,
    untranslated,
)

PUBLIC = "https://concord.example.nhs.uk"
COLLABORATIVE = "Northshire Provider Collaborative"
DATA = (COLLABORATIVE, "Asha Patel", "Ben Okafor", "Carys Jones", "north", "Concord")
Shown = Card | Form
Steps = Callable[[Conversation], list[Shown]]


@dataclass(frozen=True)
class Flow:
    name: str
    steps: Steps  # what people do; returns what the last of them reads
    typed: tuple[str, ...] = ()  # what people typed that the flow shows back


def _said(chat: Conversation, actor, text: str) -> list[Shown]:
    effects = chat.engine.handle(CommandIssued(replace(actor, locale=PSEUDO), NORTH, text))
    chat.deliver()
    shown: list[Shown] = []
    for effect in effects:
        if isinstance(effect, Notify | Post):
            shown.append(effect.card)
        elif isinstance(effect, OpenForm):
            shown.append(effect.form)
    return shown


def _set_up(chat: Conversation) -> None:
    _said(chat, ASHA, f'setup "{COLLABORATIVE}"')


def _help(chat: Conversation) -> list[Shown]:
    _set_up(chat)
    return _said(chat, ASHA, "help")


def _home(chat: Conversation) -> list[Shown]:
    _set_up(chat)
    return [chat.engine.home(replace(ASHA, locale=PSEUDO))]


def _refused(chat: Conversation) -> list[Shown]:
    _set_up(chat)
    return _said(chat, BEN, "retention free-text 1")  # a coordinator's setting, by a member


FLOWS = [
    Flow("help", _help),
    Flow("home", _home),
    Flow("refusal", _refused, typed=("retention free-text 1",)),
]
SURFACES = ("engine", "slack", "teams", "playground")


def _texts(surface: str, shown: Shown) -> list[str]:
    if surface == "engine":
        return card_texts(shown)
    if surface == "playground":
        markup = (
            playground.render_form(shown)
            if isinstance(shown, Form)
            else playground.render_card(shown, private=True)
        )
        return page_texts(markup)
    if surface == "slack":
        if isinstance(shown, Form):
            return platform_texts(slack.render_modal(shown, private_metadata=""))
        return platform_texts(slack.render_message(shown, public_url=PUBLIC))
    if isinstance(shown, Form):
        return platform_texts(teams.render_form(shown))
    return platform_texts(teams.render_card(shown, public_url=PUBLIC))


def _found(chat: Conversation, flow: Flow, surface: str) -> Iterator[Untranslated]:
    with speaking(PSEUDO):
        shown = flow.steps(chat)
        assert shown, f"the {flow.name} flow showed nothing"
        for each in shown:
            yield from untranslated(_texts(surface, each), DATA + flow.typed)


@pytest.fixture
def chat(database, clock) -> Iterator[Conversation]:
    install_pseudo()
    conversation = Conversation(database, clock)
    yield conversation
    conversation.close()


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("flow", FLOWS, ids=[flow.name for flow in FLOWS])
def test_every_word_a_flow_shows_comes_from_the_catalogs(chat, flow: Flow, surface: str):
    left = list(_found(chat, flow, surface))
    assert not left, f"words outside the catalogs in the {flow.name} flow on {surface}:\n" + (
        "\n".join(f"  {each.words} in {each.text[:200]!r}" for each in left)
    )
    assert current() == "en"
