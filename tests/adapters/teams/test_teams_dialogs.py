"""Teams dialogs (task modules) end to end: a button that opens a form opens it where the
person clicked (`task/fetch`), the form's button submits it (`task/submit`), and the
compose box's "Create a poll" (`composeExtension/fetchTask` and `submitAction`) starts a
poll. Real activities go through `/api/messages`; the answers ride in the invoke
responses, and the connector stand-in shows that nothing went to the 1:1 chat.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import select

from adapters.teams.render import MAX_CARD_BYTES, card_bytes
from storage.models import Ballot, CheckinAnswer, Poll, Proposal
from tests.adapters.teams.harness import TeamsHarness, count, submit_actions, words
from tests.stand_ins import teams_activities as teams
from tests.stand_ins.adaptive_cards import AdaptiveCardsNode, running_parser

Json = dict[str, Any]
TASK_FETCH = {"type": "task/fetch"}


@pytest.fixture(scope="module")
def parser() -> Iterator[AdaptiveCardsNode]:
    with running_parser() as node:
        yield node


async def invoke(teams_app: TeamsHarness, activity: Json) -> Json:
    """The invoke's response body: always HTTP 200 with a task response."""
    response = await teams_app.send(activity)
    assert response.status == 200, await response.text()
    body = await response.json()
    assert set(body) == {"task"}, body
    return body["task"]


def dialog(task: Json) -> Json:
    """The Adaptive Card a `continue` response shows in the dialog."""
    assert task["type"] == "continue", task
    value = task["value"]
    assert value["width"] == "medium" and value["height"] in ("medium", "large")
    card = value["card"]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    return card["content"]


def closed(task: Json) -> str:
    """The words a `message` response shows as the dialog closes."""
    assert task["type"] == "message", task
    return task["value"]


def form_data(card: Json) -> Json:
    """The data of the form's own submit button."""
    (data,) = [data for data in submit_actions(card).values() if "msteams" not in data]
    return data


def inputs(card: Json) -> dict[str, Json]:
    """{id: element} of every input in the card, however nested."""
    found: dict[str, Json] = {}

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if str(node.get("type", "")).startswith("Input."):
                found[node["id"]] = node
            for value in node.values():
                walk(value)

    walk(card)
    return found


def error_shown(card: Json) -> str:
    (error,) = [e["text"] for e in card["body"] if e.get("color") == "Attention"]
    return error


async def posted(teams_app: TeamsHarness, *commands: str) -> Json:
    """The card of the last channel post after a coordinator typed `commands`."""
    await teams_app.say('setup "North"')
    for command in commands:
        await teams_app.say(command)
    await teams_app.deliver()
    return teams_app.posts()[-1].card


async def opened(teams_app: TeamsHarness, card: Json, title: str) -> Json:
    """Click `title` on a posted card: it asks Teams for a dialog, which shows a form."""
    data = submit_actions(card)[title]
    assert data["msteams"] == TASK_FETCH
    return dialog(await invoke(teams_app, teams.task_fetch(teams_app.stub.service_url, data)))


async def submitted(teams_app: TeamsHarness, form: Json, **typed: str) -> Json:
    activity = teams.task_submit(teams_app.stub.service_url, {**form_data(form), **typed})
    return await invoke(teams_app, activity)


def connector_calls(teams_app: TeamsHarness) -> int:
    return len(teams_app.stub.calls)


BALLOTS = [
    pytest.param(
        '"Rank them" "Soup" "Salad" "Stew" --type ranked',
        "Rank the options",
        {"rank0": "1", "rank1": "1"},
        "You ranked the same option twice.",
        {"rank0": "1", "rank1": "0"},
        "You ranked “Salad” 1st, “Soup” 2nd in poll #1 — you can change it until",
        id="ranked",
    ),
    pytest.param(
        '"Score them" "Soup" "Salad" "Stew" --type score',
        "Score the options",
        {"score0": "5", "score1": "2"},
        "Score every option from 0 to 5.",
        {"score0": "5", "score1": "2", "score2": "0"},
        "You scored “Soup” 5, “Salad” 2, “Stew” 0 in poll #1 — you can change it until",
        id="score",
    ),
    pytest.param(
        '"Spread them" "Soup" "Salad" "Stew" --type dots --dots 5',
        "Place your dots",
        {"dots0": "4", "dots1": "3"},
        "That is 7 dots; you have 5.",
        {"dots0": "4", "dots1": "1"},
        "You put 4 dots on “Soup”, 1 dot on “Salad” in poll #1 — you can change it until",
        id="dots",
    ),
]


