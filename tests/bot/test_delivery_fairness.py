"""A flood of new posts starves nothing: a lane's updates of messages people are voting
on go before its backlog of new posts, and another collaborative's channel keeps its
pace (each lane offers one head a round). Fake clock, Slack's limits (a post a second
per channel), nothing sleeps.
"""

from __future__ import annotations

from dialogs.core.ports import DeliveryLimits, Limit
from tests.bot.test_delivery_dispatcher import (
    FakePlatform,
    dispatcher,
    drain_for,
    link_channels,
    post,
    posted_copy,
    queue,
    slack,
    update,
)

FLOOD = 300


def test_a_flood_of_new_polls_delays_neither_a_live_update_nor_another_collaborative(
    database, clock
):
    a = link_channels(database, clock, slack("CA"))
    link_channels(database, clock, slack("CB"))
    posted_copy(database, "poll:1", a["CA"], clock())
    clock.advance(seconds=60)
    queue(database, clock, *(post(slack("CA"), f"flood {n}") for n in range(FLOOD)))
    queue(database, clock, update(slack("CA"), "poll:1", "Soup 1 vote"))
    queue(database, clock, post(slack("CB"), "B's poll"))
    platform = FakePlatform(clock)

    drain_for(5, 0.5, clock, dispatcher(database, clock, platform))

    sent = [d.text for d in platform.delivered]
    # The first round sends every lane's head at once: A's update (it goes before A's
    # posts), B's poll; the flood goes on at a post a second.
    assert set(sent[:2]) == {"Soup 1 vote", "B's poll"}
    assert sent[2:] == [f"flood {n}" for n in range(len(sent) - 2)]


def test_an_update_never_overtakes_the_post_of_its_own_message(database, clock):
    link_channels(database, clock, slack("CA"))
    queue(database, clock, *(post(slack("CA"), f"flood {n}") for n in range(3)))
    poll = post(slack("CA"), "Poll #4").model_copy(update={"key": "poll:4"})
    queue(database, clock, poll, update(slack("CA"), "poll:4", "Poll #4: 1 vote"))
    platform = FakePlatform(clock)

    drain_for(12, 0.5, clock, dispatcher(database, clock, platform))

    sent = [d.text for d in platform.delivered]
    assert sent == ["flood 0", "flood 1", "flood 2", "Poll #4", "Poll #4: 1 vote"]


def test_a_flood_in_one_workspace_channel_takes_turns_with_another_collaborative(database, clock):
    """Both channels share one workspace-wide budget of a call a second: the channel
    with less waiting goes first, so B's poll is not held behind A's 50."""
    link_channels(database, clock, slack("CA"))
    link_channels(database, clock, slack("CB"))
    queue(database, clock, *(post(slack("CA"), f"flood {n}") for n in range(50)))
    queue(database, clock, post(slack("CB"), "B's poll"))
    workspace_wide = DeliveryLimits(limits=(Limit(1, 1.0, scope="tenant"),))
    platform = FakePlatform(clock, limits=workspace_wide)

    drain_for(5, 0.5, clock, dispatcher(database, clock, platform))

    sent = [d.text for d in platform.delivered]
    assert sent.index("B's poll") < 2
