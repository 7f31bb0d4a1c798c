"""One purpose round in a Slack channel and a Teams channel at once, through both transports.

Slack requests are signed and its Web API is the local stub (tests/slack_api.py); Teams
activities are posted to `/api/messages` and its connector is the local stub
(tests/teams_connector.py). One engine, one database and one outbox dispatcher serve
both, as in a bot process serving both platforms (see tests/test_cross_platform.py).

The partnership: Riverside Trust meets in Slack (Asha, who set it up, Ben and Carys),
Hillview Trust in Teams (Dee, its coordinator, Eli and Fay). On Slack a button that
opens a form opens a modal (`views.open`), and the modal's `view_submission` carries
what was typed. On Teams the form arrives as a card in the person's 1:1 chat with
Concord and is submitted from there — a conversation no collaborative is linked to, so
the engine finds the collaborative from the action itself (`dialogs.core.actions`).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlmodel import func, select

from dialogs.polls.results import compute
from storage.models import Ballot, Member, Organisation, Outbox, Poll, Proposal, PurposeRound
from storage.outbox import PENDING
from tests.adapters.teams.harness import submit_actions, words
from tests.e2e.test_cross_platform import BothPlatforms, _teams_from, linked_channels
from tests.stand_ins import slack_payloads as slack
from tests.stand_ins import teams_activities as teams
from tests.stand_ins.slack_app import all_text, as_read, button_values
from tests.stand_ins.teams_connector import ConnectorCall

Person = tuple[str, str]
ASHA: Person = (slack.USER, slack.USER_NAME)
BEN: Person = ("U0000BEN", "ben")
CARYS: Person = ("U0000CAR", "carys")
DEE: Person = ("29:dee", "Dee Sharma")
ELI: Person = ("29:eli", "Eli Moss")
FAY: Person = ("29:fay", "Fay Lee")
ON_SLACK = [ASHA, BEN, CARYS]
ON_TEAMS = [DEE, ELI, FAY]

JOIN_UP = "Join up care for people who fall between our services"
SUPPLIES = "Buy medical supplies together to cut costs"
CARBON = "Cut the carbon footprint of every building we run"
FRONT_DOOR = "Give young people one front door for mental health"
THEMES = [JOIN_UP, SUPPLIES, CARBON, FRONT_DOOR]  # largest first, then as proposed
# Ben (Slack) and Dee (Teams) word one idea two ways: it must become one theme.
PROPOSALS: list[tuple[Person, str]] = [
    (BEN, JOIN_UP),
    (DEE, "Join up the care for people who fall between our services"),
    (CARYS, SUPPLIES),
    (ELI, CARBON),
    (FAY, FRONT_DOOR),
]
ROUND = "Purpose round #1"
MAX_DELIVERIES = 20


class PurposeRoundChat(BothPlatforms):
    """Both platforms, and the ways a person takes part in a purpose round on each."""

    async def deliver(self) -> None:
        """Deliver the outbox until nothing is waiting: a stage change posts several
        messages in a channel, which its rate limit spaces out over a few seconds."""
        for _ in range(MAX_DELIVERIES):
            await super().deliver()
            with self.slack.database.session() as session:
                waiting = session.exec(
                    select(func.count()).select_from(Outbox).where(Outbox.status == PENDING)
                ).one()
            if not waiting:
                return
        raise AssertionError(f"{waiting} outbox rows are still waiting")

    async def coordinator_says(self, text: str) -> str:
        """Asha types `/concord text` in Slack and it is all delivered; return her reply."""
        shown = await self.slack_says(text)
        await self.deliver()
        return shown

    # Slack: clicks, modals and what is said privately.

    async def slack_tap(self, value: str, user: Person) -> str:
        """Click a button in the Slack channel; return what `user` was told privately."""
        mark = len(self.slack.stub.calls)
        await self.slack_clicks(value, user)
        await self.slack.transport.settle()
        return self.slack_private(user, mark)

    async def slack_opens(self, value: str, user: Person) -> dict[str, Any]:
        """Click a button that opens a form; return the modal Slack was asked to open."""
        opened = len(self.slack.stub.calls_to("views.open"))
        said = await self.slack_tap(value, user)
        calls = self.slack.stub.calls_to("views.open")
        assert len(calls) == opened + 1, f"no modal opened for {value}: {said}"
        return calls[-1].args["view"]

    async def slack_submits(
        self, view: dict[str, Any], typed: dict[str, dict[str, Any]], user: Person
    ) -> str:
        """Submit the modal `view` as `user`, with `typed` (input name → state element) and
        every other input empty, as Slack sends it; return what `user` was told."""
        names = [block["block_id"] for block in view["blocks"] if block["type"] == "input"]
        inputs = {name: typed.get(name, slack.text_state(None)) for name in names}
        payload = slack.view_submission(view["private_metadata"], inputs)
        payload["user"] = {**payload["user"], "id": user[0], "username": user[1], "name": user[1]}
        mark = len(self.slack.stub.calls)
        response = await self.slack.interact(payload)
        assert response.status == 200, await response.text()
        await self.slack.transport.settle()
        body = await response.text()
        assert not body, f"the modal did not close: {body}"
        return self.slack_private(user, mark)

    def slack_private(self, user: Person, since: int = 0) -> str:
        """What `user` was told privately on Slack after call number `since`: ephemeral
        messages, replies through a click's response URL, and DMs."""
        dms = {
            c.response["channel"]["id"]
            for c in self.slack.stub.calls_to("conversations.open")
            if c.args.get("users") == user[0]
        }
        said = [
            call.args
            for call in list(self.slack.stub.calls)[since:]
            if call.ok
            and (
                (call.method == "chat.postEphemeral" and call.args.get("user") == user[0])
                or call.method == "response_url"
                or (call.method == "chat.postMessage" and call.args.get("channel") in dms)
            )
        ]
        return all_text(said)

    def slack_message(self, starts: str) -> dict[str, Any]:
        """The latest message posted in the Slack channel whose text starts with `starts`."""
        found = [m for m in self.slack.posts() if m.get("text", "").startswith(starts)]
        assert found, f"no Slack message starting {starts!r}"
        return found[-1]

    def slack_shows(self, posted: dict[str, Any]) -> str:
        """Everything the Slack message `posted` says now: its last `chat.update`."""
        return all_text(self.last_slack_update(posted))

    def slack_ts(self, posted: dict[str, Any]) -> str:
        """The `ts` Slack gave the message `posted` (its `chat.postMessage` arguments)."""
        calls = self.slack.stub.calls_to("chat.postMessage")
        return next(c.response["ts"] for c in calls if c.args is posted)

    # Teams: clicks in the channel, forms in the 1:1 chat.

    def teams_private(self, user: Person) -> list[ConnectorCall]:
        """Messages to the person's 1:1 chat with Concord. The stub names a chat by the
        member id it was opened for: the Bot Framework id within a turn, the Entra
        object id proactively — in Teams both are the person's one chat with Concord."""
        chats = {f"a:chat-{user[0]}", f"a:chat-{_teams_from(user)['aadObjectId']}"}
        return [c for c in self.teams_posts() if c.conversation_id in chats]

    async def teams_tap(self, data: dict[str, Any], user: Person) -> str:
        """Click a card button in the Teams channel; return what came to the 1:1 chat."""
        before = len(self.teams_private(user))
        await self.teams_clicks(data, user)
        return words([c.body for c in self.teams_private(user)[before:]])

    async def teams_opens(self, data: dict[str, Any], user: Person) -> ConnectorCall:
        """Click a card button in the channel that opens a form; return the message with
        the form card, which arrives in the person's 1:1 chat."""
        before = len(self.teams_private(user))
        await self.teams_clicks(data, user)
        return _the_form(self.teams_private(user)[before:])

    async def teams_submits(self, form: ConnectorCall, typed: dict[str, str], user: Person) -> str:
        """Submit the form card from the chat it arrived in, as Teams does: the button's
        data with every input's value (empty when nothing was typed). Return the answer."""
        assert form.card is not None
        (data,) = submit_actions(form.card).values()
        value = {**{name: "" for name in input_ids(form.card)}, **typed, **data}
        answers = await self.teams_in_chat(value, user, form.conversation_id)
        return words([c.body for c in answers])

    async def teams_in_chat(
        self, value: dict[str, Any], user: Person, chat_id: str
    ) -> list[ConnectorCall]:
        """An Action.Submit (a button's data, and a form's inputs) from the 1:1 chat
        `chat_id`; return what Concord sent back there."""

        def in_chat() -> list[ConnectorCall]:
            return [c for c in self.teams_posts() if c.conversation_id == chat_id]

        before = len(in_chat())
        conversation = {"conversationType": "personal", "tenantId": teams.TENANT, "id": chat_id}
        activity = teams.submit(
            self.teams.stub.service_url,
            value,
            kind="personal",
            conversation=conversation,
            **{"from": _teams_from(user)},
        )
        response = await self.teams.send(activity)
        assert response.status == 201, await response.text()
        return in_chat()[before:]

    async def teams_answer(self, text: str, user: Person) -> str:
        """Type `@Concord text` in the Teams channel; return what came to the 1:1 chat."""
        before = len(self.teams_private(user))
        await self.teams_says(text, user)
        return words([c.body for c in self.teams_private(user)[before:]])

    def teams_message(self, starts: str) -> ConnectorCall:
        """The latest message posted in the Teams channel whose summary starts with `starts`."""
        found = [
            c for c in self.teams_channel_posts() if c.body.get("summary", "").startswith(starts)
        ]
        assert found, f"no Teams message starting {starts!r}"
        return found[-1]

    def teams_shows(self, posted: ConnectorCall) -> str:
        """Everything the Teams message `posted` says now: the connector's last update."""
        return words(self.last_teams_update(posted.response["id"]).card)

    # Both.

    def the_round_in_both(self) -> tuple[RoundShown, RoundShown]:
        """The round's message as each channel shows it now: its last update on each."""
        on_slack = slack_round(self.last_slack_update(self.slack_message(ROUND)))
        on_teams = self.last_teams_update(self.teams_message(ROUND).response["id"])
        assert on_teams.card is not None
        return on_slack, teams_round(on_teams.card)