@pytest.mark.parametrize(("poll", "button", "wrong", "problem", "right", "said"), BALLOTS)
async def test_a_ballot_opens_where_clicked_keeps_a_refused_input_and_closes_once_cast(
    teams_app, parser, poll, button, wrong, problem, right, said
):
    card = await posted(teams_app, f"poll {poll}")
    before = connector_calls(teams_app)

    form = await opened(teams_app, card, button)
    assert set(wrong) <= set(inputs(form))
    again = dialog(await submitted(teams_app, form, **wrong))
    assert error_shown(again) == f"⚠️ {problem}"
    assert {name: inputs(again)[name]["value"] for name in wrong} == wrong  # kept as typed
    assert count(teams_app.database, Ballot) == 0

    answer = closed(await submitted(teams_app, again, **right))

    assert answer.startswith(said)
    assert count(teams_app.database, Ballot, Ballot.latest) == 1
    assert connector_calls(teams_app) == before  # no 1:1 chat: no connector call at all
    await teams_app.deliver()  # the shared card is refreshed for everyone
    (update,) = teams_app.stub.calls_to("update")
    assert update.activity_id == teams_app.posts()[-1].response["id"]
    assert parser.problems([form, again]) == [[], []]


@pytest.mark.parametrize(("stance", "label"), [("object", "Object"), ("block", "Block")])
async def test_an_objection_or_a_block_asks_the_harm_and_what_would_resolve_it_in_a_dialog(
    teams_app, parser, stance, label
):
    card = await posted(teams_app, 'poll "Adopt the purpose?" --type consent')
    before = connector_calls(teams_app)
    form = await opened(teams_app, card, label)
    assert form_data(form) == {"action": f"submit:consent:1:{stance}"}
    assert [inputs(form)[name]["label"] for name in ("harm", "resolve")] == [
        "What harm would this do to our aim? (everyone will see it, without your name if "
        "the poll is anonymous)",
        "What would resolve it?",
    ]

    again = dialog(await submitted(teams_app, form, harm="It leaves out carers.", resolve=" "))
    assert error_shown(again) == "⚠️ Say what would resolve it: it shows the group a way forward."
    assert inputs(again)["harm"]["value"] == "It leaves out carers."  # kept as typed

    answer = closed(
        await submitted(teams_app, again, harm="It leaves out carers.", resolve="Ask carers.")
    )

    assert answer.startswith(f"You responded “{label}” in poll #1")
    with teams_app.database.session() as session:
        ballot = session.exec(select(Ballot)).one()
    assert ballot.choices == [stance, "It leaves out carers.", "Ask carers."]
    assert connector_calls(teams_app) == before
    assert parser.problems([form, again]) == [[], []]


async def test_a_proposal_is_made_in_a_dialog(teams_app, parser):
    card = await posted(teams_app, "purpose start")
    before = connector_calls(teams_app)
    form = await opened(teams_app, card, "Propose")

    answer = closed(await submitted(teams_app, form, text="Care closer to home."))

    assert answer == (
        "Thank you: your proposal is in purpose round #1.\n\n"
        "You can change it until gathering closes, and propose 2 more."
    )
    with teams_app.database.session() as session:
        assert session.exec(select(Proposal.text)).all() == ["Care closer to home."]
    assert connector_calls(teams_app) == before
    assert parser.problems([form]) == [[]]


async def test_check_in_answers_are_given_in_a_dialog(teams_app, parser):
    card = await posted(teams_app, 'checkin add "every day 09:00"', "checkin now 1")
    before = connector_calls(teams_app)
    form = await opened(teams_app, card, "Answer privately")
    first = next(iter(inputs(form)))

    answer = closed(await submitted(teams_app, form, **{first: "4"}))

    assert answer.startswith("Thanks — your answers are in.\n\nYou can change them until")
    assert count(teams_app.database, CheckinAnswer) == 1
    assert connector_calls(teams_app) == before
    assert parser.problems([form]) == [[]]


