"""Clicks stored together count exactly as clicks stored one at a time.

Each test runs the same clicks twice in one collaborative: one at a time through
`Engine.handle` on one poll, and all together through `Engine.handle_all` on an
identical poll. People must be told the same things and the two polls must end with
the same ballots, history and participation.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from dataclasses import replace

import pytest
from sqlmodel import select

from dialogs.core.events import ActionInvoked, CommandIssued
from dialogs.runner import EngineRunner
from storage.models import Ballot, Member, Outbox, Participation, Poll, ProcessedEvent
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    SOUTH,
    Conversation,
    person,
    text_of,
)

EVE = person("eve", "Eve Adeyemi")
NEWCOMERS = [person(f"new{n}", f"Newcomer {n}") for n in range(6)]


@pytest.fixture
def talk(database, clock):
    conversation = Conversation(database, clock)
    conversation.says(ASHA, NORTH, 'setup "Northshire"')
    yield conversation
    conversation.close()


def two_polls(talk, *settings):
    """Two identical polls; their ids and option ids, in order."""
    for _ in range(2):
        talk.says(ASHA, NORTH, f'poll "Lunch?" "Soup" "Salad" "Stew" {" ".join(settings)}')
    with talk.database.session() as session:
        polls = session.exec(select(Poll).order_by(Poll.id)).all()[-2:]
        return [p.id for p in polls]


def clicks_for(poll_id, script):
    """(person, option position) pairs as clicks on poll `poll_id` (options are 1, 2, 3)."""
    first_option = (poll_id - 1) * 3 + 1
    return [ActionInvoked(who, NORTH, f"vote:{poll_id}:{first_option + n}") for who, n in script]


def said(effects_per_click):
    """What each voter was told, with poll numbers left out (the two polls differ there; in
    Welsh too)."""
    return [
        re.sub(r"([Pp]oll|[Pp]ôl|mhôl) #\d+", r"\1 #N", "\n".join(text_of(e.card) for e in effects))
        for effects in effects_per_click
    ]


def outcome(database, poll_id):
    with database.session() as session:
        names = {m.id: m.display_name for m in session.exec(select(Member))}
        ballots = session.exec(select(Ballot).where(Ballot.poll_id == poll_id)).all()
        latest = Counter((names.get(b.member_id), tuple(b.choices)) for b in ballots if b.latest)
        history = Counter((names.get(b.member_id), tuple(b.choices)) for b in ballots)
        voters = sorted(
            names[p.member_id]
            for p in session.exec(select(Participation).where(Participation.poll_id == poll_id))
        )
        return latest, history, voters


def one_at_a_time_and_together(talk, script, *settings):
    alone, together = two_polls(talk, *settings)
    told_alone = [talk.engine.handle(click) for click in clicks_for(alone, script)]
    told_together = talk.engine.handle_all(clicks_for(together, script))
    assert said(told_together) == said(told_alone)
    assert outcome(talk.database, together) == outcome(talk.database, alone)
    return said(told_together)


def test_single_choice_votes_changes_and_repeats_count_the_same(talk):
    script = [(BEN, 0), (CARYS, 1), (BEN, 1), (DEE, 2), (BEN, 1), (CARYS, 0), (*NEWCOMERS[:1], 2)]
    told = one_at_a_time_and_together(talk, script)
    assert "You already voted for “Salad”." in told[4]


def test_each_voter_is_answered_in_their_own_language_together_as_alone(talk):
    talk.says(BEN, NORTH, "me language cy")  # chosen; Carys's platform reports Welsh
    carys_in_welsh = replace(CARYS, locale="cy-GB")
    script = [(BEN, 0), (carys_in_welsh, 1), (DEE, 2), (BEN, 0)]
    told = one_at_a_time_and_together(talk, script)
    assert told[0].startswith("Rydych chi wedi pleidleisio dros “Soup” ym mhôl #N")
    assert told[1].startswith("Rydych chi wedi pleidleisio dros “Salad” ym mhôl #N")
    assert told[2].startswith("You voted “Stew” in poll #N — you can change it until")
    assert told[3] == "Rydych chi eisoes wedi pleidleisio dros “Soup”."


def test_several_choices_toggle_and_respect_the_maximum_the_same(talk):
    script = [(BEN, 0), (BEN, 1), (BEN, 2), (BEN, 0), (BEN, 2), (CARYS, 1), (CARYS, 1)]
    told = one_at_a_time_and_together(talk, script, "--type multi --max 2")
    assert "at most 2" in told[2]
    assert "withdrawn" in told[6]


def test_an_anonymous_vote_once_cast_is_refused_the_same(talk):
    script = [(BEN, 0), (BEN, 1), (CARYS, 2), (CARYS, 2)]
    told = one_at_a_time_and_together(talk, script, "--anonymous")
    assert "already voted" in told[1]


def test_newcomers_join_as_members_once_however_many_times_they_click(talk):
    script = [(who, n % 3) for n, who in enumerate(NEWCOMERS * 2)]
    one_at_a_time_and_together(talk, script)
    with talk.database.session() as session:
        names = [m.display_name for m in session.exec(select(Member))]
    assert sorted(names) == sorted(["Asha Patel", *(p.display_name for p in NEWCOMERS)])


def test_a_member_known_by_a_new_name_is_renamed_by_the_batch_itself(talk, caplog):
    (poll_id, _) = two_polls(talk)
    talk.engine.handle(ActionInvoked(BEN, NORTH, f"vote:{poll_id}:{(poll_id - 1) * 3 + 1}"))
    renamed = person(BEN.user_id, "Ben O'Neill")

    told = talk.engine.handle_all(clicks_for(poll_id, [(renamed, 1), (CARYS, 0)]))

    assert "You voted “Salad”" in said(told)[0]
    assert "storing them one at a time" not in caplog.text  # no fallback to single turns
    with talk.database.session() as session:
        names = {m.display_name for m in session.exec(select(Member))}
    assert "Ben O'Neill" in names
    assert BEN.display_name not in names


def test_closed_polls_foreign_polls_and_unknown_options_are_refused_the_same(talk, clock):
    alone, together = two_polls(talk, "--closes", '"in 1 hour"')
    talk.says(ASHA, SOUTH, 'setup "Southshire"')
    talk.says(ASHA, SOUTH, 'poll "Elsewhere?" "Yes" "No"')
    for poll_id in (alone, together):
        talk.engine.handle(ActionInvoked(BEN, NORTH, f"vote:{poll_id}:{(poll_id - 1) * 3 + 1}"))
    clock.advance(hours=2)
    with talk.database.session() as session:
        elsewhere = session.exec(select(Poll).where(Poll.question == "Elsewhere?")).one()
    odd = [(BEN, 0), (CARYS, 1)]

    def strays(poll_id):
        return [
            *clicks_for(poll_id, odd),
            ActionInvoked(DEE, NORTH, f"vote:{elsewhere.id}:1"),
            ActionInvoked(DEE, NORTH, f"vote:{poll_id}:999"),
            ActionInvoked(EVE, NORTH, "vote:424242:1"),
        ]

    told_alone = [talk.engine.handle(click) for click in strays(alone)]
    told_together = talk.engine.handle_all(strays(together))
    assert said(told_together) == said(told_alone)
    assert "closed" in said(told_together)[0]
    assert "isn't part of this channel's collaborative" in said(told_together)[2]
    assert outcome(talk.database, together) == outcome(talk.database, alone)


def test_other_events_in_a_batch_are_handled_as_usual(talk):
    (poll_id, _) = two_polls(talk)
    events = [
        CommandIssued(BEN, NORTH, "help"),
        *clicks_for(poll_id, [(BEN, 0)]),
        # Not a linked channel: the ordinary turn finds the poll's collaborative, as for
        # the vote buttons a reminder carries to a private chat.
        ActionInvoked(BEN, SOUTH, f"vote:{poll_id}:1"),
    ]
    told = said(talk.engine.handle_all(events))
    assert "What's waiting for you" in told[0]
    assert "You voted “Soup”" in told[1]
    assert "You already voted for “Soup”." in told[2]


def test_a_batch_queues_one_live_update_per_channel_not_one_per_vote(talk):
    (poll_id, _) = two_polls(talk)
    talk.deliver()
    talk.engine.handle_all(clicks_for(poll_id, [(who, 0) for who in NEWCOMERS]))
    with talk.database.session() as session:
        updates = session.exec(
            select(Outbox).where(
                Outbox.status == "pending", Outbox.message_key == f"poll:{poll_id}"
            )
        ).all()
    assert len(updates) == 1


def test_clicks_arriving_together_through_the_runner_are_each_answered(talk):
    (poll_id, _) = two_polls(talk)
    runner = EngineRunner(talk.engine, max_batch=4)
    clicks = clicks_for(poll_id, [(who, n % 3) for n, who in enumerate(NEWCOMERS)])

    async def all_at_once():
        return await asyncio.gather(*(runner.handle(click) for click in clicks))

    told = said(asyncio.run(all_at_once()))
    assert all("You voted" in line for line in told)
    latest, _, voters = outcome(talk.database, poll_id)
    assert sum(latest.values()) == len(NEWCOMERS) == len(voters)


def test_hundreds_of_people_clicking_at_once_leave_one_latest_ballot_each(talk):
    (poll_id, _) = two_polls(talk)
    people = [person(f"p{n}", f"Person {n}") for n in range(200)]
    runner = EngineRunner(talk.engine)
    rounds = 5
    clicks = [
        click
        for r in range(rounds)
        for click in clicks_for(poll_id, [(who, (n + r) % 3) for n, who in enumerate(people)])
    ]

    async def all_at_once():
        return await asyncio.gather(*(runner.handle(click) for click in clicks))

    told = said(asyncio.run(all_at_once()))
    latest, history, voters = outcome(talk.database, poll_id)
    assert sum(latest.values()) == len(people) == len(voters)
    assert sum(history.values()) == len(people) * rounds
    assert sum("You voted" in line for line in told) == len(clicks)


def test_clicks_with_event_ids_are_still_batched_and_a_replay_changes_nothing(talk, monkeypatch):
    (poll_id, _) = two_polls(talk)
    alone = []
    handle = talk.engine.handle
    monkeypatch.setattr(talk.engine, "handle", lambda *a, **k: alone.append(a) or handle(*a, **k))
    runner = EngineRunner(talk.engine, max_batch=4)
    clicks = clicks_for(poll_id, [(who, n % 3) for n, who in enumerate(NEWCOMERS)])
    ids = [f"activity-{n}" for n in range(len(clicks))]
    replays = [(clicks[0], ids[0]), (clicks[1], ids[1]), (clicks[0], ids[0])]

    async def all_at_once():
        arriving = [*zip(clicks, ids, strict=True), *replays]
        return await asyncio.gather(*(runner.handle(c, event_id=i) for c, i in arriving))

    answers = asyncio.run(all_at_once())

    assert alone == []  # every one of them went in a batch
    assert all("You voted" in line for line in said(answers[: len(clicks)]))
    assert answers[len(clicks) :] == [[], [], []]
    latest, history, voters = outcome(talk.database, poll_id)
    assert sum(latest.values()) == sum(history.values()) == len(NEWCOMERS) == len(voters)
    with talk.database.session() as session:
        recorded = session.exec(select(ProcessedEvent.event_id)).all()
    assert sorted(recorded) == sorted(ids)
    assert asyncio.run(runner.handle(clicks[2], event_id=ids[2])) == []  # later, alone
    assert outcome(talk.database, poll_id)[1] == history


def test_a_click_the_batch_leaves_to_the_ordinary_turn_keeps_its_event_id(talk):
    (poll_id, _) = two_polls(talk, "--results after-vote")
    runner = EngineRunner(talk.engine)
    (click,) = clicks_for(poll_id, [(EVE, 0)])

    first = asyncio.run(runner.handle(click, event_id="activity-1"))
    again = asyncio.run(runner.handle(click, event_id="activity-1"))

    assert "You voted" in said([first])[0] and again == []
    assert sum(outcome(talk.database, poll_id)[1].values()) == 1
