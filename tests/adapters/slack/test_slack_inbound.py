"""Slack payloads become neutral events; anything malformed or not for us becomes None."""

from __future__ import annotations

import json

import pytest

from adapters.slack.inbound import (
    MAX_ACTION,
    command_text,
    form_values,
    from_app_mention,
    from_block_actions,
    from_direct_message,
    from_slash_command,
    from_view_submission,
    modal_metadata,
    normalise_mentions,
    read_modal_metadata,
)
from adapters.slack.render import render_message, render_modal
from dialogs.core.cards import Form, TextInput
from dialogs.core.events import ActionInvoked, Actor, CommandIssued, Place
from tests.stand_ins import slack_payloads as sp
from tests.stand_ins.slack_blocks import objects
from tests.support.conversation import Conversation, counts

ASHA = Actor("slack", sp.TEAM, sp.USER, sp.USER_NAME)
HERE = Place("slack", sp.TEAM, sp.CHANNEL)

# Slash commands


def test_slash_command_becomes_a_command_in_its_channel():
    event = from_slash_command(sp.slash_command('poll "Lunch?" "Soup" "Salad"'))
    assert event == CommandIssued(ASHA, HERE, 'poll "Lunch?" "Soup" "Salad"')


def test_slash_command_text_keeps_spacing_and_decodes_slacks_entities_once():
    event = from_slash_command(sp.slash_command('  poll "Fish &amp; chips &lt;3?"  &amp;lt;'))
    assert event is not None
    assert event.text == '  poll "Fish & chips <3?"  &lt;'


def test_slash_command_with_escaped_mentions_reads_as_plain_mentions():
    event = from_slash_command(sp.slash_command("role observer <@U0G9QF9C6|sam>"))
    assert event is not None and event.text == "role observer <@U0G9QF9C6>"


@pytest.mark.parametrize("missing", ["team_id", "channel_id", "user_id"])
def test_slash_command_without_ids_is_ignored(missing):
    form = sp.slash_command("help")
    del form[missing]
    assert from_slash_command(form) is None


@pytest.mark.parametrize(
    "overrides",
    [
        {"team_id": ["T0001"]},
        {"user_id": 42},
        {"channel_id": "C1; DROP TABLE"},
        {"channel_id": ""},
        {"user_id": "<@U1>"},
    ],
)
def test_slash_command_with_malformed_ids_is_ignored(overrides):
    assert from_slash_command(sp.slash_command("help", **overrides)) is None


def test_slash_command_with_wrong_typed_text_or_name_still_reads():
    event = from_slash_command(sp.slash_command(None, user_name={"x": 1}))  # type: ignore[arg-type]
    assert event is not None
    assert event.text == ""
    assert event.actor.display_name == sp.USER  # the id stands in for a missing name


def test_huge_slash_command_text_is_passed_whole_for_the_engine_to_refuse():
    event = from_slash_command(sp.slash_command("x" * 100_000, user_name="n" * 10_000))
    assert event is not None
    assert len(event.text) == 100_000
    assert len(event.actor.display_name) <= 200


def test_enterprise_install_is_keyed_on_the_workspace():
    event = from_slash_command(sp.slash_command("help", is_enterprise_install="true"))
    assert event is not None and event.actor.tenant_id == sp.TEAM == event.place.tenant_id


# Mentions


def test_app_mention_strips_the_leading_bot_mention():
    event = from_app_mention(sp.app_mention(f'<@{sp.BOT_USER}> poll "Q?" "A" "B"'), sp.TEAM)
    assert event == CommandIssued(
        Actor("slack", sp.TEAM, sp.USER, sp.USER), HERE, 'poll "Q?" "A" "B"'
    )


def test_app_mention_keeps_other_mentions_and_strips_an_escaped_bot_mention():
    text = f"<@{sp.BOT_USER}|concord>: role coordinator <@U0G9QF9C6|sam>"
    event = from_app_mention(sp.app_mention(text), sp.TEAM, bot_user_id=sp.BOT_USER)
    assert event is not None and event.text == "role coordinator <@U0G9QF9C6>"


