"""Roles that hold: a role a coordinator chose is not undone by a second account.

Conversations at the engine: Northshire meets in a Slack channel and a Teams channel;
Asha (Slack) set it up. Ben, an observer on Slack, has a Teams account too.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from dialogs.collaborative.roles import Held, merge_rule
from dialogs.core.cards import Notify
from dialogs.core.events import ActionInvoked, Actor
from storage.models import AuditEntry, Collaborative, Identity, Member
from tests.dialogs.collaborative.test_me_link import (
    ASHA_SLACK,
    ASHA_TEAMS,
    SLACK,
    TEAMS,
    TwoPlatforms,
    linked_channels,
)
from tests.support.conversation import counts, text_of

BEN_SLACK = Actor("slack", "T0001", "U0BEN", "Ben Okafor")
BEN_TEAMS = Actor("teams", "tenant-1", "29:ben", "Ben Okafor (Teams)")
CAL_TEAMS = Actor("teams", "tenant-1", "29:cal", "Cal Reyes")
OBSERVER_REFUSED = "Observers see polls but do not vote."


@pytest.fixture
def chat(database, clock):
    yield from linked_channels(database, clock)


def role_of(database, actor: Actor) -> tuple[str, bool]:
    """The role of the member `actor` is, and whether it was chosen on purpose."""
    with database.session() as session:
        member = session.exec(
            select(Member)
            .join(Identity, Identity.member_id == Member.id)
            .where(Identity.platform == actor.platform, Identity.user_id == actor.user_id)
        ).one()
    return member.role, member.role_chosen


def make_observer(chat: TwoPlatforms, actor: Actor) -> None:
    chat.says(actor, SLACK if actor.platform == "slack" else TEAMS, "help")  # joins
    assert "now an observer" in chat.says(ASHA_SLACK, SLACK, f"role observer @{actor.display_name}")


def link(chat: TwoPlatforms, asks: Actor, types: Actor) -> str:
    """`asks` shows a code; `types` types it on the other platform: what `types` reads."""
    code = chat.code(asks, SLACK if asks.platform == "slack" else TEAMS)
    return chat.says(types, SLACK if types.platform == "slack" else TEAMS, f"me link {code}")


@pytest.mark.parametrize("direction", ["code from Slack", "code from Teams"])
def test_an_observers_second_account_cannot_vote_after_me_link(chat, database, direction):
    buttons = chat.poll()
    make_observer(chat, BEN_SLACK)
    chat.says(BEN_TEAMS, TEAMS, "help")  # the second account joins the Teams channel
    asks, types = (
        (BEN_SLACK, BEN_TEAMS) if direction == "code from Slack" else (BEN_TEAMS, BEN_SLACK)
    )

    shown = link(chat, asks, types)

    assert "an observer who sees polls but does not vote" in shown
    assert "made an observer on purpose" in shown
    assert "a role set on purpose isn't changed by joining accounts" in shown
    assert role_of(database, BEN_SLACK) == ("observer", True)
    # The ordinary turn and the batch of clicks both refuse, in the same words.
    assert "You are an observer of Northshire" in chat.says(BEN_TEAMS, TEAMS, "help")
    assert OBSERVER_REFUSED in chat.clicks(BEN_TEAMS, TEAMS, buttons["Soup"])
    [batched] = chat.engine.handle_all([ActionInvoked(BEN_TEAMS, TEAMS, buttons["Salad"], {})])
    assert [type(e) for e in batched] == [Notify]
    assert OBSERVER_REFUSED in text_of(batched[0].card)
    chat.deliver()
    assert counts(chat.seen_in(TEAMS)[-1]) == {"Soup": 0, "Salad": 0}


def test_a_chosen_member_role_beats_an_observer_default(chat, database):
    """Newcomers start as observers; a coordinator made Ben's Slack account a member."""
    chat.says(ASHA_SLACK, SLACK, "settings newcomers observer")
    chat.says(BEN_SLACK, SLACK, "help")
    chat.says(ASHA_SLACK, SLACK, "role member @Ben Okafor")
    chat.says(BEN_TEAMS, TEAMS, "help")
    assert role_of(database, BEN_TEAMS)[0] == "observer"

    shown = link(chat, BEN_TEAMS, BEN_SLACK)

    assert "a member with one vote in each poll" in shown
    assert "This account was made a member on purpose" in shown
    assert role_of(database, BEN_SLACK) == ("member", True)