RoundShown = tuple[str, dict[str, str], str]  # stage line, participation, all its words


def slack_round(message: dict[str, Any]) -> RoundShown:
    """A Slack rendering of the round's message: its stage line (a context block), the
    participation fields (`*label*` over the value) and everything it says."""
    contexts = [
        element["text"]
        for block in message["blocks"]
        if block["type"] == "context"
        for element in block["elements"]
    ]
    stage = next(as_read(text) for text in contexts if text.startswith(ROUND + " · "))
    shown = {}
    for block in message["blocks"]:
        for field in block.get("fields", []):
            label, value = field["text"].split("\n", 1)
            shown[label.strip("*")] = as_read(value)
    return stage, shown, as_read(all_text(message))


def teams_round(card: dict[str, Any]) -> RoundShown:
    """A Teams rendering of the round's message: its stage line (a TextBlock), the
    participation facts (a FactSet) and everything it says."""
    texts = [e["text"] for e in card["body"] if e.get("type") == "TextBlock"]
    stage = next(text for text in texts if text.startswith(ROUND + " · "))
    facts = [f for e in card["body"] if e.get("type") == "FactSet" for f in e["facts"]]
    return stage, {f["title"]: f["value"] for f in facts}, words(card)


def figures(rendered: str) -> list[str]:
    """The bar figures a rendered poll shows, in order ("9 · 50%"), and its voter count."""
    bars = re.findall(r"[▇▁]{10} (\d+ · \d+%)", rendered)
    voters = re.findall(r"\d+ (?:person|people) voted", rendered)
    assert bars and len(voters) == 1, rendered
    return [*bars, voters[0]]


