"""Organisations recognised by tenant: a coordinator says which organisation a Microsoft
tenant or a Slack workspace belongs to, and its people are counted with it without
typing `org join`; a choice made with `org join` always stands."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dialogs.core.events import ActionInvoked, Actor, Place
from storage.models import Ballot, Member, Organisation, OrganisationHome
from tests.support.conversation import Conversation, poll_buttons, text_of

HOST = "11111111-1111-4111-8111-111111111111"  # the tenant that hosts the shared channel
TRUST = "22222222-2222-4222-8222-222222222222"  # NHS Trust A's own tenant
COUNCIL = "33333333-3333-4333-8333-333333333333"  # Westshire Council's
SHARED = Place("teams", HOST, "19:shared@thread.tacv2")
ELSEWHERE = Place("teams", HOST, "19:other@thread.tacv2")


def teams_person(user_id: str, name: str, home: str = "") -> Actor:
    """Someone in the host tenant's shared channel whose own tenant is `home`."""
    return Actor("teams", HOST, user_id, name, home_tenant_id=home)


ASHA = teams_person("asha", "Asha Patel")  # the host tenant's own
BEN = teams_person("ben", "Ben Okafor", TRUST)
BELLA = teams_person("bella", "Bella Ng", TRUST)
CARYS = teams_person("carys", "Carys Jones", COUNCIL)


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.dispatcher.platforms["teams"] = conversation.platform  # posts are recorded
    conversation.says(ASHA, SHARED, 'setup "Westshire Partnership"')
    yield conversation
    conversation.close()


def organisation_of(database, name: str) -> str | None:
    with database.session() as session:
        member = session.exec(select(Member).where(Member.display_name == name)).one()
        organisation = session.get(Organisation, member.organisation_id or -1)
    return organisation.name if organisation else None


def test_people_from_two_tenants_are_counted_with_their_organisations(chat, database):
    added = chat.says(ASHA, SHARED, f'org add "NHS Trust A" --teams-tenant {TRUST.upper()}')
    assert added.splitlines() == [
        "Added NHS Trust A",
        f"Everyone from the Microsoft tenant `{TRUST}` who has no organisation yet is counted "
        "as NHS Trust A from their next vote or command.",
        'Anyone else joins it by typing `org join "NHS Trust A"`.',
    ]
    chat.says(ASHA, SHARED, f'org add "Westshire Council" --teams-tenant {{{COUNCIL}}}')
    chat.says(BEN, SHARED, "poll list")
    chat.says(CARYS, SHARED, "help")
    listing = chat.says(ASHA, SHARED, "org list")
    assert "NHS Trust A (1): Ben Okafor" in listing
    assert f"NHS Trust A counts everyone from the Microsoft tenant `{TRUST}`" in listing
    assert "Westshire Council (1): Carys Jones" in listing
    assert "Not yet in an organisation (1): Asha Patel (coordinator)" in listing
    log = chat.says(ASHA, SHARED, "decisions --all")
    assert f"Ben Okafor was counted as NHS Trust A (their Microsoft tenant is {TRUST})" in log
    assert f"counted everyone from the Microsoft tenant {TRUST} as NHS Trust A" in (
        chat.says(ASHA, SHARED, "decisions")
    )


def test_votes_batched_together_are_counted_by_tenant_and_balanced(chat, database):
    chat.says(ASHA, SHARED, f'org add "NHS Trust A" --teams-tenant {TRUST}')
    chat.says(ASHA, SHARED, f'org add "Westshire Council" --teams-tenant {COUNCIL}')
    chat.says(ASHA, SHARED, 'poll "Which site?" "North" "South" --balance orgs')
    buttons = poll_buttons(chat.last_message(SHARED))
    clicks = [
        ActionInvoked(BEN, SHARED, buttons["North"]),
        ActionInvoked(BELLA, SHARED, buttons["North"]),
        ActionInvoked(CARYS, SHARED, buttons["South"]),
    ]
    chat.engine.handle_all(clicks)  # the vote path that stores clicks together
    with database.session() as session:
        names = {o.id: o.name for o in session.exec(select(Organisation)).all()}
        voted = sorted(names[b.organisation_id] for b in session.exec(select(Ballot)).all())
    assert voted == ["NHS Trust A", "NHS Trust A", "Westshire Council"]
    assert organisation_of(database, "Bella Ng") == "NHS Trust A"
    chat.says(ASHA, SHARED, "poll close 1")
    result = text_of(chat.last_message(SHARED))
    assert "With each organisation counted equally: Tie between “North” and “South”." in result
    assert "“North” won with 2 votes of 3 voters." in result


def test_an_explicit_org_join_is_never_overridden(chat, database):
    chat.says(ASHA, SHARED, 'org add "Westshire Council"')
    chat.says(BEN, SHARED, 'org join "Westshire Council"')
    chat.says(ASHA, SHARED, f'org add "NHS Trust A" --teams-tenant {TRUST}')
    chat.says(BEN, SHARED, "poll list")
    assert organisation_of(database, "Ben Okafor") == "Westshire Council"


