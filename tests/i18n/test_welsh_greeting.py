"""The greeting Concord posts when it joins a conversation: in the language of whoever
added it (Welsh first, then English, for the others there), or, in a channel already
linked, in its collaborative's language."""

from __future__ import annotations

from dialogs.core.events import Installed
from dialogs.core.language import speaking
from tests.support.conversation import ASHA, NORTH, SOUTH, Conversation, text_of

WELSH_HELLO = "Helo, Concord ydw i"
ENGLISH_HELLO = "Hello, I'm Concord"


def greeting(chat: Conversation, place, locale: str = "") -> str:
    effects = chat.engine.handle(Installed(place, locale=locale))
    return " ".join(text_of(effect.card) for effect in effects)


def test_added_from_an_english_client_greets_in_english_only(database, clock):
    chat = Conversation(database, clock)
    said = greeting(chat, NORTH, "en-GB")
    assert ENGLISH_HELLO in said and WELSH_HELLO not in said
    chat.close()


def test_added_from_a_welsh_client_greets_in_welsh_then_english(database, clock):
    chat = Conversation(database, clock)
    said = greeting(chat, NORTH, "cy-GB")
    assert WELSH_HELLO in said and ENGLISH_HELLO in said
    assert said.index(WELSH_HELLO) < said.index(ENGLISH_HELLO)
    chat.close()


def test_a_platform_that_names_no_language_gets_english(database, clock):
    chat = Conversation(database, clock)
    assert ENGLISH_HELLO in greeting(chat, NORTH)
    chat.close()


def test_a_linked_channel_is_greeted_in_its_collaboratives_language(database, clock):
    chat = Conversation(database, clock)
    with speaking("en"):
        chat.set_up_two_channels()
        chat.says(ASHA, NORTH, "language default cy")
    said = greeting(chat, SOUTH, "en-GB")
    assert WELSH_HELLO in said and ENGLISH_HELLO not in said
    chat.close()