def input_ids(card: dict[str, Any]) -> list[str]:
    """The ids of every input in an Adaptive Card's body."""
    return [
        element["id"]
        for element in card.get("body", [])
        if isinstance(element, dict) and str(element.get("type", "")).startswith("Input.")
    ]


def _the_form(arrived: list[ConnectorCall]) -> ConnectorCall:
    forms = [c for c in arrived if c.card and input_ids(c.card)]
    assert forms, f"no form arrived: {words([c.body for c in arrived])}"
    return forms[-1]


@pytest.fixture
async def chat(database, clock, teams_sdk):
    async with linked_channels(database, clock, teams_sdk, PurposeRoundChat) as both:
        await both.slack_says('org add "Riverside Trust"')
        await both.slack_says('org add "Hillview Trust"')
        for person in ON_SLACK:
            joined = await both.slack_says('org join "Riverside Trust"', person)
            assert "Riverside Trust" in joined
        for person in ON_TEAMS:
            joined = await both.teams_answer('org join "Hillview Trust"', person)
            assert "Hillview Trust" in joined
        assert "now a coordinator" in await both.slack_says(f"role coordinator @{DEE[1]}")
        await both.deliver()
        yield both


# Steps of the round, as people take them on each platform


async def start_and_gather(chat: PurposeRoundChat) -> None:
    """Asha starts the round in Slack; five people propose, on the platform they use."""
    shown = await chat.coordinator_says("purpose start --shortlist 2")
    assert "Purpose round #1 is open" in shown and "posted in 2 channels" in shown
    propose_on_slack = button_values(chat.slack_message(ROUND))["Propose"]
    propose_on_teams = submit_actions(chat.teams_message(ROUND).card)["Propose"]
    for person, text in PROPOSALS:
        if person in ON_SLACK:
            view = await chat.slack_opens(propose_on_slack, person)
            said = await chat.slack_submits(view, {"text": slack.text_state(text)}, person)
        else:
            form = await chat.teams_opens(propose_on_teams, person)
            said = await chat.teams_submits(form, {"text": text}, person)
        assert "your proposal is in purpose round #1" in said, said
    await chat.deliver()


