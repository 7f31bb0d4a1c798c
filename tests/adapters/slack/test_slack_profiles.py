"""A Slack person's zone and language, from their profile (`users.info` `tz` and `locale`)
on the local Web API: looked up once in the background, carried on their next command,
never while Slack rate limits the workspace."""

from __future__ import annotations

from sqlmodel import select

from adapters.slack.port import SlackPort
from adapters.slack.profiles import KEEP_SECONDS, PAUSE_SECONDS, RETRY_SECONDS, SlackProfiles
from dialogs.core.events import Actor, CommandIssued, Place
from storage.models import PersonSetting
from tests.stand_ins import slack_payloads as slack
from tests.stand_ins.slack_app import all_text

TEAM, USER = "T0001", "U0ASHA"
SAID = CommandIssued(Actor("slack", TEAM, USER, "Asha"), Place("slack", TEAM, "C1"), "help")


class Seconds:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def profiles_on(stub, seconds: Seconds) -> SlackProfiles:
    port = SlackPort(lambda team: "xoxb-test", api_url=stub.url + "/api/")
    return SlackProfiles(port.user_profile, clock=seconds)


async def test_the_zone_is_looked_up_once_and_carried_from_then_on(stub):
    stub.zones[USER] = "America/Chicago"
    seconds = Seconds()
    zones = profiles_on(stub, seconds)
    assert zones.carried(SAID) == SAID  # nobody waits for Slack: the look-up starts now
    await zones.settle()
    assert zones.carried(SAID).actor.timezone == "America/Chicago"
    assert zones.carried(SAID).actor.timezone == "America/Chicago"
    assert [c.args["user"] for c in stub.calls_to("users.info")] == [USER]

    seconds.now += KEEP_SECONDS + 1  # a day on, it is asked again, the old one used meanwhile
    stub.zones[USER] = "Europe/Dublin"
    assert zones.carried(SAID).actor.timezone == "America/Chicago"
    await zones.settle()
    assert zones.carried(SAID).actor.timezone == "Europe/Dublin"


async def test_the_language_comes_from_the_same_look_up_and_is_kept_as_long(stub):
    stub.zones[USER], stub.locales[USER] = "Europe/London", "cy-GB"
    seconds = Seconds()
    profiles = profiles_on(stub, seconds)
    profiles.carried(SAID)
    await profiles.settle()
    actor = profiles.carried(SAID).actor
    assert (actor.timezone, actor.locale) == ("Europe/London", "cy-GB")
    (asked,) = stub.calls_to("users.info")
    assert asked.args["include_locale"] == "true"  # Slack gives `locale` only when asked

    seconds.now += KEEP_SECONDS + 1  # a day on: they switched Slack to English
    stub.locales[USER] = "en-GB"
    assert profiles.carried(SAID).actor.locale == "cy-GB"
    await profiles.settle()
    assert profiles.carried(SAID).actor.locale == "en-GB"
    assert len(stub.calls_to("users.info")) == 2


async def test_a_language_without_a_zone_is_carried_alone(stub):
    stub.locales[USER] = "cy-GB"
    profiles = profiles_on(stub, Seconds())
    profiles.carried(SAID)
    await profiles.settle()
    actor = profiles.carried(SAID).actor
    assert (actor.timezone, actor.locale) == ("", "cy-GB")


async def test_a_profile_without_a_zone_is_not_asked_about_again_for_a_day(stub):
    seconds = Seconds()
    zones = profiles_on(stub, seconds)
    zones.carried(SAID)
    await zones.settle()
    assert zones.carried(SAID) == SAID
    await zones.settle()
    assert len(stub.calls_to("users.info", ok_only=False)) == 1


async def test_a_refused_look_up_is_tried_again_an_hour_later(stub):
    seconds = Seconds()
    installed = {"token": None}  # the workspace has no token: users.info can't be asked
    port = SlackPort(lambda team: installed["token"], api_url=stub.url + "/api/")
    zones = SlackProfiles(port.user_profile, clock=seconds)
    zones.carried(SAID)
    await zones.settle()
    seconds.now += RETRY_SECONDS - 1
    assert zones.carried(SAID) == SAID
    await zones.settle()
    seconds.now += 2
    stub.zones[USER] = "Asia/Tokyo"
    installed["token"] = "xoxb-test"  # installed again
    zones.carried(SAID)
    await zones.settle()
    assert zones.carried(SAID).actor.timezone == "Asia/Tokyo"


async def test_while_slack_rate_limits_the_workspace_no_zone_is_asked_for(stub):
    stub.zones[USER] = "America/Chicago"
    stub.rate_limit(2)  # the call and slack_sdk's one retry
    seconds = Seconds()
    zones = profiles_on(stub, seconds)
    zones.carried(SAID)
    await zones.settle()
    asked = len(stub.calls_to("users.info", ok_only=False))
    assert zones.carried(SAID) == SAID
    await zones.settle()
    assert len(stub.calls_to("users.info", ok_only=False)) == asked  # paused

    seconds.now += PAUSE_SECONDS + 1
    zones.carried(SAID)
    await zones.settle()
    assert zones.carried(SAID).actor.timezone == "America/Chicago"


async def test_a_slack_member_reads_their_profiles_zone_in_me_timezone(slack_app, database):
    slack_app.stub.zones[slack.USER] = "Australia/Sydney"
    await slack_app.command('setup "North"')
    await slack_app.deliver()  # the profile was read in the background meanwhile
    reply = all_text(await slack_app.command("me timezone"))
    assert "Your time zone is Australia/Sydney" in reply
    assert "It is the zone your platform reports for you" in reply
    with database.session() as session:
        kept = session.exec(select(PersonSetting)).one()
    assert (kept.user_id, kept.platform_timezone) == (slack.USER, "Australia/Sydney")


async def test_a_slack_member_without_a_zone_reads_the_collaboratives_and_is_told(slack_app):
    await slack_app.command('setup "North"')
    await slack_app.deliver()
    reply = all_text(await slack_app.command("me timezone"))
    assert "Your time zone is Europe/London" in reply
    assert "because your platform didn't say which is yours" in reply
