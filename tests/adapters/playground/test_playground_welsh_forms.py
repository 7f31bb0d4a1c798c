"""A form on the playground says its own words (Cancel, a picker's zone, "(optional)") in
the language it was written in, and a private reply (a refusal too) its "Only visible to
you" and its warning sign's name: a person who chose Cymraeg on the page reads them in
Welsh, one who chose English the same words as before.
"""

from __future__ import annotations

import pytest

from adapters.playground.demo import CHANNELS
from tests.adapters.playground.test_playground_http import command, serving

CHANNEL = CHANNELS[0].channel_id


@pytest.fixture
async def client(sqlite_database, clock):
    async with serving(sqlite_database, clock) as client:
        yield client


@pytest.mark.parametrize(
    ("language", "own_words"),
    [
        ("cy", ["Canslo", "Yn cau (amser Europe/London)", "(dewisol)"]),
        ("en", ["Cancel", "Closes (Europe/London time)", "(optional)"]),
    ],
)
async def test_the_poll_forms_own_words_are_in_the_language_it_was_written_in(
    client, language, own_words
):
    answer = await command(client, "asha", CHANNEL, "poll", language=language)

    assert [words for words in own_words if words not in answer["form"]] == []


@pytest.mark.parametrize(
    ("language", "label"),
    [("cy", "Dim ond chi sy&#x27;n gallu gweld hyn"), ("en", "Only visible to you")],
)
async def test_a_private_reply_says_who_sees_it_in_the_readers_language(client, language, label):
    answer = await command(client, "asha", CHANNEL, "help", language=language)

    assert f'<p class="private-label">{label}</p>' in answer["replies"][0]


@pytest.mark.parametrize(("language", "warning"), [("cy", "Rhybudd"), ("en", "Warning")])
async def test_a_refusal_names_its_warning_sign_in_the_readers_language(client, language, warning):
    answer = await command(client, "asha", CHANNEL, "frobnicate", language=language)

    assert f'<span role="img" aria-label="{warning}">⚠️</span>' in answer["replies"][0]