async def group(chat: PurposeRoundChat) -> None:
    assert "Proposals grouped" in await chat.coordinator_says("purpose next")


async def shortlist(chat: PurposeRoundChat) -> tuple[dict[str, Any], ConnectorCall]:
    """The shortlist vote opens; Riverside (Slack) backs joining up care and shared buying,
    Hillview (Teams) joining up care and cutting carbon. Return the poll's
    message on each platform."""
    assert "Shortlisting: dot-vote the themes" in await chat.coordinator_says("purpose next")
    on_slack = chat.slack_message("Poll #1:")
    on_teams = chat.teams_message("Poll #1:")
    for person in ON_SLACK:
        view = await chat.slack_opens(button_values(on_slack)["Place your dots"], person)
        typed = {"dots0": slack.text_state("1"), "dots1": slack.text_state("2")}
        said = await chat.slack_submits(view, typed, person)
        assert "You put 1 dot on “1. Join up care" in said, said
    for person in ON_TEAMS:
        form = await chat.teams_opens(submit_actions(on_teams.card)["Place your dots"], person)
        said = await chat.teams_submits(form, {"dots0": "2", "dots2": "1"}, person)
        assert "You put 2 dots on “1. Join up care" in said, said
    await chat.deliver()
    return on_slack, on_teams