def test_app_mention_of_someone_else_first_is_not_stripped_when_the_bot_is_known():
    event = from_app_mention(sp.app_mention("<@U999> <@U0LAN0Z89> help"), sp.TEAM, sp.BOT_USER)
    assert event is not None and event.text == "<@U999> <@U0LAN0Z89> help"


def test_app_mention_in_a_thread_answers_in_the_thread():
    event = from_app_mention(sp.app_mention("<@U0LAN0Z89> help", thread_ts=sp.MESSAGE_TS), sp.TEAM)
    assert event is not None and event.place.thread_id == sp.MESSAGE_TS


@pytest.mark.parametrize(
    "overrides",
    [
        {"subtype": "bot_message"},
        {"bot_id": sp.BOT_ID},
        {"edited": {"user": sp.USER, "ts": "1700000001.000300"}},
        {"type": "message"},
        {"user": None},
        {"channel": 5},
    ],
)
def test_app_mentions_not_from_a_person_or_malformed_are_ignored(overrides):
    assert from_app_mention(sp.app_mention("<@U0LAN0Z89> help", **overrides), sp.TEAM) is None


def test_app_mention_with_non_text_reads_as_an_empty_command_the_engine_explains():
    event = sp.app_mention("")
    event["text"] = ["not", "text"]
    command = from_app_mention(event, sp.TEAM)
    assert command is not None and command.text == ""


def test_app_mention_with_a_bad_team_or_not_a_dict_is_ignored():
    assert from_app_mention(sp.app_mention("<@U0LAN0Z89> help"), "") is None
    assert from_app_mention("not a dict", sp.TEAM) is None  # type: ignore[arg-type]


# Direct messages


def test_direct_message_becomes_a_command_in_the_dm_with_the_profile_name():
    event = from_direct_message(sp.direct_message("me"), sp.TEAM)
    assert event == CommandIssued(
        Actor("slack", sp.TEAM, sp.USER, "Asha"), Place("slack", sp.TEAM, sp.DM_CHANNEL), "me"
    )


@pytest.mark.parametrize(
    "event",
    [
        sp.bot_message("You voted B"),
        sp.edited_message("help"),
        sp.direct_message("help", channel_type="channel"),
        sp.direct_message("help", type="app_mention"),
        sp.direct_message("help", subtype="file_share"),
        sp.direct_message("help", user=None),
        {},
    ],
)
def test_direct_messages_not_for_us_are_ignored(event):
    assert from_direct_message(event, sp.TEAM) is None


# Block actions


def test_button_click_becomes_the_buttons_action_on_its_message():
    event = from_block_actions(sp.button_click("vote:12:3"))
    assert event == ActionInvoked(ASHA, HERE, "vote:12:3", {}, origin=sp.MESSAGE_TS)


def test_select_choice_becomes_the_chosen_options_action():
    event = from_block_actions(sp.select_choice("vote:12:4"))
    assert event is not None and event.action == "vote:12:4"


def test_block_actions_fall_back_to_the_container_for_channel_and_ts():
    payload = sp.button_click("vote:1:1")
    del payload["channel"], payload["message"]
    event = from_block_actions(payload)
    assert event is not None
    assert (event.place, event.origin) == (HERE, sp.MESSAGE_TS)


def test_block_actions_in_a_modal_use_the_place_in_its_metadata():
    payload = sp.button_click("vote:1:1")
    del payload["channel"], payload["message"]
    payload["container"] = {"type": "view", "view_id": "V1"}
    payload["view"] = {"private_metadata": modal_metadata("poll:new", HERE)}
    event = from_block_actions(payload)
    assert event is not None and event.place == HERE and event.origin is None


def test_block_actions_on_a_threaded_message_keep_the_thread():
    payload = sp.button_click("vote:1:1")
    payload["message"]["thread_ts"] = "1699999999.000001"
    event = from_block_actions(payload)
    assert event is not None and event.place.thread_id == "1699999999.000001"


