"""Universal Actions in Teams, end to end through `/api/messages`: a click on a card's
`Action.Execute` is an `adaptiveCard/action` invoke, answered with the clicker's own card
(what Concord said to them on top, their view under it) and no connector call; the
shared card is updated for everyone by the outbox; the `Action.Submit` fallback still
works; keyed cards list who Teams refreshes by itself. Anything Concord can't act on is
a refusal card with HTTP 200, and the database is left as it was.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import func, select

from adapters.teams.members import MEMBERS_TTL
from storage.models import (
    Ballot,
    Identity,
    Member,
    Outbox,
    Participation,
    Poll,
    ProcessedEvent,
)
from tests.adapters.teams.harness import TeamsHarness, a_poll, count, words
from tests.stand_ins import teams_activities as teams
from tests.stand_ins.adaptive_cards import (
    AdaptiveCardsNode,
    Rendered,
    objects,
    running_parser,
)

CARD = "application/vnd.microsoft.card.adaptive"
STRANGER = {"id": "29:stranger", "name": "Sam Stranger", "aadObjectId": "0a0b0c0d-stranger"}


@pytest.fixture(scope="module")
def parser() -> Iterator[AdaptiveCardsNode]:
    with running_parser() as node:
        yield node


def buttons(card: dict[str, Any], kind: str = "Action.Execute") -> dict[str, dict[str, Any]]:
    """{title: button} of every button of `kind` in a card, however nested."""
    return {o["title"]: o for o in objects(card) if o.get("type") == kind and "title" in o}


def said(parser: AdaptiveCardsNode, card: dict[str, Any]) -> list[str]:
    """The words of the card's text blocks, top to bottom, as Teams renders the markdown."""
    texts = [o["text"] for o in card["body"] if o.get("type") == "TextBlock"]
    return [Rendered(html).text for html in parser.markdown_html(texts)]


def snapshot(database) -> dict[str, int]:
    """How many rows each table a click could change holds."""
    tables = (Ballot, Participation, Member, Identity, Poll, ProcessedEvent, Outbox)
    with database.session() as session:
        return {t.__name__: session.exec(select(func.count()).select_from(t)).one() for t in tables}


async def click(app: TeamsHarness, data: Any, **options: Any) -> dict[str, Any]:
    """An `Action.Execute` click; the invoke response's card, once it is known to be one."""
    response = await app.send(teams.execute(app.stub.service_url, data, **options))
    assert response.status == 200, await response.text()
    body = await response.json()
    assert (body["statusCode"], body["type"]) == (200, CARD), body
    return body["value"]


async def a_poll_of(app: TeamsHarness, arguments: str) -> Any:
    await app.say('setup "North"')
    await app.say(f"poll {arguments}")
    await app.deliver()
    return app.posts()[-1]


# A vote is answered with the voter's own card


async def test_a_vote_answers_with_the_voters_card_and_calls_no_connector(teams_app, parser):
    poll = await a_poll(teams_app)
    soup = buttons(poll.card)["Soup"]
    before, private = len(teams_app.stub.calls), len(teams_app.private())

    card = await click(teams_app, soup["data"])

    assert len(teams_app.stub.calls) == before  # no 1:1 message, no members call
    assert parser.problems([card]) == [[]]
    shown = said(parser, card)
    assert shown[0].startswith("You voted “Soup” in poll #1")
    assert "Lunch?" in shown  # their view of the poll, under what Concord said
    assert card["refresh"]["action"]["data"] == {"view": "poll:1"}
    assert card["refresh"]["userIds"] == [teams.USER_ID]  # known from the post, not asked
    assert count(teams_app.database, Ballot, Ballot.latest) == 1
    await teams_app.deliver()  # the shared card, for everyone, through the outbox
    update = teams_app.stub.calls_to("update")[-1]
    assert update.activity_id == poll.response["id"]
    assert "1 person voted" in words(update.card)
    assert len(teams_app.private()) == private