async def choose(chat: PurposeRoundChat) -> None:
    """The shortlist closes; the ranking opens, both trusts rank the two drafts, and Dee
    closes the ranking from Teams."""
    assert "Shortlist chosen" in await chat.coordinator_says("purpose next")
    assert "Choosing: rank the drafts" in await chat.coordinator_says("purpose next")
    on_slack = button_values(chat.slack_message("Poll #2:"))["Rank the options"]
    on_teams = submit_actions(chat.teams_message("Poll #2:").card)["Rank the options"]
    workforce_first = {"rank0": slack.select_state("1"), "rank1": slack.select_state("0")}
    join_up_first = {"rank0": slack.select_state("0"), "rank1": slack.select_state("1")}
    rankings = [(ASHA, workforce_first), (BEN, workforce_first), (CARYS, join_up_first)]
    for person, ranking in rankings:
        view = await chat.slack_opens(on_slack, person)
        assert "You ranked" in await chat.slack_submits(view, ranking, person)
    for person in ON_TEAMS:
        form = await chat.teams_opens(on_teams, person)
        said = await chat.teams_submits(form, {"rank0": "0", "rank1": "1"}, person)
        assert "You ranked" in said, said
    moved = await chat.teams_answer("purpose next", DEE)
    assert "Consent: can everyone live with the chosen statement?" in moved, moved
    await chat.deliver()


async def consent(chat: PurposeRoundChat) -> None:
    """Everyone can live with the statement; Fay objects first, from a form in her Teams
    chat, then changes her mind. Asha closes the consent poll."""
    on_slack = button_values(chat.slack_message("Poll #3:"))
    on_teams = submit_actions(chat.teams_message("Poll #3:").card)
    for person in (ASHA, BEN):
        assert "You responded “Agree”" in await chat.slack_tap(on_slack["Agree"], person)
    assert "Can live with it" in await chat.slack_tap(on_slack["Can live with it"], CARYS)
    for person in (DEE, ELI):
        assert "You responded “Agree”" in await chat.teams_tap(on_teams["Agree"], person)
    form = await chat.teams_opens(on_teams["Object"], FAY)
    said = await chat.teams_submits(
        form, {"harm": "Say who pays for it", "resolve": "Name the budget"}, FAY
    )
    assert "You responded “Object”" in said, said
    assert "Can live with it" in await chat.teams_tap(on_teams["Can live with it"], FAY)
    await chat.deliver()
    assert "Adopted" in await chat.coordinator_says("purpose next")


def the_round(chat: PurposeRoundChat) -> PurposeRound:
    with chat.slack.database.session() as session:
        found = session.exec(select(PurposeRound).order_by(PurposeRound.id.desc())).first()
        assert found is not None
        return found


def polls(chat: PurposeRoundChat) -> list[Poll]:
    with chat.slack.database.session() as session:
        return list(session.exec(select(Poll).order_by(Poll.number)).all())


def proposal_texts(chat: PurposeRoundChat) -> list[str]:
    with chat.slack.database.session() as session:
        return sorted(session.exec(select(Proposal.text)).all())


# Proposing and grouping


async def test_members_propose_from_slack_modals_and_teams_chats_into_one_round(chat):
    await start_and_gather(chat)

    with chat.slack.database.session() as session:
        orgs = {o.id: o.name for o in session.exec(select(Organisation)).all()}
        made = {(p.text, orgs[p.organisation_id]) for p in session.exec(select(Proposal)).all()}
    trust = {**{p: "Riverside Trust" for p in ON_SLACK}, **{p: "Hillview Trust" for p in ON_TEAMS}}
    assert made == {(text, trust[person]) for person, text in PROPOSALS}
    on_slack, on_teams = chat.the_round_in_both()
    assert on_slack[:2] == on_teams[:2]
    assert on_teams[0].startswith(f"{ROUND} · Gathering proposals until")
    assert on_teams[1] == {"Hillview Trust": "3 of 3", "Riverside Trust": "fewer than 3 of 3"}
    assert "5 proposals so far" in on_slack[2] and "5 proposals so far" in on_teams[2]


async def test_a_teams_member_changes_a_proposal_from_the_buttons_in_their_own_chat(chat):
    await start_and_gather(chat)
    (thanks,) = [c for c in chat.teams_private(FAY) if c.body["summary"] == "Your proposal is in"]
    assert thanks.card is not None

    change = submit_actions(thanks.card)["Change my proposals"]
    form = _the_form(await chat.teams_in_chat(change, FAY, thanks.conversation_id))
    assert form.card is not None and FRONT_DOOR in words(form.card)
    (mine,) = input_ids(form.card)
    reworded = "Give young people one front door for their mental health"
    said = await chat.teams_submits(form, {mine: reworded}, FAY)

    assert "Your proposals are saved" in said, said
    assert reworded in proposal_texts(chat) and FRONT_DOOR not in proposal_texts(chat)