# The compose box's "Create a poll"


async def test_create_a_poll_from_the_compose_box_posts_it_in_the_channel(teams_app, parser):
    await teams_app.say('setup "North"')
    service = teams_app.stub.service_url
    before = connector_calls(teams_app)

    form = dialog(await invoke(teams_app, teams.compose_fetch(service)))
    assert form["body"][0]["text"] == "New poll"
    data = {**form_data(form), "question": "Where shall we meet?"}  # no options: refused
    again = dialog(await invoke(teams_app, teams.compose_submit(service, data)))
    assert inputs(again)["question"]["value"] == "Where shall we meet?"
    assert error_shown(again) == "⚠️ A poll needs at least two options."
    assert count(teams_app.database, Poll) == 0

    data = {**form_data(again), "question": "Where shall we meet?", "options": "Leeds\nYork"}
    answer = closed(await invoke(teams_app, teams.compose_submit(service, data)))

    assert answer.startswith("Poll #1 is open\n\nPosted in 1 channel.")
    assert connector_calls(teams_app) == before
    await teams_app.deliver()
    poll = teams_app.posts()[-1]
    assert "Where shall we meet?" in words(poll.card)
    assert set(submit_actions(poll.card)) >= {"Leeds", "York"}
    assert parser.problems([form, again]) == [[], []]


async def test_create_a_poll_where_no_collaborative_is_linked_says_how_to_link_it(teams_app):
    service = teams_app.stub.service_url

    answer = closed(await invoke(teams_app, teams.compose_fetch(service)))

    assert answer == (
        "⚠️ This channel isn't part of a collaborative yet.\n\n"
        'Type `setup "Collaborative name"` to start one here, or `link CODE` with a code '
        "from a coordinator to join one."
    )
    data = {"action": "submit:poll", "question": "Lunch?", "options": "Soup\nSalad"}
    answer = closed(await invoke(teams_app, teams.compose_submit(service, data)))
    assert answer.startswith("⚠️ This channel isn't part of a collaborative yet.")
    assert count(teams_app.database, Poll) == 0
    assert teams_app.stub.calls == []


# Bad input: always a 200 with words, nothing changed


@pytest.mark.parametrize(
    "activity",
    [
        pytest.param(lambda url: teams.task_fetch(url, {}), id="fetch without data"),
        pytest.param(
            lambda url: teams.task_fetch(url, {"msteams": TASK_FETCH}), id="fetch without action"
        ),
        pytest.param(lambda url: teams.task_submit(url, {"action": 7}), id="action not text"),
        pytest.param(
            lambda url: {**teams.task_submit(url, {}), "value": "garbage"}, id="value not object"
        ),
        pytest.param(
            lambda url: teams.compose_fetch(url, command_id="other"), id="unknown command"
        ),
        pytest.param(
            lambda url: teams.compose_submit(url, {"action": "submit:poll"}, command_id=""),
            id="no command",
        ),
    ],
)
async def test_a_dialog_invoke_concord_cannot_read_is_answered_in_words(teams_app, activity):
    await teams_app.say('setup "North"')
    before = connector_calls(teams_app)

    answer = closed(await invoke(teams_app, activity(teams_app.stub.service_url)))

    assert answer.startswith("Concord couldn't read that, so nothing was changed.")
    assert connector_calls(teams_app) == before
    assert count(teams_app.database, Poll) == 0


async def test_a_ballot_for_another_collaboratives_poll_is_refused(teams_app):
    card = await posted(teams_app, 'poll "Rank them" "Soup" "Salad" --type ranked')
    data = submit_actions(card)["Rank the options"]
    await teams_app.say('setup "South"', kind="groupChat")  # a collaborative of its own
    service = teams_app.stub.service_url

    answer = closed(await invoke(teams_app, teams.task_fetch(service, data, "groupChat")))
    ballot = {"action": "submit:ballot:1", "rank0": "0"}
    refused = closed(await invoke(teams_app, teams.task_submit(service, ballot, "groupChat")))

    assert (
        answer
        == refused
        == (
            "⚠️ That poll isn't part of this channel's collaborative.\n\n"
            "Type `poll list` to see this collaborative's polls."
        )
    )
    assert count(teams_app.database, Ballot) == 0


