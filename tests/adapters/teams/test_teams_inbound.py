"""Teams activities as neutral events: ids, scopes, mentions and card actions."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.teams import inbound
from dialogs.core.events import ActionInvoked, Actor, CommandIssued, Place
from tests.stand_ins import teams_activities as teams

SERVICE = "http://127.0.0.1:1/"


def activity(payload: dict[str, Any]) -> dict[str, Any]:
    """The activity as either transport hands it on: the wire's JSON."""
    return dict(payload)


@pytest.mark.parametrize(
    ("kind", "conversation"),
    [
        ("channel", teams.TEAM_CHANNEL),
        ("groupChat", teams.GROUP_CHAT),
        ("personal", teams.PERSONAL_CHAT),
    ],
)
def test_every_scope_gives_a_command_with_the_mention_stripped(kind, conversation):
    event = inbound.to_event(activity(teams.message(SERVICE, 'poll "Lunch?" "Soup"', kind)))

    assert event == CommandIssued(
        Actor("teams", teams.TENANT, teams.USER_AAD, teams.USER_NAME, locale="en-GB"),
        Place("teams", teams.TENANT, conversation),
        'poll "Lunch?" "Soup"',
    )


def test_a_reply_in_a_channel_thread_names_the_thread():
    threaded = f"{teams.TEAM_CHANNEL};messageid=1700000000123"
    payload = teams.message(SERVICE, "help")
    payload["conversation"]["id"] = threaded

    event = inbound.to_event(activity(payload))

    assert event is not None
    assert event.place == Place("teams", teams.TENANT, teams.TEAM_CHANNEL, "1700000000123")
    reference = inbound.reference_of(activity(payload))
    assert reference["conversation"]["id"] == teams.TEAM_CHANNEL


def test_the_tenant_comes_from_channel_data_when_the_conversation_lacks_it():
    payload = teams.message(SERVICE, "help")
    del payload["conversation"]["tenantId"]
    assert inbound.tenant_of(activity(payload)) == teams.TENANT


def test_without_an_entra_id_the_bot_framework_id_is_the_person():
    payload = teams.message(SERVICE, "help")
    del payload["from"]["aadObjectId"]
    event = inbound.to_event(activity(payload))
    assert event is not None and event.actor.user_id == teams.USER_ID


def test_only_the_bots_own_mention_is_removed_and_people_become_at_names():
    payload = teams.message(SERVICE, "role observer <at>Dee Sharma</at>")
    payload["entities"].append(
        {
            "type": "mention",
            "text": "<at>Dee Sharma</at>",
            "mentioned": {"id": "29:dee", "name": "Dee Sharma"},
        }
    )
    assert inbound.command_text(activity(payload)) == "role observer @Dee Sharma"


def test_the_bots_name_inside_the_text_is_kept_and_entities_are_decoded():
    payload = teams.message(SERVICE, 'poll &quot;Concord&#39;s future?&quot;&nbsp;"Yes" "No"')
    assert inbound.command_text(activity(payload)) == 'poll "Concord\'s future?" "Yes" "No"'


def test_an_action_submit_click_is_an_action_with_its_inputs():
    data = {"action": "submit:ballot:3", "opt-0": "1", "many": ["a", "b"], "flag": True, "junk": {}}
    event = inbound.to_event(activity(teams.submit(SERVICE, data)))

    assert isinstance(event, ActionInvoked)
    assert event.action == "submit:ballot:3"
    assert event.form_values == {"opt-0": "1", "many": ["a", "b"], "flag": "true"}


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(teams.submit(SERVICE, {"verb": "x"}), id="submit without action"),
        pytest.param(teams.submit(SERVICE, {"action": 5}), id="action not text"),
        pytest.param(
            teams.execute(SERVICE, {"action": "vote:1:2"}), id="an execute: universal_actions'"
        ),
        pytest.param(
            teams.base(SERVICE, type="invoke", name="task/fetch", value={}), id="other invoke"
        ),
        pytest.param(teams.message(SERVICE, ""), id="only the mention"),
        pytest.param(teams.base(SERVICE, type="typing"), id="typing"),
    ],
)
def test_what_is_not_a_command_or_an_action_is_nothing(payload):
    assert inbound.to_event(activity(payload)) is None


def test_the_bot_being_added_is_told_apart_from_a_person_being_added():
    assert inbound.bot_was_added(activity(teams.bot_added(SERVICE)))
    assert inbound.bot_was_added(activity(teams.installation_added(SERVICE)))
    assert not inbound.bot_was_added(activity(teams.member_added(SERVICE)))
    removed = teams.installation_added(SERVICE)
    removed["action"] = "remove"
    assert not inbound.bot_was_added(activity(removed))


def test_a_reference_keeps_no_person_and_no_activity():
    reference = inbound.reference_of(activity(teams.message(SERVICE, "help")))
    assert reference["serviceUrl"] == SERVICE
    assert reference["bot"]["id"] == teams.BOT_ID
    assert "user" not in reference and "activityId" not in reference


def test_long_text_is_never_cut_so_the_engine_can_refuse_it_whole():
    text = 'poll "Lunch?" "Soup" ' + "x" * 5_000 + " --anonymous"
    assert inbound.command_text(activity(teams.message(SERVICE, text))).endswith("--anonymous")


def _client_info(zone: str) -> dict[str, Any]:
    return {"type": "clientInfo", "locale": "en-GB", "country": "GB", "timezone": zone}


def test_the_persons_time_zone_comes_from_the_activity():
    said = teams.message(SERVICE, "me timezone", "personal", localTimezone="Europe/Paris")
    assert inbound.actor_of(activity(said)).timezone == "Europe/Paris"
    clicked = teams.submit(SERVICE, {"action": "x"}, entities=[_client_info("Asia/Kolkata")])
    assert inbound.actor_of(activity(clicked)).timezone == "Asia/Kolkata"
    event = inbound.to_event(activity(clicked))
    assert event is not None and event.actor.timezone == "Asia/Kolkata"


@pytest.mark.parametrize("zone", ["GMT Standard Time", "Europe", "../etc/passwd", "", "x" * 300])
def test_a_zone_that_is_not_a_real_one_is_ignored(zone):
    said = teams.submit(SERVICE, {"action": "x"}, entities=[_client_info(zone)], localTimezone=zone)
    assert inbound.actor_of(activity(said)).timezone == ""


def test_an_activity_without_a_zone_gives_none():
    assert inbound.actor_of(activity(teams.message(SERVICE, "help"))).timezone == ""


def _client_locale(locale: str) -> dict[str, Any]:
    return {"type": "clientInfo", "locale": locale, "country": "GB", "timezone": "Europe/London"}


def test_the_persons_language_comes_from_the_activitys_locale():
    said = teams.message(SERVICE, "help", "personal", locale="cy-GB")
    assert inbound.actor_of(activity(said)).locale == "cy-GB"
    event = inbound.to_event(activity(teams.submit(SERVICE, {"action": "x"}, locale="cy-GB")))
    assert event is not None and event.actor.locale == "cy-GB"
    clicked = teams.submit(SERVICE, {"action": "x"}, locale=None, entities=[_client_locale("cy")])
    assert inbound.actor_of(activity(clicked)).locale == "cy"  # from the client's entity


@pytest.mark.parametrize("locale", ["", "Welsh please", "../etc/passwd", "c", "cy-" + "x" * 40])
def test_a_locale_that_is_not_a_language_tag_is_ignored(locale):
    said = teams.submit(SERVICE, {"action": "x"}, locale=locale, entities=[_client_locale(locale)])
    assert inbound.actor_of(activity(said)).locale == ""
