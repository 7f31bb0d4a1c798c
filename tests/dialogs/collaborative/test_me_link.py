"""`me link`: one person's Slack and Teams accounts become one member with one vote.

Conversations at the engine: a collaborative meets in a Slack channel and a Teams
channel; Asha uses both platforms.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import func, select

from dialogs.core.cards import Actions, Button, Notify
from dialogs.core.events import Actor, CommandIssued, Place
from dialogs.engine import Engine
from storage.models import (
    AuditEntry,
    Ballot,
    CheckinAnswer,
    Identity,
    LinkCode,
    Member,
    Participation,
    PollReminderMute,
)
from tests.support.conversation import TwoPlatforms, counts, poll_buttons, text_of

SLACK = Place("slack", "T0001", "C0001")
TEAMS = Place("teams", "tenant-1", "19:north@thread.tacv2")
ASHA_SLACK = Actor("slack", "T0001", "U0ASHA", "Asha Patel")
ASHA_TEAMS = Actor("teams", "tenant-1", "29:asha", "Asha Patel (NHS)")
BEN_SLACK = Actor("slack", "T0001", "U0BEN", "Ben Okafor")
MEGAN_TEAMS = Actor("teams", "tenant-1", "29:megan", "Megan Bowen")
OWEN_TEAMS = Actor("teams", "tenant-1", "29:owen", "Owen Price")


class LinkingPlatforms(TwoPlatforms):
    """Northshire on Slack and Teams, and the ways its people use both."""

    def poll(self, text: str = 'poll "Lunch?" "Soup" "Salad"') -> dict[str, str]:
        self.says(ASHA_SLACK, SLACK, text)
        return poll_buttons(self.seen_in(SLACK)[-1])

    def code(self, actor: Actor, place: Place) -> str:
        return self.says(actor, place, "me link").split("Your code: ")[1].split()[0]


def linked_channels(database, clock) -> Iterator[LinkingPlatforms]:
    """Asha sets Northshire up on Slack and links the Teams channel."""
    conversation = LinkingPlatforms(database, clock)
    conversation.says(ASHA_SLACK, SLACK, 'setup "Northshire"')
    shown = conversation.says(ASHA_SLACK, SLACK, "link")
    conversation.says(ASHA_TEAMS, TEAMS, f"link {shown.split('Link code: ')[1].split()[0]}")
    yield conversation
    conversation.close()


@pytest.fixture
def chat(database, clock):
    yield from linked_channels(database, clock)


def count(database, model, *where) -> int:
    with database.session() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def latest_choices(database) -> list:
    with database.session() as session:
        return [b.choices for b in session.exec(select(Ballot).where(Ballot.latest)).all()]


def test_the_code_is_shown_only_to_the_person_and_only_its_hash_is_kept(chat, database, clock):
    effects = chat.engine.handle(CommandIssued(ASHA_SLACK, SLACK, "me link"))
    chat.deliver()

    assert [type(e) for e in effects] == [Notify]
    shown = text_of(effects[0].card)
    code = shown.split("Your code: ")[1].split()[0]
    assert "me link " + code in shown and "15 minutes" in shown
    assert not any(code in text_of(card) for card in chat.seen_in(SLACK) + chat.seen_in(TEAMS))
    with database.session() as session:
        stored = session.exec(select(LinkCode).order_by(LinkCode.id.desc())).first()  # type: ignore[union-attr]
    assert code.replace("-", "") not in stored.code_hash
    assert stored.expires_at == clock() + timedelta(minutes=15)


def test_after_linking_a_vote_from_teams_replaces_the_one_from_slack(chat, database):
    buttons = chat.poll()
    code = chat.code(ASHA_SLACK, SLACK)
    assert "now one member" in chat.says(ASHA_TEAMS, TEAMS, f"me link {code}")

    assert "You voted “Soup”" in chat.clicks(ASHA_SLACK, SLACK, buttons["Soup"])
    assert "You voted “Salad”" in chat.clicks(ASHA_TEAMS, TEAMS, buttons["Salad"])

    assert latest_choices(database) == [[1]]
    assert counts(chat.seen_in(SLACK)[-1]) == {"Soup": 0, "Salad": 1}
    assert counts(chat.seen_in(TEAMS)[-1]) == {"Soup": 0, "Salad": 1}


def test_votes_cast_from_both_before_linking_become_one_the_second_platforms(chat, database):
    buttons = chat.poll()
    chat.clicks(ASHA_SLACK, SLACK, buttons["Soup"])
    chat.clicks(ASHA_TEAMS, TEAMS, buttons["Salad"])
    assert counts(chat.seen_in(SLACK)[-1]) == {"Soup": 1, "Salad": 1}

    code = chat.code(ASHA_SLACK, SLACK)
    shown = chat.says(ASHA_TEAMS, TEAMS, f"me link {code}")

    assert "in 1 open poll(s): the vote from this account now counts" in shown
    assert latest_choices(database) == [[1]]
    assert count(database, Ballot) == 2, "the replaced vote is kept as history"
    assert count(database, Participation) == 1
    # Both channels' messages were re-rendered with the merged tally.
    assert counts(chat.seen_in(SLACK)[-1]) == {"Soup": 0, "Salad": 1}
    assert counts(chat.seen_in(TEAMS)[-1]) == {"Soup": 0, "Salad": 1}


def test_the_merged_member_keeps_an_organisation_both_identities_and_the_last_coordinator(
    chat, database
):
    chat.says(ASHA_SLACK, SLACK, 'org add "Riverside Trust"')
    chat.says(ASHA_TEAMS, TEAMS, 'org join "Riverside Trust"')
    chat.says(ASHA_SLACK, SLACK, "role observer @Asha Patel (NHS)")
    with database.session() as session:
        before = session.exec(select(func.count()).select_from(Member)).one()

    # The code is shown on Teams (the observer) and typed on Slack (the coordinator).
    code = chat.code(ASHA_TEAMS, TEAMS)
    shown = chat.says(ASHA_SLACK, SLACK, f"me link {code}")
    assert "now one member" in shown and "You stay a coordinator" in shown

    with database.session() as session:
        assert session.exec(select(func.count()).select_from(Member)).one() == before - 1
        identities = session.exec(select(Identity)).all()
        owners = {i.member_id for i in identities if i.user_id in ("U0ASHA", "29:asha")}
        assert len(owners) == 1
        merged = session.get(Member, owners.pop())
        assert (merged.display_name, merged.role) == ("Asha Patel (NHS)", "coordinator")
        assert merged.organisation_id is not None
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "me.link")).one()
    assert "joined their other account" in entry.summary
    assert "Riverside Trust (1): Asha Patel (coordinator)" in chat.says(
        ASHA_SLACK, SLACK, "org list"
    )


def test_an_anonymous_poll_keeps_both_ballots_but_allows_no_more(chat, database):
    buttons = chat.poll('poll "Secret?" "Yes" "No" --anonymous')
    chat.clicks(ASHA_SLACK, SLACK, buttons["Yes"])
    chat.clicks(ASHA_TEAMS, TEAMS, buttons["No"])

    chat.says(ASHA_TEAMS, TEAMS, f"me link {chat.code(ASHA_SLACK, SLACK)}")

    assert count(database, Ballot, Ballot.latest) == 2
    assert count(database, Participation) == 1
    assert "already voted" in chat.clicks(ASHA_TEAMS, TEAMS, buttons["Yes"])


def test_an_announced_result_is_not_changed_by_a_later_link(chat, database):
    buttons = chat.poll()
    chat.clicks(ASHA_SLACK, SLACK, buttons["Soup"])
    chat.clicks(ASHA_TEAMS, TEAMS, buttons["Salad"])
    chat.says(ASHA_SLACK, SLACK, "poll close 1")
    before = chat.says(ASHA_SLACK, SLACK, "poll results 1")

    shown = chat.says(ASHA_TEAMS, TEAMS, f"me link {chat.code(ASHA_SLACK, SLACK)}")

    assert "now one member" in shown and "open poll" not in shown
    assert chat.says(ASHA_SLACK, SLACK, "poll results 1") == before
    assert sorted(latest_choices(database)) == [[0], [1]]


def test_check_in_answers_from_both_become_one_the_second_platforms(chat, database):
    chat.says(ASHA_SLACK, SLACK, 'checkin add "every monday 09:00"')
    chat.says(ASHA_SLACK, SLACK, "checkin now 1")
    run_card = chat.seen_in(SLACK)[-1]
    answer = {  # the first question's 1–5 buttons
        element.label: element.action
        for block in run_card.blocks
        if isinstance(block, Actions)
        for element in block.elements
        if isinstance(element, Button)
        and element.action.startswith("answer:")
        and element.action.split(":")[2] == "0"
    }
    chat.clicks(ASHA_SLACK, SLACK, answer["2"])
    chat.clicks(ASHA_TEAMS, TEAMS, answer["5"])
    assert count(database, CheckinAnswer) == 2

    chat.says(ASHA_TEAMS, TEAMS, f"me link {chat.code(ASHA_SLACK, SLACK)}")

    with database.session() as session:
        assert [a.value for a in session.exec(select(CheckinAnswer)).all()] == [5]


# Refusals


def test_a_wrong_expired_or_used_code_is_refused(chat, clock):
    assert "isn't one Concord gave out" in chat.says(ASHA_TEAMS, TEAMS, "me link ZZZ-ZZZ")
    code = chat.code(ASHA_SLACK, SLACK)
    clock.advance(minutes=15, seconds=1)
    assert "expired" in chat.says(ASHA_TEAMS, TEAMS, f"me link {code}")

    code = chat.code(ASHA_SLACK, SLACK)
    assert "now one member" in chat.says(ASHA_TEAMS, TEAMS, f"me link {code}")
    assert "already been used" in chat.says(MEGAN_TEAMS, TEAMS, f"me link {code}")


def test_a_code_is_refused_on_the_account_that_asked_for_it_and_once_linked(chat):
    code = chat.code(ASHA_SLACK, SLACK)
    assert "for this account itself" in chat.says(ASHA_SLACK, SLACK, f"me link {code}")
    chat.says(ASHA_TEAMS, TEAMS, f"me link {code}")
    again = chat.code(ASHA_SLACK, SLACK)
    assert "already one member" in chat.says(ASHA_TEAMS, TEAMS, f"me link {again}")


def test_two_accounts_on_one_platform_are_not_joined(chat, database):
    code = chat.code(ASHA_SLACK, SLACK)
    shown = chat.says(BEN_SLACK, SLACK, f"me link {code}")
    assert "Both accounts are on the same platform" in shown
    assert count(database, LinkCode, LinkCode.used_at.is_not(None)) == 1  # type: ignore[union-attr]
    # The refusal changed nothing: the code still works on the other platform.
    assert "now one member" in chat.says(ASHA_TEAMS, TEAMS, f"me link {code}")


def test_a_code_from_another_collaborative_is_refused(chat):
    elsewhere = Place("teams", "tenant-1", "19:south@thread.tacv2")
    chat.says(OWEN_TEAMS, elsewhere, 'setup "Southshire"')
    code = chat.code(ASHA_SLACK, SLACK)
    shown = chat.says(OWEN_TEAMS, elsewhere, f"me link {code}")
    assert "belongs to another collaborative, not Southshire" in shown


def test_a_channel_link_code_is_not_a_me_link_code_nor_the_other_way(chat):
    channel_code = chat.says(ASHA_SLACK, SLACK, "link").split("Link code: ")[1].split()[0]
    assert "a code for `link`" in chat.says(ASHA_TEAMS, TEAMS, f"me link {channel_code}")
    member_code = chat.code(ASHA_SLACK, SLACK)
    new_channel = Place("teams", "tenant-1", "19:west@thread.tacv2")
    assert "a code for `me link`" in chat.says(ASHA_TEAMS, new_channel, f"link {member_code}")


def test_outside_a_collaborative_me_link_says_how_to_join_one(chat):
    shown = chat.says(ASHA_TEAMS, Place("teams", "tenant-1", "19:nowhere"), "me link")
    assert "isn't part of a collaborative yet" in shown


def test_help_lists_me_link(chat):
    shown = chat.says(ASHA_SLACK, SLACK, "help all")
    assert "`me link [CODE]`" in shown
    assert "linking your Slack and Teams accounts" not in shown


def test_two_accounts_racing_for_one_code_one_wins(chat, database, clock):
    code = chat.code(ASHA_SLACK, SLACK)
    # Each racer has a member already, so the race is over the code alone.
    chat.says(MEGAN_TEAMS, TEAMS, "help")
    chat.says(OWEN_TEAMS, TEAMS, "help")
    engines = [Engine(database, clock), Engine(database, clock)]
    start = threading.Barrier(2)
    answers: dict[str, str] = {}

    def claim(engine: Engine, actor: Actor) -> None:
        start.wait()
        effects = engine.handle(CommandIssued(actor, TEAMS, f"me link {code}"))
        answers[actor.user_id] = "\n".join(
            text_of(e.card) for e in effects if isinstance(e, Notify)
        )

    racers = [
        threading.Thread(target=claim, args=(engine, actor))
        for engine, actor in zip(engines, (MEGAN_TEAMS, OWEN_TEAMS), strict=True)
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()

    outcomes = sorted("now one member" in shown for shown in answers.values())
    assert outcomes == [False, True], answers
    assert any("already been used" in shown for shown in answers.values()), answers
    with database.session() as session:
        asha = session.exec(select(Identity.member_id).where(Identity.user_id == "U0ASHA")).one()
        teams_owners = session.exec(
            select(Identity.member_id).where(
                Identity.platform == "teams", Identity.member_id == asha
            )
        ).all()
    assert len(teams_owners) == 1


def test_a_polls_reminders_stay_off_after_linking_if_either_account_turned_them_off(chat, database):
    chat.poll()
    chat.poll('poll "Dinner?" "Pie" "Curry"')
    for asha, place in ((ASHA_SLACK, SLACK), (ASHA_TEAMS, TEAMS)):
        chat.clicks(asha, place, "mute-poll:1")  # each account stops poll #1's reminders
    chat.clicks(ASHA_TEAMS, TEAMS, "mute-poll:2")
    assert "now one member" in chat.says(
        ASHA_TEAMS, TEAMS, f"me link {chat.code(ASHA_SLACK, SLACK)}"
    )
    assert count(database, PollReminderMute) == 2, "one row per poll, both now the one member's"
    assert "Nobody to remind in poll #2" in chat.says(ASHA_SLACK, SLACK, "poll remind 2")
