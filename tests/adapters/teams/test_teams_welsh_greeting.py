"""Added to a team by someone whose Teams speaks Welsh, Concord greets in Welsh, then
English; from an English client, in English alone."""

from __future__ import annotations

from tests.adapters.teams.harness import words
from tests.stand_ins import teams_activities as teams


async def greeting_from(teams_app, locale: str) -> str:
    added = {**teams.bot_added(teams_app.stub.service_url), "locale": locale}
    assert (await teams_app.send(added)).status == 201
    return " ".join(words(post.body) for post in teams_app.posts())


async def test_added_from_a_welsh_client_the_team_is_greeted_in_welsh_then_english(teams_app):
    said = await greeting_from(teams_app, "cy-GB")
    assert "Helo, Concord ydw i" in said
    assert said.index("Helo, Concord ydw i") < said.index("Hello, I'm Concord")


async def test_added_from_an_english_client_the_team_is_greeted_in_english(teams_app):
    said = await greeting_from(teams_app, "en-GB")
    assert "Hello, I'm Concord" in said and "Helo" not in said
