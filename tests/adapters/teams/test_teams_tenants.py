"""Two tenants in one Teams shared channel: each person's own tenant comes with their
activity (`from.tenantId`; the conversation's `tenantId` is the host's), so once a
coordinator maps each tenant to an organisation, votes are counted by organisation
without anyone typing `org join`."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from adapters.teams.inbound import actor_of
from storage.models import Ballot, Organisation
from tests.adapters.teams.harness import TeamsHarness, words
from tests.stand_ins import teams_activities as teams

TRUST = "22222222-2222-4222-8222-222222222222"  # NHS Trust A's tenant
COUNCIL = "33333333-3333-4333-8333-333333333333"  # Westshire Council's


def guest(name: str, tenant: str) -> dict[str, Any]:
    """The `from` of someone whose own tenant is not the host's."""
    slug = name.split()[0].lower()
    return {"id": f"29:{slug}", "name": name, "aadObjectId": f"aad-{slug}", "tenantId": tenant}


def vote_data(card: dict[str, Any], title: str) -> dict[str, Any]:
    """The data of the vote button titled `title`, however the card nests it."""
    stack: list[Any] = [card]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            data = node.get("data")
            if node.get("title") == title and str((data or {}).get("action", "")).startswith(
                "vote:"
            ):
                return data
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    raise AssertionError(f"no vote button {title!r} in {words(card)[:300]}")


async def test_votes_from_two_tenants_count_for_their_organisations(teams_app: TeamsHarness):
    await teams_app.say('setup "Westshire Partnership"')
    await teams_app.say(f'org add "NHS Trust A" --teams-tenant {TRUST}')
    await teams_app.say(f'org add "Westshire Council" --teams-tenant {COUNCIL}')
    await teams_app.say('poll "Which site?" "North" "South" --balance orgs')
    await teams_app.deliver()
    card = teams_app.posts()[-1].card
    url = teams_app.stub.service_url
    voters = [
        (guest("Ben Okafor", TRUST), "North"),
        (guest("Bella Ng", TRUST), "North"),
        (guest("Carys Jones", COUNCIL), "South"),
    ]
    for person, choice in voters:
        response = await teams_app.send(
            teams.execute(url, vote_data(card, choice), **{"from": person})
        )
        assert response.status == 200, await response.text()

    with teams_app.database.session() as session:
        names = {o.id: o.name for o in session.exec(select(Organisation)).all()}
        counted = sorted(names[b.organisation_id] for b in session.exec(select(Ballot)).all())
    assert counted == ["NHS Trust A", "NHS Trust A", "Westshire Council"]
    await teams_app.say("poll close 1")
    await teams_app.deliver()
    result = words(teams_app.posts()[-1].card)
    assert "With each organisation counted equally: Tie between “North” and “South”." in result
    assert "“North” won with 2 votes of 3 voters." in result


def test_the_senders_tenant_is_theirs_only_when_it_is_not_the_hosts():
    def actor(sender: dict[str, Any]):
        return actor_of(dict(teams.base("http://x", **{"from": sender})))

    assert actor(guest("Ben Okafor", TRUST.upper())).home_tenant_id == TRUST
    assert actor(guest("Ben Okafor", TRUST)).tenant_id == teams.TENANT, "the host keys the place"
    assert actor(guest("Megan Bowen", teams.TENANT)).home_tenant_id == ""
    assert actor({"id": teams.USER_ID, "name": teams.USER_NAME}).home_tenant_id == ""
