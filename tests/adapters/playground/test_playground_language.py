"""The playground's language choice (English / Cymraeg beside the persona picker) reaches
the engine as the person's locale, as a platform's would; anything else is refused."""

from __future__ import annotations

import pytest

from adapters.playground.demo import CHANNELS
from adapters.playground.inbound import BadRequest, action_request, command_request
from adapters.playground.playground import Playground
from dialogs.core.language import speaking
from dialogs.engine import Engine
from dialogs.runner import EngineRunner
from storage.playground import PlaygroundStore

CHANNEL = CHANNELS[0].channel_id


async def _nothing_to_deliver() -> None:
    return None


@pytest.fixture
async def playground(sqlite_database, clock):
    engine = Engine(sqlite_database, clock=clock)
    started = Playground(
        EngineRunner(engine), _nothing_to_deliver, PlaygroundStore(sqlite_database), clock=clock
    )
    await started.start()
    return started


@pytest.mark.parametrize(("language", "locale"), [("cy", "cy-GB"), ("en", "en-GB")])
async def test_the_chosen_language_is_the_persons_locale(playground, language, locale):
    said = {"user": "asha", "channel": CHANNEL, "text": "help", "language": language}
    outcome = await playground.command(command_request(said))
    assert outcome.actor.locale == locale
    clicked = {"name": "Nia Evans", "channel": CHANNEL, "action": "x", "language": language}
    assert (await playground.action(action_request(clicked))).actor.locale == locale


async def test_a_page_that_sends_no_choice_leaves_the_language_to_concord(playground):
    said = {"user": "asha", "channel": CHANNEL, "text": "help"}
    assert (await playground.command(command_request(said))).actor.locale == ""


@pytest.mark.parametrize("language", ["fr", "CY", "", 1, ["cy"]])
def test_a_language_concord_does_not_speak_is_refused_by_name(language):
    said = {"user": "asha", "channel": CHANNEL, "text": "help", "language": language}
    with pytest.raises(BadRequest, match="`language` must be one of: en, cy."):
        command_request(said)
    with speaking("cy"), pytest.raises(BadRequest, match="Rhaid i `language` fod yn un o"):
        command_request(said)