def test_of_two_chosen_roles_the_more_restricted_stays(chat, database):
    chat.says(CAL_TEAMS, TEAMS, "help")
    chat.says(ASHA_SLACK, SLACK, "role coordinator @Cal Reyes")  # a second coordinator
    chat.says(BEN_TEAMS, TEAMS, "help")
    chat.says(ASHA_SLACK, SLACK, "role coordinator @Ben Okafor (Teams)")
    make_observer(chat, BEN_SLACK)

    shown = link(chat, BEN_TEAMS, BEN_SLACK)

    assert "Both accounts had roles set on purpose" in shown
    assert "the more restricted one stays" in shown
    assert "ask a coordinator to make you one" in shown
    assert role_of(database, BEN_SLACK) == ("observer", True)
    with database.session() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "me.link")).one()
    assert entry.detail["role"] == "observer"


def test_the_last_coordinator_stays_one_and_is_told_why(chat, database):
    chat.says(ASHA_SLACK, SLACK, "role observer @Asha Patel (NHS)")  # her own Teams account

    shown = link(chat, ASHA_SLACK, ASHA_TEAMS)

    assert "a coordinator with one vote in each poll" in shown
    assert "You stay a coordinator: you are the only coordinator of Northshire" in shown
    assert role_of(database, ASHA_SLACK) == ("coordinator", True)


def test_two_default_roles_keep_the_more_restricted():
    merged = merge_rule(
        Held("member", False, "your other account"),
        Held("observer", False, "this account"),
        last_coordinator=False,
        name="Northshire",
    )
    assert (merged.role, merged.chosen) == ("observer", False)
    assert "roles given to newcomers" in merged.why


def test_newcomers_can_start_as_observers(chat, database):
    buttons = chat.poll()
    shown = chat.says(ASHA_SLACK, SLACK, "settings newcomers observer")
    assert "People who join Northshire from now on start as observers." in shown
    assert "Newcomers to Northshire start as observers." in chat.says(
        ASHA_SLACK, SLACK, "settings newcomers"
    )

    # A newcomer whose first act is a click (the batch path) and one who types first.
    [batched] = chat.engine.handle_all([ActionInvoked(CAL_TEAMS, TEAMS, buttons["Soup"], {})])
    assert OBSERVER_REFUSED in text_of(batched[0].card)
    assert "You are an observer of Northshire" in chat.says(BEN_TEAMS, TEAMS, "help")
    assert OBSERVER_REFUSED in chat.clicks(BEN_TEAMS, TEAMS, buttons["Soup"])
    assert role_of(database, CAL_TEAMS) == ("observer", False)
    assert role_of(database, BEN_TEAMS) == ("observer", False)
    with database.session() as session:
        assert session.exec(select(Collaborative.newcomer_role)).one() == "observer"
    assert "set newcomers to start as observers" in chat.says(ASHA_SLACK, SLACK, "decisions")


def test_only_a_coordinator_chooses_what_newcomers_start_as(chat, database):
    chat.says(BEN_SLACK, SLACK, "help")
    refused = chat.says(BEN_SLACK, SLACK, "settings newcomers observer")
    assert "Only a coordinator can change what newcomers start as" in refused
    refused = chat.says(ASHA_SLACK, SLACK, "settings newcomers coordinator")
    assert "not as coordinators" in refused
    with database.session() as session:
        assert session.exec(select(Collaborative.newcomer_role)).one() == "member"


def test_help_shows_coordinators_the_newcomers_setting_and_members_not(chat):
    shown = chat.says(ASHA_SLACK, SLACK, "help all")
    assert "People who join Northshire start as members" in shown
    assert "`settings newcomers [member|observer]`" in shown
    chat.says(ASHA_SLACK, SLACK, "settings newcomers observer")
    assert "start as observers" in chat.says(ASHA_SLACK, SLACK, "help settings")
    assert "settings newcomers" not in chat.says(BEN_SLACK, SLACK, "help all")
