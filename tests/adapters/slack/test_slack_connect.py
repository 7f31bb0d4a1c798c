"""Two workspaces in one Slack Connect channel: the channel is linked in the host
workspace, and each person's own workspace comes with what they do (`user.team_id` on
a click, `user_team` on a message), so once a coordinator maps each workspace to an
organisation, people are counted with it without typing `org join`."""

from __future__ import annotations

from sqlmodel import select

from storage.models import Ballot, Organisation
from tests.stand_ins import slack_payloads as slack
from tests.stand_ins.slack_app import SlackHarness, all_text, button_values

TRUST = "T0TRUST01"  # NHS Trust A's workspace
COUNCIL = "E0COUNCIL1"  # Westshire Council's Enterprise Grid organisation


def external(user_id: str, name: str, workspace: str) -> dict[str, str]:
    """The `user` of an interaction by someone from another workspace."""
    return {"id": user_id, "username": name, "name": name, "team_id": workspace}


async def test_people_from_two_workspaces_count_for_their_organisations(slack_app: SlackHarness):
    await slack_app.command('setup "Westshire Partnership"')
    await slack_app.command(f'org add "NHS Trust A" --slack-team {TRUST}')
    added = await slack_app.command(f'org add "Westshire Council" --slack-team {COUNCIL}')
    assert f"Everyone from the workspace `{COUNCIL}` who has no organisation yet" in all_text(added)
    await slack_app.command('poll "Which site?" "North" "South" --balance orgs')
    await slack_app.deliver()
    buttons = button_values(slack_app.posts()[-1])

    await slack_app.click(buttons["North"], user=external("U0BEN0001", "ben", TRUST))
    await slack_app.click(buttons["South"], user=external("U0CARYS01", "carys", COUNCIL))
    mention = slack.app_mention(
        f"<@{slack.BOT_USER}> poll list", user="U0DEE0001", user_team=TRUST, source_team=TRUST
    )
    assert (await slack_app.event(mention)).status == 200

    listing = all_text(await slack_app.command("org list"))
    assert "NHS Trust A (2): U0DEE0001, ben" in listing
    assert "Westshire Council (1): carys" in listing
    assert "Not yet in an organisation (1): asha (coordinator)" in listing
    with slack_app.database.session() as session:
        names = {o.id: o.name for o in session.exec(select(Organisation)).all()}
        counted = sorted(names[b.organisation_id] for b in session.exec(select(Ballot)).all())
    assert counted == ["NHS Trust A", "Westshire Council"]
    await slack_app.command("poll close 1")
    await slack_app.deliver()
    result = all_text(slack_app.posts()[-1])
    assert "With each organisation counted equally: Tie between “North” and “South”." in result


async def test_a_workspace_id_is_checked(slack_app: SlackHarness):
    await slack_app.command('setup "Westshire Partnership"')
    refused = all_text(await slack_app.command('org add "NHS Trust A" --slack-team trust-a'))
    assert "`trust-a` isn't a workspace id." in refused
    assert "NHS Trust A" not in all_text(await slack_app.command("org list")), "nothing added"