async def test_a_multiple_choice_vote_is_answered_in_the_card(teams_app, parser):
    poll = await a_poll_of(teams_app, '"Lunch?" "Soup" "Salad" "Stew" --type multi')
    soup, stew = (buttons(poll.card)[title]["data"] for title in ("Soup", "Stew"))

    await click(teams_app, soup)
    card = await click(teams_app, stew)

    assert parser.problems([card]) == [[]]
    assert "Soup" in said(parser, card)[0] and "Stew" in said(parser, card)[0]
    with teams_app.database.session() as session:
        ballot = session.exec(select(Ballot).where(Ballot.latest)).one()
    assert sorted(ballot.choices) == [0, 2]  # Soup and Stew, by position


async def test_a_consent_stance_is_an_execute_and_a_reasoned_one_opens_its_form(teams_app, parser):
    poll = await a_poll_of(teams_app, '"Adopt the purpose?" --type consent')
    executes, submits = buttons(poll.card), buttons(poll.card, "Action.Submit")
    agree = next(b for b in executes.values() if b["data"]["action"].endswith(":agree"))
    block = next(b for b in submits.values() if b["data"]["action"].endswith(":block"))
    assert agree["verb"] == "stance"
    assert block["data"]["action"].startswith("form:consent:")  # forms stay Action.Submit

    card = await click(teams_app, agree["data"])

    assert parser.problems([card]) == [[]]
    assert "Agree" in said(parser, card)[0]
    assert count(teams_app.database, Ballot, Ballot.latest) == 1
    response = await teams_app.send(teams.submit(teams_app.stub.service_url, block["data"]))
    assert response.status == 201
    form = teams_app.private()[-1].card
    assert any(o.get("type") == "Input.Text" for o in objects(form))


@pytest.mark.parametrize("kind", ["ranked", "score", "dots"])
async def test_a_ballot_that_needs_a_form_keeps_its_submit_button(teams_app, kind):
    poll = await a_poll_of(teams_app, f'"Lunch?" "Soup" "Salad" "Stew" --type {kind}')

    (opener,) = [
        b
        for b in buttons(poll.card, "Action.Submit").values()
        if b["data"]["action"].startswith("form:ballot:")
    ]
    assert "fallback" not in opener and "verb" not in opener


async def test_a_refresh_shows_the_person_their_view_and_changes_nothing(teams_app, parser):
    poll = await a_poll(teams_app)
    await click(teams_app, buttons(poll.card)["Soup"]["data"])
    before, calls = snapshot(teams_app.database), len(teams_app.stub.calls)

    card = await click(teams_app, {"view": "poll:1"}, verb="refresh", trigger="automatic")

    assert parser.problems([card]) == [[]]
    shown = said(parser, card)
    assert shown[0] == "Lunch?"  # the view alone: nothing was done, nothing to say
    assert "1 person voted" in words(card)
    assert snapshot(teams_app.database) == before
    assert len(teams_app.stub.calls) == calls


async def test_the_shared_card_keeps_the_collaboratives_time_and_a_refresh_shows_the_readers(
    teams_app,
):
    poll = await a_poll_of(teams_app, '"Lunch?" "Soup" "Salad" --closes friday 17:00')
    assert "Fri 27 Nov 2026 17:00 GMT" in words(poll.card)

    card = await click(
        teams_app,
        {"view": "poll:1"},
        verb="refresh",
        trigger="automatic",
        localTimezone="America/New_York",
    )

    assert "Fri 27 Nov 2026 12:00 EST" in words(card)
    assert "GMT" not in words(card)


async def test_the_submit_fallback_still_votes(teams_app):
    poll = await a_poll(teams_app)
    fallback = buttons(poll.card)["Soup"]["fallback"]
    assert fallback["type"] == "Action.Submit"

    response = await teams_app.send(teams.submit(teams_app.stub.service_url, fallback["data"]))

    assert response.status == 201
    assert count(teams_app.database, Ballot, Ballot.latest) == 1
    assert "You voted" in words(teams_app.private()[-1].body)  # its answer: the 1:1 chat


