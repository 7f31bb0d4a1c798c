"""A person's home (Slack's App Home tab): what is waiting for them, in every collaborative."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from sqlmodel import func, select

from adapters.slack.render import render_home
from dialogs.core.cards import Actions, Button, Card, Fields, Heading
from dialogs.core.events import CommandIssued
from dialogs.core.moments import plain
from storage.models import Member, Outbox
from tests.stand_ins.slack_api import SlackApiStub, running_slack_api
from tests.stand_ins.slack_blocks import assert_valid_modal, mrkdwn_texts, unescaped
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    SOUTH,
    Conversation,
    channel,
    person,
    poll_buttons,
)

LUNCH = 'poll "Which shared priority first?" "Discharge delays" "Workforce" --closes friday 17:00'


@pytest.fixture
def chat(database, clock) -> Iterator[Conversation]:
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    for someone in (BEN, CARYS, DEE):
        conversation.says(someone, NORTH, "help")
    yield conversation
    conversation.close()


def home(chat: Conversation, actor) -> str:
    """Everything the home card says, fields included, one line each."""
    lines: list[str] = []
    for block in chat.engine.home(actor).blocks:
        if isinstance(block, Fields):
            lines += [f"{item.label}: {item.value}" for item in block.items]
        elif text := getattr(block, "text", ""):
            lines.append(text)
    return plain("\n".join(lines))


def checkin_buttons(card: Card) -> list[str]:
    return [
        e.action
        for b in card.blocks
        if isinstance(b, Actions)
        for e in b.elements
        if isinstance(e, Button) and e.action.startswith("answer:")
    ]


def test_someone_in_no_collaborative_is_told_how_to_start(chat):
    shown = home(chat, person("zed", "Zed Ahmed"))
    assert "Welcome to Concord" in shown
    assert '`setup "Collaborative name"`' in shown and "`link CODE`" in shown


def test_a_member_sees_each_open_poll_to_vote_on_with_its_deadline_and_channel(chat):
    chat.says(ASHA, NORTH, LUNCH)
    shown = home(chat, BEN)
    assert "Northshire Provider Collaborative" in shown
    assert "You are a member · no organisation yet" in shown
    assert "Waiting for your vote: 1 poll" in shown
    assert (
        "Poll #1: Which shared priority first?\n"
        "closes Fri 27 Nov 2026 17:00 GMT · posted in channel north, channel south"
    ) in shown


def test_a_member_who_voted_sees_no_poll_to_vote_on_at_home(chat):
    chat.says(ASHA, NORTH, LUNCH)
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["Workforce"])
    assert "Poll #1" not in home(chat, BEN)
    assert "You're up to date" in home(chat, BEN)
    assert "Poll #1" in home(chat, CARYS), "only Ben has voted"


def test_an_anonymous_poll_leaves_home_once_voted_though_the_ballot_is_nameless(chat):
    chat.says(ASHA, NORTH, 'poll "Trust each other?" "Yes" "No" --anonymous')
    chat.clicks(BEN, SOUTH, poll_buttons(chat.last_message(SOUTH))["Yes"])
    assert "Poll #1" not in home(chat, BEN)
    assert "Poll #1: Trust each other?" in home(chat, CARYS)


def test_closed_polls_and_polls_past_their_deadline_are_not_waiting(chat, clock):
    chat.says(ASHA, NORTH, 'poll "Closed?" "A" "B"')
    chat.says(ASHA, NORTH, "poll close 1")
    chat.says(ASHA, NORTH, LUNCH)
    clock.advance(days=2)  # past Friday 17:00, before the deadline's timer has fired
    assert "Poll #" not in home(chat, BEN)


def test_observers_are_told_they_observe_and_get_no_polls_to_vote_on(chat):
    chat.says(ASHA, NORTH, "role observer @Dee Sharma")
    chat.says(ASHA, NORTH, LUNCH)
    shown = home(chat, DEE)
    assert "You are an observer" in shown
    assert "You observe Northshire Provider Collaborative" in shown
    assert "1 poll open now in channel north, channel south." in shown
    assert "Waiting for your vote" not in shown and "Poll #1" not in shown


def test_role_organisation_and_purpose_are_shown(chat):
    chat.says(ASHA, NORTH, 'org add "Riverside Trust"')
    chat.says(ASHA, NORTH, 'org join "Riverside Trust"')
    shown = home(chat, ASHA)
    assert "You are a coordinator · Riverside Trust" in shown
    assert "No shared purpose adopted yet — a coordinator can start one with `purpose start`" in (
        shown
    )


def test_an_open_check_in_waits_until_the_member_answers_it(chat):
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00"')
    chat.says(ASHA, NORTH, "checkin now 1")
    assert (
        "Check-in #1: 3 questions, answers open until Fri 27 Nov 2026 09:00 GMT · "
        "posted in channel north, channel south"
    ) in home(chat, BEN)
    chat.clicks(BEN, NORTH, checkin_buttons(chat.last_message(NORTH))[3])
    assert "Check-in #1" not in home(chat, BEN)
    assert "Check-in #1" in home(chat, CARYS)


def test_at_most_ten_polls_are_listed_then_the_rest_are_counted(chat):
    for n in range(12):
        chat.says(ASHA, NORTH, f'poll "Question {n}?" "A" "B"')
    shown = home(chat, BEN)
    assert "Waiting for your vote: 12 polls" in shown
    assert "Poll #10:" in shown and "Poll #11:" not in shown
    assert "Poll #1: Question 0?\nno deadline" in shown
    assert "… and 2 more: type `poll list` in channel north, channel south to see them all." in (
        shown
    )


def test_polls_with_the_soonest_deadline_come_first(chat):
    chat.says(ASHA, NORTH, 'poll "No deadline?" "A" "B"')
    chat.says(ASHA, NORTH, 'poll "Later?" "A" "B" --closes 2026-12-10 17:00')
    chat.says(ASHA, NORTH, 'poll "Sooner?" "A" "B" --closes friday 12:00')
    fields = next(b for b in chat.engine.home(BEN).blocks if isinstance(b, Fields))
    assert [item.label for item in fields.items] == ["Poll #3", "Poll #2", "Poll #1"]


def test_every_collaborative_the_person_belongs_to_is_shown_in_its_own_time_zone(chat):
    elsewhere = channel("mumbai")
    chat.says(CARYS, elsewhere, 'setup "Western Partnership" --timezone Asia/Kolkata')
    chat.says(CARYS, elsewhere, 'poll "Theirs?" "A" "B" --closes friday 17:00')
    chat.says(ASHA, NORTH, LUNCH)
    shown = home(chat, CARYS)
    assert shown.index("Northshire Provider Collaborative") < shown.index("Western Partnership")
    assert "closes Fri 27 Nov 2026 17:00 IST · posted in channel mumbai" in shown
    assert "Theirs?" not in home(chat, BEN), "Ben is not in the Western Partnership"


def test_only_the_persons_own_platform_channels_are_named(chat):
    teams = channel("19:general@thread.tacv2", platform="teams")
    code = chat.says(ASHA, NORTH, "link").split("Link code: ")[1].split()[0]
    chat.says(person("asha-t", "Asha Patel", "teams"), teams, f"link {code}")
    chat.says(ASHA, NORTH, LUNCH)
    assert "19:general" not in home(chat, BEN)
    assert "posted in channel 19:general@thread.tacv2" in home(
        chat, person("asha-t", "Asha", "teams")
    )


def test_looking_at_home_changes_nothing(chat, database):
    chat.says(ASHA, NORTH, LUNCH)

    def rows(model) -> int:
        with database.session() as session:
            return session.exec(select(func.count()).select_from(model)).one()

    before = (rows(Member), rows(Outbox))
    home(chat, person("zed", "Zed Ahmed"))
    home(chat, BEN)
    assert (rows(Member), rows(Outbox)) == before


def test_a_busy_home_in_slack_meets_every_limit_and_escapes_what_people_typed(chat):
    chat.says(ASHA, NORTH, 'poll "<!channel> " "A" "B"')
    for n in range(5):
        place = channel(f"other-{n}")
        chat.says(BEN, place, f'setup "<@U123> & partners {n}"')
        for m in range(11):
            chat.says(BEN, place, f'poll "Question {m} ' + "x" * 250 + '?" "A" "B"')
    view = render_home(chat.engine.home(BEN))
    assert_valid_modal(view)
    assert view["type"] == "home" and len(view["blocks"]) <= 50
    assert not any("parts not shown" in text for text in mrkdwn_texts(view))
    assert all(not unescaped(text) for text in mrkdwn_texts(view))
    assert "… and 2 more collaboratives" in home(chat, BEN)


def test_render_home_keeps_fifty_blocks_when_a_card_has_more():
    card = Card(blocks=[Heading(text=f"Part {n}") for n in range(80)], fallback="Home")
    view = render_home(card)
    assert_valid_modal(view)
    assert len(view["blocks"]) == 50


@pytest.fixture(scope="module")
def slack_api() -> Iterator[SlackApiStub]:
    with running_slack_api() as running:
        yield running


def test_the_home_is_published_with_views_publish(chat, slack_api):
    chat.says(ASHA, NORTH, LUNCH)
    slack = WebClient(token="xoxb-test", base_url=slack_api.url + "/api/")
    answer = slack.views_publish(user_id="Uben", view=render_home(chat.engine.home(BEN)))
    assert answer["ok"]
    published = slack_api.views["VHUben"]
    assert published["type"] == "home"
    assert any("Which shared priority first?" in text for text in mrkdwn_texts(published))


def test_help_names_the_poll_waiting_for_this_member_before_any_command(chat):
    """D-14: `help` is guidance first, from the same "what's waiting" view as the home."""
    chat.says(ASHA, NORTH, LUNCH)
    shown = chat.says(BEN, SOUTH, "help")
    waiting = shown.index("Waiting for your vote: 1 poll")
    assert waiting < shown.index("Commands you'll use most:")
    fields = next(
        block
        for block in chat.engine.handle(CommandIssued(BEN, SOUTH, "help"))[0].card.blocks
        if isinstance(block, Fields)
    )
    assert [(item.label, plain(item.value)) for item in fields.items] == [
        (
            "Poll #1",
            "Which shared priority first?\ncloses Fri 27 Nov 2026 17:00 GMT"
            " · posted in channel north, channel south",
        )
    ]
    chat.clicks(BEN, SOUTH, poll_buttons(chat.last_message(SOUTH))["Workforce"])
    assert "You're up to date: nothing open is waiting for you here." in chat.says(
        BEN, SOUTH, "help"
    )