async def test_both_channels_get_the_same_themes_and_both_coordinators_the_editor(chat):
    await start_and_gather(chat)
    await group(chat)

    themes_on_slack = all_text(chat.slack_message("Themes from purpose round #1"))
    themes_on_teams = words(chat.teams_message("Themes from purpose round #1").card)
    for n, title in enumerate(THEMES, 1):
        assert f"{n}. {title}" in themes_on_slack
        assert f"{n}\\\\. {title}" in themes_on_teams  # Teams escapes a list's "1."
    # Ben's and Dee's wordings of one idea, from two platforms, are one theme.
    assert f"1. {JOIN_UP} (2 statements)" in themes_on_slack
    # The coordinators' editor reaches each privately: Asha in Slack, Dee in Teams.
    assert "Adjust the groups of purpose round #1" in chat.slack_private(ASHA)
    editor = [c for c in chat.teams_private(DEE) if c.body.get("summary") == "Adjust the groups"]
    assert editor and "form:group:" in words(editor[-1].card)
    assert not [c for c in chat.teams_private(ELI) if "Adjust the groups" in words(c.body)]
    on_slack, on_teams = chat.the_round_in_both()
    assert on_slack[:2] == on_teams[:2]
    assert on_teams[0].startswith(f"{ROUND} · Proposals grouped")


# Voting


async def test_dots_placed_on_slack_and_teams_count_in_one_shortlist_poll(chat):
    await start_and_gather(chat)
    await group(chat)
    poll_on_slack, poll_on_teams = await shortlist(chat)

    (poll,) = polls(chat)
    assert poll.type == "dots" and poll.settings["balance"] == "orgs"
    with chat.slack.database.session() as session:
        latest = session.exec(
            select(func.count()).select_from(Ballot).where(Ballot.poll_id == poll.id, Ballot.latest)
        ).one()
        result = compute(session, poll)
    assert latest == 6
    counted = dict(zip(THEMES, result["counts"].values(), strict=True))
    assert list(result["counts"]) == [f"{n}. {title}" for n, title in enumerate(THEMES, 1)]
    assert counted == {JOIN_UP: 9, SUPPLIES: 6, CARBON: 3, FRONT_DOOR: 0}
    shown_on_slack = figures(chat.slack_shows(poll_on_slack))
    assert shown_on_slack == figures(chat.teams_shows(poll_on_teams))
    assert shown_on_slack == ["9 · 50%", "6 · 33%", "3 · 17%", "0 · 0%", "6 people voted"]
    # The round's own message says who has voted so far, the same in both channels.
    on_slack, on_teams = chat.the_round_in_both()
    assert on_slack[:2] == on_teams[:2]
    assert on_teams[0].startswith(f"{ROUND} · Shortlisting: dot-vote the themes until")
    assert on_teams[1] == {"Hillview Trust": "3 of 3", "Riverside Trust": "3 of 3"}
    assert "Voted so far" in on_slack[2] and "Voted so far" in on_teams[2]

    await chat.coordinator_says("purpose next")
    assert "· closed" in chat.slack_shows(poll_on_slack)
    assert "· closed" in chat.teams_shows(poll_on_teams)
    on_slack, on_teams = chat.the_round_in_both()
    assert on_slack[:2] == on_teams[:2]
    for shown in (on_slack[2], on_teams[2]):  # the two themes the trusts backed most
        assert JOIN_UP in shown and SUPPLIES in shown and CARBON not in shown