def test_enterprise_payload_without_team_uses_the_users_workspace():
    event = from_block_actions(sp.button_click("vote:1:1", team=None))
    assert event is not None and event.actor.tenant_id == sp.TEAM


@pytest.mark.parametrize(
    "payload",
    [
        sp.button_click("vote:1:1", action_id="other-app-button"),
        sp.button_click("vote:1:1", action_id=None),
        sp.button_click("x" * (MAX_ACTION + 1)),
        sp.button_click(""),
        sp.button_click(["vote:1:1"]),  # type: ignore[arg-type]
        sp.select_choice("vote:1:1", actions=[]),
        sp.select_choice("vote:1:1", actions="nope"),
        sp.select_choice("vote:1:1", actions=[None]),
        sp.block_actions({"type": "static_select", "action_id": "concord-1"}),
        sp.block_actions({"type": "datepicker", "action_id": "concord-1", "value": "vote:1:1"}),
        sp.button_click("vote:1:1", type="view_submission"),
        sp.button_click("vote:1:1", user="U1"),
        sp.button_click("vote:1:1", user={"id": 7}),
        sp.button_click("vote:1:1", channel=None, container={}),
        {},
    ],
)
def test_block_actions_not_ours_or_malformed_are_ignored(payload):
    assert from_block_actions(payload) is None


def test_block_actions_with_a_junk_ts_still_act_without_an_origin():
    event = from_block_actions(
        sp.button_click("vote:1:1", message={"ts": {"x": 1}}, container=None)
    )
    assert event is not None and event.origin is None


# View submissions


def test_view_submission_reads_every_kind_of_input():
    payload = sp.view_submission(
        modal_metadata("poll:create", HERE),
        {
            "question": sp.text_state("Lunch?"),
            "notes": sp.text_state(None),
            "kind": sp.select_state("single"),
            "unset": sp.select_state(None),
            "flags": sp.checkboxes_state(["anonymous", "live"]),
            "orgs": sp.checkboxes_state(["1", "2"], kind="multi_static_select"),
        },
    )
    event = from_view_submission(payload)
    assert event == ActionInvoked(
        ASHA,
        HERE,
        "poll:create",
        {
            "question": "Lunch?",
            "notes": "",
            "kind": "single",
            "unset": "",
            "flags": ["anonymous", "live"],
            "orgs": ["1", "2"],
        },
    )


def test_a_rendered_modal_submits_back_to_its_action_and_place():
    form = Form(
        title="New poll",
        action="poll:create",
        submit_label="Create",
        inputs=[TextInput(name="question", label="Question", value="Lunch?")],
    )
    view = render_modal(form, private_metadata=modal_metadata(form.action, HERE))
    inputs = {
        block["block_id"]: sp.text_state(block["element"]["initial_value"])
        for block in view["blocks"]
    }
    payload = sp.view_submission(view["private_metadata"], inputs, callback_id=view["callback_id"])
    assert from_view_submission(payload) == ActionInvoked(
        ASHA, HERE, "poll:create", {"question": "Lunch?"}
    )


def test_view_submission_keeps_the_thread_it_came_from():
    place = Place("slack", sp.TEAM, sp.CHANNEL, sp.MESSAGE_TS)
    event = from_view_submission(sp.view_submission(modal_metadata("purpose:propose", place), {}))
    assert event is not None and event.place == place and event.form_values == {}


def test_view_submission_caps_values_and_drops_unknown_elements():
    payload = sp.view_submission(
        modal_metadata("poll:create", HERE),
        {
            "question": sp.text_state("q" * 100_000),
            "when": {"type": "datepicker", "selected_date": "2026-12-01"},
            "bad": {"type": "checkboxes", "selected_options": "all"},
            "worse": ["not", "an", "element"],  # type: ignore[dict-item]
            "nested": {
                "type": "checkboxes",
                "selected_options": [{"value": 5}, "x", {"value": "a"}],
            },
        },
    )
    event = from_view_submission(payload)
    assert event is not None
    assert len(event.form_values["question"]) == 3000
    assert event.form_values["bad"] == []
    assert event.form_values["nested"] == ["a"]
    assert "when" not in event.form_values and "worse" not in event.form_values