async def test_a_private_notes_button_is_answered_with_what_concord_says_alone(teams_app, parser):
    await a_poll(teams_app)
    (close,) = [  # on the coordinator's private notice of the poll
        b
        for message in teams_app.private()
        for b in buttons(message.card).values()
        if b["data"]["action"] == "close:1"
    ]
    before = len(teams_app.stub.calls)

    card = await click(teams_app, close["data"], kind="personal")

    assert parser.problems([card]) == [[]]
    assert "closed" in said(parser, card)[0].lower()
    assert "refresh" not in card  # that note is no keyed card: nothing to refresh
    assert len(teams_app.stub.calls) == before
    with teams_app.database.session() as session:
        assert session.exec(select(Poll.closed_at)).one() is not None


# Who Teams refreshes by itself


@pytest.mark.parametrize(("people", "listed"), [(60, True), (61, False)])
async def test_up_to_60_members_are_listed_for_refresh_and_more_are_not(teams_app, people, listed):
    everyone = [f"29:member-{n}" for n in range(people)]
    teams_app.stub.members[teams.TEAM_CHANNEL] = everyone

    poll = await a_poll(teams_app)

    assert poll.card["refresh"]["action"]["verb"] == "refresh"
    assert poll.card["refresh"].get("userIds") == (everyone if listed else None)


async def test_members_are_asked_once_per_conversation_while_fresh(teams_app):
    poll = await a_poll(teams_app)
    await click(teams_app, buttons(poll.card)["Soup"]["data"])
    await teams_app.deliver()
    assert len(teams_app.stub.calls_to("members")) == 1  # the post's; the update reused it

    teams_app.clock.advance(seconds=MEMBERS_TTL.total_seconds())
    await click(teams_app, buttons(poll.card)["Salad"]["data"])
    await teams_app.deliver()
    assert len(teams_app.stub.calls_to("members")) == 2


async def test_when_teams_cant_say_who_is_there_the_card_refreshes_on_request(teams_app, caplog):
    teams_app.stub.fail(1, 403, kind="members")

    with caplog.at_level(logging.WARNING):
        poll = await a_poll(teams_app)
        await click(teams_app, buttons(poll.card)["Soup"]["data"])
        await teams_app.deliver()

    assert "userIds" not in poll.card["refresh"]
    assert "userIds" not in teams_app.stub.calls_to("update")[-1].card["refresh"]
    warnings = [r for r in caplog.records if "members could not be read" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].exc_info is None


# Clicks Concord can't act on: a refusal card, HTTP 200, nothing changed

VOTE = {"action": "vote:1:1", "view": "poll:1"}


def pressed(verb: str | None, data: Any) -> dict[str, Any]:
    """An invoke's `value` for an `Action.Execute` with this verb (none: left out) and data."""
    action = {"type": "Action.Execute", "data": data}
    return {"action": action if verb is None else {**action, "verb": verb}}


REFUSED: list[Any] = [
    pytest.param(pressed(None, VOTE), "didn't say what it does", id="no verb"),
    pytest.param(pressed("", VOTE), "didn't say what it does", id="empty verb"),
    pytest.param(pressed("teleport", VOTE), "no action called “teleport”", id="unknown verb"),
    pytest.param(
        pressed("close", VOTE), "doesn't match what it says it does", id="not the action's kind"
    ),
    pytest.param(pressed("vote", "vote:1:1"), "carried nothing Concord can", id="data a string"),
    pytest.param(pressed("vote", {"view": "poll:1"}), "no action Concord knows", id="no action"),
    pytest.param(
        pressed("vote", {"action": "vote:1:x"}), "doesn't do anything any more", id="not one"
    ),
    pytest.param(
        pressed("vote", {**VOTE, "view": "x:1"}), "isn't on a card of Concord's", id="view not ours"
    ),
    pytest.param(
        pressed("vote", {**VOTE, "view": f"poll:{2**40}"}),
        "isn't on a card of Concord's",
        id="a view no row can have",
    ),
    pytest.param(
        pressed("refresh", {"view": "poll:9"}),
        "no longer one Concord can show",
        id="refresh of a poll that isn't there",
    ),
    pytest.param({"action": "vote:1:1"}, "without a button's action", id="action a string"),
]