async def test_the_round_ends_with_one_purpose_adopted_in_both_channels_and_pinned_in_slack(
    chat,
):
    await start_and_gather(chat)
    await group(chat)
    await shortlist(chat)
    await choose(chat)
    await consent(chat)

    purpose_round = the_round(chat)
    assert purpose_round.stage == "adopted" and purpose_round.purpose == JOIN_UP
    assert [p.type for p in polls(chat)] == ["dots", "ranked", "consent"]
    # The round's message, as each channel shows it last: the same stage, the same turnout.
    on_slack, on_teams = chat.the_round_in_both()
    assert on_slack[:2] == on_teams[:2]
    assert on_teams[0] == f"{ROUND} · Adopted"
    assert on_teams[1] == {"Hillview Trust": "3 of 3", "Riverside Trust": "fewer than 3 of 3"}
    assert f"“{JOIN_UP}”" in on_slack[2] and f"“{JOIN_UP}”" in on_teams[2]
    # The adoption message reaches each channel once; Slack pins it, Teams can't pin.
    adopted = "Our shared purpose:"
    (adopted_on_slack,) = [m for m in chat.slack.posts() if m["text"].startswith(adopted)]
    (adopted_on_teams,) = [
        c for c in chat.teams_channel_posts() if c.body["summary"].startswith(adopted)
    ]
    assert JOIN_UP in all_text(adopted_on_slack) and JOIN_UP in words(adopted_on_teams.card)
    assert chat.slack.stub.pinned == {(slack.CHANNEL, chat.slack_ts(adopted_on_slack))}
    # Anyone asks, on either platform.
    assert JOIN_UP in await chat.slack_says("purpose show", BEN)
    assert JOIN_UP in await chat.teams_answer("purpose show", ELI)


# Refusals, through the platforms' own paths


async def test_a_fourth_proposal_on_slack_is_refused_and_what_was_typed_is_kept(chat):
    await chat.coordinator_says("purpose start")
    propose = button_values(chat.slack_message(ROUND))["Propose"]
    stale = await chat.slack_opens(propose, BEN)  # left open while Ben proposes elsewhere
    for text in (JOIN_UP, SUPPLIES, CARBON):
        view = await chat.slack_opens(propose, BEN)
        await chat.slack_submits(view, {"text": slack.text_state(text)}, BEN)

    opened = len(chat.slack.stub.calls_to("views.open"))
    refused = await chat.slack_tap(propose, BEN)
    assert "You have made 3 proposals, the most" in refused
    assert len(chat.slack.stub.calls_to("views.open")) == opened  # no empty form to fill in
    late = await chat.slack_submits(stale, {"text": slack.text_state(FRONT_DOOR)}, BEN)
    assert "You have made 3 proposals" in late and f"What you wrote: {FRONT_DOOR}" in late
    assert "form:proposals:" in late  # the way to change one of the three
    assert proposal_texts(chat) == sorted([JOIN_UP, SUPPLIES, CARBON])


async def test_a_member_typing_purpose_next_in_teams_is_told_only_coordinators_can(chat):
    await start_and_gather(chat)

    refused = await chat.teams_answer("purpose next", ELI)
    assert "Only a coordinator can move the purpose round on" in refused
    assert "You typed: purpose next" in refused
    assert the_round(chat).stage == "gathering"
    await chat.deliver()
    on_slack, on_teams = chat.the_round_in_both()
    assert on_slack[0] == on_teams[0] and "Gathering proposals" in on_teams[0]


async def test_a_teams_user_outside_the_collaborative_cannot_propose_from_their_own_chat(chat):
    await chat.coordinator_says("purpose start")
    form = await chat.teams_opens(submit_actions(chat.teams_message(ROUND).card)["Propose"], DEE)
    assert form.card is not None
    (data,) = submit_actions(form.card).values()
    stranger: Person = ("29:zed", "Zed Quinn")  # never in a linked channel

    answers = await chat.teams_in_chat({**data, "text": "Let me in"}, stranger, "a:chat-29:zed")

    assert "isn't part of a collaborative" in words([c.body for c in answers])
    assert proposal_texts(chat) == []
    with chat.slack.database.session() as session:
        assert stranger[1] not in session.exec(select(Member.display_name)).all()