@pytest.mark.parametrize(
    "metadata",
    [
        "",
        "not json",
        "[]",
        json.dumps({"action": "poll:create"}),
        json.dumps({"channel": sp.CHANNEL}),
        json.dumps({"action": 5, "channel": sp.CHANNEL}),
        json.dumps({"action": "a" * (MAX_ACTION + 1), "channel": sp.CHANNEL}),
        json.dumps({"action": "poll:create", "channel": "../etc"}),
        json.dumps({"action": "poll:create", "channel": sp.CHANNEL, "thread": "yesterday"}),
        "{" * 10_000,
    ],
)
def test_view_submission_with_metadata_we_did_not_write_is_ignored(metadata):
    assert from_view_submission(sp.view_submission(metadata, {})) is None


def test_view_submissions_of_other_views_or_without_a_view_are_ignored():
    assert from_view_submission(sp.view_submission("{}", {}, callback_id="someone-else")) is None
    payload = sp.view_submission(modal_metadata("poll:create", HERE), {})
    assert from_view_submission({**payload, "view": "V1"}) is None
    assert from_view_submission({**payload, "type": "block_actions"}) is None
    assert from_view_submission({**payload, "user": None}) is None


def test_form_values_of_junk_state_are_empty():
    assert form_values(None) == {}
    assert form_values({"values": []}) == {}
    assert form_values({"values": {"b": "x", "c": {5: sp.text_state("x")}}}) == {}


def test_modal_metadata_round_trips_and_refuses_overlong_actions():
    place = Place("slack", sp.TEAM, sp.CHANNEL, sp.MESSAGE_TS)
    assert read_modal_metadata(modal_metadata("poll:create", place)) == (
        "poll:create",
        sp.CHANNEL,
        sp.MESSAGE_TS,
    )
    with pytest.raises(ValueError):
        modal_metadata("a" * (MAX_ACTION + 1), place)


# Mentions and text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<@U123|asha> and <@U456>", "<@U123> and <@U456>"),
        ("<@W0ENT1|sam.jones>", "<@W0ENT1>"),
        (
            "<#C123|general> <!here> <https://x.org|site>",
            "<#C123|general> <!here> <https://x.org|site>",
        ),
        ("plain @Asha Patel", "plain @Asha Patel"),
        ("<@lowercase|x> <@>", "<@lowercase|x> <@>"),
        ("", ""),
    ],
)
def test_normalise_mentions(text, expected):
    assert normalise_mentions(text) == expected


def test_command_text_of_non_strings_is_empty():
    assert command_text(None) == command_text(b"help") == ""


# End to end: Slack payloads drive the real engine, Slack's rendering drives the click.


def test_a_vote_clicked_in_slack_is_counted(sqlite_database, clock):
    chat = Conversation(sqlite_database, clock)
    chat.dispatcher.platforms["slack"] = chat.platform
    try:
        for text in ('setup "Northshire Provider Collaborative"', 'poll "Lunch?" "Soup" "Salad"'):
            command = from_slash_command(sp.slash_command(text))
            assert command is not None
            chat.engine.handle(command)
            chat.deliver()
        poll = chat.last_message(HERE)
        rendered = render_message(poll, public_url="")
        buttons = {
            obj["text"]["text"]: obj
            for obj in objects(rendered["blocks"])
            if obj.get("type") == "button"
        }
        salad = buttons["Salad"]
        click = from_block_actions(sp.button_click(salad["value"], action_id=salad["action_id"]))
        assert click is not None and click.actor == ASHA
        chat.engine.handle(click)
        chat.deliver()
        assert counts(chat.last_message(HERE)) == {"Soup": 0, "Salad": 1}
    finally:
        chat.close()
