"""What Slack is told outside a turn reaches the person in their language: the "Create a
poll" shortcut's channel picker and its refusal, the word that a form can't open from a
message, and a form's own Cancel. Their language is the one they read Concord in (here
chosen with `me language cy`); someone who reads English sees the same words as before.
"""

from __future__ import annotations

from typing import Any

from tests.stand_ins import slack_payloads as slack
from tests.stand_ins.slack_app import SlackHarness
from tests.stand_ins.slack_signing import event_body


async def picker(app: SlackHarness) -> dict[str, Any]:
    """The modal the shortcut opens: its first step, which channel."""
    response = await app.interact(slack.global_shortcut())
    assert response.status == 200
    return app.stub.calls_to("views.open")[-1].args["view"]


async def nothing_chosen(app: SlackHarness, view: dict[str, Any]) -> str:
    """What the picker says when it is submitted with no channel chosen."""
    submission = slack.view_submission("", {}, callback_id=view["callback_id"])
    answer = await (await app.interact(submission)).json()
    assert answer["response_action"] == "errors"
    return answer["errors"]["channel"]


def words(view: dict[str, Any]) -> tuple[str, str, str, str]:
    """The picker's title, buttons and label."""
    label = view["blocks"][0]["label"]["text"]
    return view["title"]["text"], view["submit"]["text"], view["close"]["text"], label


async def test_the_shortcuts_channel_picker_speaks_the_persons_language(slack_app):
    await slack_app.command('setup "North"')
    english = await picker(slack_app)
    assert words(english) == ("Create a poll", "Next", "Cancel", "Post the poll in")
    assert await nothing_chosen(slack_app, english) == (
        "Choose the channel of your collaborative that the poll is for."
    )
    await slack_app.command("me language cy")

    welsh = await picker(slack_app)

    assert words(welsh) == ("Creu pôl", "Nesaf", "Canslo", "Postio'r pôl yn")
    assert await nothing_chosen(slack_app, welsh) == (
        "Dewiswch sianel eich cydweithrediaeth y mae'r pôl ar ei chyfer."
    )


async def mentioned(app: SlackHarness, text: str, event_id: str) -> str:
    """The private reply to `@Concord text` in the channel."""
    envelope = {**slack.event_callback(slack.app_mention(f"<@{slack.BOT_USER}> {text}"))}
    response = await app.post(event_body({**envelope, "event_id": event_id}), form=False)
    assert response.status == 200
    await app.deliver()
    return app.ephemerals()[-1]


async def test_a_form_asked_for_in_a_message_is_explained_in_the_persons_language(slack_app):
    await slack_app.command('setup "North"')
    english = await mentioned(slack_app, "poll", "Ev1")
    await slack_app.command("me language cy")

    welsh = await mentioned(slack_app, "poll", "Ev2")

    assert english == (
        "That opens a form, and Slack only opens forms from a slash command or a button: "
        "type `/concord poll` instead."
    )
    assert welsh == (
        "Mae hynny'n agor ffurflen, a dim ond o orchymyn slaes neu fotwm y mae Slack yn "
        "agor ffurflenni: teipiwch `/concord poll` yn lle hynny."
    )


async def test_a_forms_own_words_are_in_the_language_it_was_written_in(slack_app):
    await slack_app.command('setup "North"')
    await slack_app.command("poll")
    english = slack_app.stub.calls_to("views.open")[-1].args["view"]
    await slack_app.command("me language cy")

    await slack_app.command("poll")

    welsh = slack_app.stub.calls_to("views.open")[-1].args["view"]
    assert (english["title"]["text"], english["close"]["text"]) == ("New poll", "Cancel")
    assert (welsh["title"]["text"], welsh["close"]["text"]) == ("Pôl newydd", "Canslo")
