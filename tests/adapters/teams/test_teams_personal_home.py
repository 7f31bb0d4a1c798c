"""A Teams personal chat shows what is waiting for the person, as Slack's App Home does:
bare `help` and `home` there answer with the same list the digest sends, and the digest
itself reaches the person's 1:1 chat with Concord."""

from __future__ import annotations

from datetime import UTC, datetime

from dialogs.ticker import Ticker
from tests.adapters.teams.harness import a_poll, words
from tests.stand_ins import teams_activities as teams


async def test_help_and_home_in_a_personal_chat_list_what_is_waiting(teams_app):
    await a_poll(teams_app)

    for typed in ("help", "home"):
        await teams_app.say(typed, kind="personal")
        shown = words(teams_app.posts(teams.PERSONAL_CHAT)[-1].body)
        assert "North" in shown, typed
        assert "Waiting for your vote: 1 poll" in shown, typed
        assert "Poll #1" in shown and "Lunch?" in shown, typed

    await teams_app.say("help all", kind="personal")
    assert "What you can do here" in words(teams_app.posts(teams.PERSONAL_CHAT)[-1].body)


async def test_help_in_a_personal_chat_of_someone_in_no_collaborative_is_the_reference(
    teams_app,
):
    await teams_app.say("help", kind="personal")
    assert "What you can do here" in words(teams_app.posts(teams.PERSONAL_CHAT)[-1].body)


async def test_the_digest_reaches_the_person_in_their_personal_chat(teams_app):
    await a_poll(teams_app)
    ticker = Ticker(teams_app.database, teams_app.clock)
    ticker.tick()  # enrolled: the first digest is next Monday at 08:30
    teams_app.clock.now = datetime(2026, 11, 30, 8, 30, tzinfo=UTC)
    ticker.tick()
    await teams_app.deliver()

    sent = teams_app.stub.calls_to("send")[-1]
    assert sent.conversation_id == f"a:chat-{teams.USER_AAD}"
    shown = words(sent.body)
    assert "waiting for you" in shown, shown
    assert "Waiting for your vote: 1 poll" in shown and "Lunch?" in shown
    assert "me digest daily" in shown
