"""The poll modal's "Start from a template" in Slack: Slack keeps what was typed in a
replaced view's inputs whose block ids are unchanged, so the view filled in from a
template must give its changed inputs new block ids, or the template would not show."""

from __future__ import annotations

from typing import Any

from sqlmodel import func, select

from storage.models import Poll
from tests.stand_ins import slack_payloads as slack


def inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The view's input blocks by the name Concord reads them by (their action id)."""
    return {b["element"]["action_id"]: b for b in view["blocks"] if b["type"] == "input"}


def submitted(view: dict[str, Any], typed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A `view_submission` as Slack sends it: each input's state under its block id."""
    payload = slack.view_submission(view["private_metadata"], {})
    blocks = inputs(view)
    values = {blocks[name]["block_id"]: {name: state} for name, state in typed.items()}
    payload["view"]["state"]["values"] = values
    return payload


async def test_a_template_picked_in_the_modal_fills_it_in_and_the_poll_posts(slack_app):
    await slack_app.command('setup "North"')
    await slack_app.command("poll", trigger_id="13345224609.738474920.f00d")
    view = slack_app.stub.calls_to("views.open")[-1].args["view"]
    first = inputs(view)
    assert first["template"]["block_id"] == "template"

    picked = submitted(view, {"template": slack.select_state("Consent proposal")})
    answer = await (await slack_app.interact(picked)).json()
    assert answer["response_action"] == "update"
    refilled = inputs(answer["view"])
    assert refilled["type"]["element"]["initial_option"]["value"] == "consent"
    assert refilled["objections"]["element"]["initial_value"] == "0"
    for name in ("template", "type", "objections"):  # changed: Slack must not keep the old
        assert refilled[name]["block_id"] != first[name]["block_id"]
    assert refilled["template"]["element"]["initial_option"]["value"] == "blank"

    typed = {
        "question": slack.text_state("We adopt the shared discharge protocol"),
        "type": slack.select_state("consent"),
        "objections": slack.text_state("0"),
    }
    response = await slack_app.interact(submitted(answer["view"], typed))
    assert response.status == 200 and "json" not in response.content_type  # a plain ack
    with slack_app.database.session() as session:
        assert session.exec(select(func.count()).select_from(Poll)).one() == 1
        assert session.exec(select(Poll.type)).one() == "consent"