async def test_a_submit_delivered_twice_counts_once(teams_app):
    card = await posted(teams_app, 'poll "Rank them" "Soup" "Salad" --type ranked')
    form = await opened(teams_app, card, "Rank the options")
    activity = teams.task_submit(teams_app.stub.service_url, {**form_data(form), "rank0": "1"})

    first = closed(await invoke(teams_app, activity))
    second = closed(await invoke(teams_app, activity))

    assert first.startswith("You ranked “Salad” 1st")
    assert second == "Done."
    assert count(teams_app.database, Ballot) == 1


async def test_an_oversized_answer_comes_back_cut_to_the_limit_with_the_problem(teams_app, parser):
    card = await posted(teams_app, 'poll "Adopt the purpose?" --type consent')
    form = await opened(teams_app, card, "Object")
    limit = inputs(form)["harm"]["maxLength"]

    typed = " ".join(["word"] * 2000)

    again = dialog(await submitted(teams_app, form, harm=typed, resolve="Fewer words"))

    assert error_shown(again) == f"⚠️ The harm is 9,999 characters; the most is {limit:,}."
    assert inputs(again)["harm"]["value"] == typed[:limit]  # what fits, to shorten
    assert inputs(again)["resolve"]["value"] == "Fewer words"
    assert card_bytes(again) <= MAX_CARD_BYTES
    assert count(teams_app.database, Ballot) == 0
    assert parser.problems([again]) == [[]]


async def test_a_typed_polls_form_submitted_in_the_private_chat_posts_the_poll(teams_app):
    await teams_app.say('setup "North"')
    await teams_app.say("poll")  # Teams opens no dialog from a typed message: the 1:1 chat

    form = teams_app.private()[-1].card
    assert form_data(form) == {"action": "submit:poll:1"}  # it names North's collaborative
    typed = {**form_data(form), "question": "Lunch?", "options": "Soup\nSalad", "type": "single"}
    submit = teams.submit(teams_app.stub.service_url, typed, "personal")
    response = await teams_app.send(submit)

    assert response.status == 201
    await teams_app.deliver()
    poll = teams_app.posts()[-1]
    assert "Lunch?" in words(poll.card)
    assert set(submit_actions(poll.card)) >= {"Soup", "Salad"}
    assert count(teams_app.database, Poll) == 1


STRANGER = {"id": "29:stranger", "name": "Sam Stranger", "aadObjectId": "0f0e0d0c-aaaa"}


async def test_someone_outside_the_collaborative_cannot_open_or_submit_its_forms(teams_app):
    card = await posted(teams_app, 'poll "Adopt the purpose?" --type consent')
    data = submit_actions(card)["Object"]
    service = teams_app.stub.service_url
    theirs = {"from": STRANGER}  # from their own chat with Concord, a member of nothing

    fetched = closed(await invoke(teams_app, teams.task_fetch(service, data, "personal", **theirs)))
    reason = {"action": "submit:consent:1:object", "harm": "No.", "resolve": "No."}
    submit = teams.task_submit(service, reason, "personal", **theirs)
    refused = closed(await invoke(teams_app, submit))

    assert fetched == refused
    assert fetched.startswith("⚠️ This channel isn't part of a collaborative yet.")
    assert count(teams_app.database, Ballot) == 0


async def test_only_a_coordinator_creates_a_poll_from_the_compose_box(teams_app):
    await teams_app.say('setup "North"')
    service = teams_app.stub.service_url
    member = {"from": STRANGER}  # acting in the linked channel makes them a member

    answer = closed(await invoke(teams_app, teams.compose_fetch(service, **member)))

    assert answer.startswith("⚠️ Only a coordinator can start a poll; you are a member of North.")


async def test_results_shown_after_a_vote_stay_in_the_dialog_as_a_card(teams_app, parser):
    command = 'poll "Rank them" "Soup" "Salad" --type ranked --results after-vote'
    card = await posted(teams_app, command)
    form = await opened(teams_app, card, "Rank the options")

    answer = dialog(await submitted(teams_app, form, rank0="1"))

    assert "You ranked “Salad” 1st" in words(answer)
    assert "Soup" in words(answer) and "%" in words(answer)  # the results, as bars
    assert count(teams_app.database, Ballot) == 1
    assert parser.problems([answer]) == [[]]
