"""What Teams is told outside a turn reaches the person in their language: a click Concord
can't read, a click Teams sent twice, a dialog invoke it can't read, a submit delivered
twice, a form's own words (its pickers' labels), and the confirmations of votes stored
together in a batch (`dialogs.polls.vote_batch`). Their language is the one they read
Concord in: chosen with `me language`, else their Teams client's `locale`. An English
Teams gets the same words as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from tests.adapters.teams.harness import TeamsHarness, a_poll
from tests.adapters.teams.test_teams_dialogs import (
    closed,
    dialog,
    form_data,
    invoke,
    opened,
    posted,
)
from tests.adapters.teams.test_teams_universal_actions import VOTE, buttons, pressed, said
from tests.stand_ins import teams_activities as teams
from tests.stand_ins.adaptive_cards import AdaptiveCardsNode, objects, running_parser

WELSH, ENGLISH = {"locale": "cy-GB"}, {"locale": "en-GB"}


@pytest.fixture(scope="module")
def parser() -> Iterator[AdaptiveCardsNode]:
    with running_parser() as node:
        yield node


async def refusal_of(app: TeamsHarness, parser: AdaptiveCardsNode, **client: Any) -> list[str]:
    """The words of the card answering a click on a verb Concord has never heard of."""
    click = {**teams.execute(app.stub.service_url, {}, **client), "value": pressed("zap", VOTE)}
    card = (await (await app.send(click)).json())["value"]
    assert parser.problems([card]) == [[]]
    return said(parser, card)


async def test_a_click_concord_cant_read_is_refused_in_the_clickers_language(teams_app, parser):
    await a_poll(teams_app)

    welsh = await refusal_of(teams_app, parser, **WELSH)
    english = await refusal_of(teams_app, parser, **ENGLISH)

    assert welsh[:2] == [
        "⚠️ Does gan Concord ddim gweithred o'r enw “zap”, felly ni newidiodd dim.",
        "Rhowch gynnig ar y botwm eto; os yw hyn yn dal i ddigwydd, teipiwch `help` i Concord.",
    ]
    assert english[:2] == [
        "⚠️ Concord has no action called “zap”, so nothing changed.",
        "Try the button again; if this keeps happening, type `help` to Concord.",
    ]


async def test_someone_who_chose_welsh_is_refused_in_welsh_whatever_their_teams_says(
    teams_app, parser
):
    await a_poll(teams_app)
    await teams_app.say("me language cy")

    shown = await refusal_of(teams_app, parser, **ENGLISH)

    assert shown[0] == "⚠️ Does gan Concord ddim gweithred o'r enw “zap”, felly ni newidiodd dim."


async def test_a_click_teams_sent_twice_is_answered_in_the_clickers_language(teams_app, parser):
    poll = await a_poll(teams_app)
    soup = buttons(poll.card)["Soup"]["data"]
    click = teams.execute(teams_app.stub.service_url, soup, **WELSH)
    await teams_app.send(click)

    again = (await (await teams_app.send(click)).json())["value"]

    assert said(parser, again)[0] == (
        "⚠️ Anfonodd Teams y clic hwn ddwywaith: roedd Concord eisoes wedi gweithredu arno, "
        "felly ni newidiodd dim byd arall."
    )


async def test_a_dialog_concord_cant_read_is_answered_in_the_senders_language(teams_app):
    await teams_app.say('setup "North"')
    url = teams_app.stub.service_url

    welsh = closed(await invoke(teams_app, teams.compose_fetch(url, command_id="x", **WELSH)))
    english = closed(await invoke(teams_app, teams.compose_fetch(url, command_id="x", **ENGLISH)))

    assert welsh.startswith("Doedd Concord ddim yn gallu darllen hynny, felly ni newidiwyd dim.")
    assert english == (
        "Concord couldn't read that, so nothing was changed. Try the button again, or type "
        "help to see what you can do."
    )


async def test_a_dialog_submitted_twice_says_done_in_the_senders_language(teams_app):
    card = await posted(teams_app, 'poll "Rank them" "Soup" "Salad" --type ranked')
    form = await opened(teams_app, card, "Rank the options")
    data = {**form_data(form), "rank0": "1"}
    activity = teams.task_submit(teams_app.stub.service_url, data, **WELSH)
    await invoke(teams_app, activity)

    assert closed(await invoke(teams_app, activity)) == "Wedi'i wneud."


async def test_an_invoke_concord_has_nothing_for_is_answered_in_the_senders_language(teams_app):
    url = teams_app.stub.service_url
    welsh = teams.base(url, type="invoke", name="signin/verifyState", value={}, **WELSH)

    body = await (await teams_app.send(welsh)).json()

    assert body["value"]["message"] == "Doedd dim byd i Concord yn y weithred honno ar y cerdyn."


def picker_labels(form: dict[str, Any]) -> dict[str, str]:
    """{input id: label} of the form's closing day and time pickers."""
    return {o["id"]: o["label"] for o in objects(form) if o.get("id", "").startswith("closes")}


async def test_the_poll_forms_own_words_are_in_the_language_it_was_written_in(teams_app, parser):
    await teams_app.say('setup "North"')
    url = teams_app.stub.service_url

    welsh = dialog(await invoke(teams_app, teams.compose_fetch(url, **WELSH)))
    english = dialog(await invoke(teams_app, teams.compose_fetch(url, **ENGLISH)))

    assert parser.problems([welsh, english]) == [[], []]
    assert picker_labels(welsh) == {
        "closes": "Yn cau (amser Europe/London)",
        "closes.time": "Amser",
    }
    assert picker_labels(english) == {
        "closes": "Closes (Europe/London time)",
        "closes.time": "Time",
    }


def voter(n: int) -> dict[str, Any]:
    return {"from": {"id": f"29:voter-{n}", "name": f"Voter {n}", "aadObjectId": f"aad-{n}"}}


async def test_votes_stored_together_are_each_confirmed_in_the_voters_language(teams_app, parser):
    poll = await a_poll(teams_app)
    soup = buttons(poll.card)["Soup"]["data"]
    clicks = [
        teams.execute(teams_app.stub.service_url, soup, **voter(n), **(WELSH if n % 2 else ENGLISH))
        for n in range(6)
    ]

    answers = await asyncio.gather(*(teams_app.send(click) for click in clicks))

    said_first = [said(parser, (await answer.json())["value"])[0] for answer in answers]
    welsh = "Rydych chi wedi pleidleisio dros “Soup” ym mhôl #1 — gallwch ei newid tan"
    english = "You voted “Soup” in poll #1 — you can change it until"
    assert [words.startswith(welsh) for words in said_first] == [False, True] * 3
    assert [words.startswith(english) for words in said_first] == [True, False] * 3