def test_org_join_tells_people_the_id_a_coordinator_would_use(chat):
    chat.says(ASHA, SHARED, 'org add "NHS Trust A"')
    joined = chat.says(BEN, SHARED, 'org join "NHS Trust A"')
    assert joined.splitlines() == [
        "You are now listed with NHS Trust A.",
        f"Is everyone from your Microsoft tenant (`{TRUST}`) in NHS Trust A? A coordinator can "
        f'count them all by typing `org add "NHS Trust A" --teams-tenant {TRUST}`.',
    ]
    updated = chat.says(ASHA, SHARED, f'org add "nhs trust a" --teams-tenant {TRUST}')
    assert updated.startswith("Updated NHS Trust A\n")
    assert chat.says(BELLA, SHARED, 'org join "NHS Trust A"') == (
        "You are already listed with NHS Trust A."
    ), "Bella was counted with it when she acted, so there is nothing to offer"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        (
            'org add "NHS Trust A" --teams-tenant nhs-trust-a',
            "`nhs-trust-a` isn't a Microsoft tenant id.",
        ),
        ('org add "NHS Trust A" --slack-team U0123ABCD', "`U0123ABCD` isn't a workspace id."),
        ("org unmap", "Say which tenant or workspace to stop counting."),
        (f"org unmap --teams-tenant {TRUST}", "No organisation here counts the Microsoft tenant"),
    ],
)
def test_bad_ids_are_refused_and_change_nothing(chat, database, typed, problem):
    assert problem in chat.says(ASHA, SHARED, typed)
    with database.session() as session:
        assert session.exec(select(Organisation)).all() == []
        assert session.exec(select(OrganisationHome)).all() == []


def test_only_coordinators_map_tenants(chat):
    chat.says(BEN, SHARED, "poll list")
    refused = chat.says(BEN, SHARED, f'org add "NHS Trust A" --teams-tenant {TRUST}')
    assert "Only a coordinator can add an organisation; you are a member" in refused
    refused = chat.says(BEN, SHARED, f"org unmap --teams-tenant {TRUST}")
    assert "Only a coordinator can change which organisation a tenant counts as" in refused


def test_a_tenant_counts_for_one_organisation_until_it_is_unmapped(chat, database):
    chat.says(ASHA, SHARED, f'org add "NHS Trust A" --teams-tenant {TRUST}')
    refused = chat.says(ASHA, SHARED, f'org add "Trust B" --teams-tenant {TRUST}')
    assert refused.splitlines() == [
        f"The Microsoft tenant `{TRUST}` already counts as NHS Trust A here.",
        f"To move it, first type `org unmap --teams-tenant {TRUST}`.",
        f'You typed: org add "Trust B" --teams-tenant {TRUST}',
    ]
    assert "Trust B" not in chat.says(ASHA, SHARED, "org list"), "nothing was added"
    again = chat.says(ASHA, SHARED, f'org add "NHS Trust A" --teams-tenant {TRUST}')
    assert f"The Microsoft tenant `{TRUST}` already counts as NHS Trust A." in again
    chat.says(BEN, SHARED, "poll list")
    unmapped = chat.says(ASHA, SHARED, f"org unmap --teams-tenant {TRUST}")
    assert unmapped.splitlines()[:2] == [
        "Stopped counting it",
        f"The Microsoft tenant `{TRUST}` no longer counts as NHS Trust A.",
    ]
    chat.says(BELLA, SHARED, "poll list")
    assert organisation_of(database, "Ben Okafor") == "NHS Trust A", "counted people stay"
    assert organisation_of(database, "Bella Ng") is None
    assert "Trust B" in chat.says(ASHA, SHARED, f'org add "Trust B" --teams-tenant {TRUST}')


def test_another_collaboratives_mapping_does_not_count_here(chat, database):
    other = teams_person("olu", "Olu Ade")
    chat.says(other, ELSEWHERE, 'setup "Eastshire Partnership"')
    chat.says(other, ELSEWHERE, f'org add "Eastshire Trust" --teams-tenant {TRUST}')
    chat.says(BEN, SHARED, "poll list")
    assert organisation_of(database, "Ben Okafor") is None
    assert "Eastshire" not in chat.says(ASHA, SHARED, "org list")
    assert "NHS Trust A" in chat.says(
        ASHA, SHARED, f'org add "NHS Trust A" --teams-tenant {TRUST}'
    ), "each collaborative maps the tenant for itself"


def test_help_shows_coordinators_the_grammar_and_members_none_of_it(chat):
    shown = chat.says(ASHA, SHARED, "help org")
    assert (
        '`org add "Name" [--teams-tenant TENANT-ID] [--slack-team T…]` — add an organisation; '
        "with a tenant or workspace id, count everyone from it as the organisation (new or not)"
    ) in shown
    assert "`org unmap [--teams-tenant TENANT-ID] [--slack-team T…]` — stop counting" in shown
    assert "org unmap" not in chat.says(BEN, SHARED, "help org")