@pytest.mark.parametrize(("value", "words_shown"), REFUSED)
async def test_a_click_concord_cant_act_on_is_a_refusal_card(teams_app, parser, value, words_shown):
    await a_poll(teams_app)
    before, calls = snapshot(teams_app.database), len(teams_app.stub.calls)
    activity = {**teams.execute(teams_app.stub.service_url, {}), "value": value}

    response = await teams_app.send(activity)

    assert response.status == 200, await response.text()
    body = await response.json()
    assert (body["statusCode"], body["type"]) == (200, CARD)
    assert parser.problems([body["value"]]) == [[]]
    assert words_shown in said(parser, body["value"])[0]
    assert snapshot(teams_app.database) == before
    assert len(teams_app.stub.calls) == calls


async def test_a_refused_click_still_shows_the_card_it_was_on(teams_app, parser):
    await a_poll(teams_app)
    activity = {**teams.execute(teams_app.stub.service_url, {}), "value": pressed("zap", VOTE)}

    card = (await (await teams_app.send(activity)).json())["value"]

    shown = said(parser, card)
    assert shown[0] == "⚠️ Concord has no action called “zap”, so nothing changed."
    assert "Lunch?" in shown  # the poll stays in front of them, under the refusal
    assert card["refresh"]["action"]["data"] == {"view": "poll:1"}


async def test_a_vote_for_another_collaboratives_poll_is_refused(teams_app, parser):
    await teams_app.say('setup "South"', kind="groupChat")
    await teams_app.say('poll "Elsewhere?" "Yes" "No"', kind="groupChat")
    await teams_app.say('setup "North"')
    before = snapshot(teams_app.database)

    card = await click(teams_app, {"action": "vote:1:1"})

    assert said(parser, card)[0] == "⚠️ That poll isn't part of this channel's collaborative."
    assert snapshot(teams_app.database) == before


async def test_a_vote_from_the_personal_chat_of_someone_not_a_member_is_refused(teams_app, parser):
    await a_poll(teams_app)
    before = snapshot(teams_app.database)

    card = await click(teams_app, {"action": "vote:1:1"}, kind="personal", **{"from": STRANGER})

    assert "You voted" not in words(card)
    assert said(parser, card)[0].startswith("⚠️")
    assert snapshot(teams_app.database) == before


async def test_a_replayed_click_counts_once_and_says_so(teams_app, parser):
    poll = await a_poll(teams_app)
    activity = teams.execute(teams_app.stub.service_url, buttons(poll.card)["Soup"]["data"])
    first = await teams_app.send(activity)
    assert "You voted" in words(await first.json())
    before = snapshot(teams_app.database)

    again = await teams_app.send(activity)

    card = (await again.json())["value"]
    assert said(parser, card)[0] == (
        "⚠️ Teams sent this click twice: Concord had already acted on it, so nothing more changed."
    )
    assert "Lunch?" in said(parser, card)  # and their view under it
    assert snapshot(teams_app.database) == before


async def test_replays_arriving_together_count_once_and_other_votes_still_count(teams_app):
    poll = await a_poll(teams_app)
    soup = teams.execute(teams_app.stub.service_url, buttons(poll.card)["Soup"]["data"])
    others = [
        teams.execute(
            teams_app.stub.service_url,
            buttons(poll.card)["Salad"]["data"],
            **{"from": {"id": f"29:voter-{n}", "name": f"Voter {n}", "aadObjectId": f"aad-{n}"}},
        )
        for n in range(8)
    ]

    responses = await asyncio.gather(*(teams_app.send(a) for a in [soup, *others, soup, soup]))

    assert all(r.status == 200 for r in responses)
    assert count(teams_app.database, Ballot, Ballot.latest) == 9
    cards = [words(await r.json()) for r in responses]
    replays = [c for c in cards if "Teams sent this click twice" in c]
    assert len(replays) == 2
    assert sum("You voted “Soup”" in c for c in cards if c not in replays) == 1
