"""The digest: one private "waiting for you" message per person, across every collaborative
and platform they are known on, weekly by default (Monday 08:30 in their zone), once.

Northshire meets on Slack and Teams; Southvale only on Teams. Ben is on Slack in Northshire
and on Teams in Southvale, and links his two accounts in Northshire.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from dialogs.collaborative.digests import next_due
from dialogs.core.cards import Card, Fields
from dialogs.core.events import Actor, Place
from dialogs.core.moments import plain
from dialogs.home import digest_card
from dialogs.ticker import Ticker
from storage.models import PersonSetting
from tests.support.conversation import Conversation, TwoPlatforms, poll_buttons

NORTH_SLACK = Place("slack", "T0001", "C0NORTH")
NORTH_TEAMS = Place("teams", "tenant-1", "19:north@thread.tacv2")
SOUTH_TEAMS = Place("teams", "tenant-1", "19:south@thread.tacv2")
ASHA = Actor("slack", "T0001", "U0ASHA", "Asha Patel")
ASHA_TEAMS = Actor("teams", "tenant-1", "29:asha", "Asha Patel")
MEGAN = Actor("teams", "tenant-1", "29:megan", "Megan Bowen")
BEN_SLACK = Actor("slack", "T0001", "U0BEN", "Ben Okafor")
BEN_TEAMS = Actor("teams", "tenant-1", "29:ben", "Ben Okafor")
MONDAY = datetime(2026, 11, 30, 8, 30, tzinfo=UTC)  # 08:30 GMT, the first Monday after the clock


class Digests(TwoPlatforms):
    def digests(self, user_ids: tuple[str, ...]) -> list[tuple[Actor, str]]:
        """Every digest delivered to these accounts so far, as (account, words)."""
        self.deliver()
        return [
            (actor, words(card))
            for actor, card in self.slack.private + self.teams.private
            if actor.user_id in user_ids and card.fallback == "Concord: what is waiting for you"
        ]


def words(card: Card) -> str:
    lines: list[str] = []
    for block in card.blocks:
        if isinstance(block, Fields):
            lines += [f"{item.label}: {item.value}" for item in block.items]
        elif text := getattr(block, "text", ""):
            lines.append(text)
    return plain("\n".join(lines))


BEN = ("U0BEN", "29:ben")


@pytest.fixture
def chat(database, clock) -> Iterator[Digests]:
    conversation = Digests(database, clock)
    conversation.says(ASHA, NORTH_SLACK, 'setup "Northshire"')
    code = conversation.says(ASHA, NORTH_SLACK, "link").split("Link code: ")[1].split()[0]
    conversation.says(ASHA_TEAMS, NORTH_TEAMS, f"link {code}")
    conversation.says(MEGAN, SOUTH_TEAMS, 'setup "Southvale"')
    conversation.says(BEN_SLACK, NORTH_SLACK, "help")
    conversation.says(BEN_TEAMS, SOUTH_TEAMS, "help")
    mine = conversation.says(BEN_SLACK, NORTH_SLACK, "me link").split("Your code: ")[1].split()[0]
    conversation.says(BEN_TEAMS, NORTH_TEAMS, f"me link {mine}")
    yield conversation
    conversation.close()


def open_polls(chat: Digests) -> None:
    chat.says(ASHA, NORTH_SLACK, 'poll "Which shared priority first?" "Discharge" "Workforce"')
    chat.says(MEGAN, SOUTH_TEAMS, 'poll "Meet in January?" "Yes" "No" --anonymous')


def polls_open_until_monday(chat: Digests, clock) -> Ticker:
    """A poll open in each collaborative, and a ticker that has ticked on Monday 08:30."""
    open_polls(chat)
    ticker = Ticker(chat.database, clock)
    ticker.tick()  # everyone is enrolled: their first digest is next Monday 08:30
    clock.now = MONDAY
    ticker.tick()
    return ticker


def test_a_person_on_two_platforms_gets_one_digest_listing_both_collaboratives(chat, clock):
    open_polls(chat)
    ticker = Ticker(chat.database, clock)
    ticker.tick()  # everyone is enrolled: their first digest is next Monday 08:30
    clock.now = MONDAY.replace(minute=29)
    ticker.tick()
    assert chat.digests(BEN) == [], "not before Monday 08:30"

    clock.now = MONDAY
    ticker.tick()
    Ticker(chat.database, clock).tick()  # a second process, or a restart, finds it done
    ((to, shown),) = chat.digests(BEN)

    assert shown.startswith("What's waiting for you\nNorthshire\n")
    assert "Poll #1: Which shared priority first?\nno deadline" in shown
    assert "Southvale\nWaiting for your vote: 1 poll\nPoll #1: Meet in January?" in shown
    assert shown.count("Northshire") == 1 and shown.count("Southvale") == 1
    assert "`me digest daily`, `weekly` or `off` changes how often it comes" in shown
    assert to.user_id in BEN


def test_the_next_digest_comes_a_week_later_and_what_was_voted_on_has_left_it(chat, clock):
    ticker = polls_open_until_monday(chat, clock)
    chat.clicks(BEN_SLACK, NORTH_SLACK, poll_buttons(chat.seen_in(NORTH_SLACK)[-1])["Workforce"])
    clock.advance(days=6)
    ticker.tick()
    assert len(chat.digests(BEN)) == 1, "weekly: nothing on Sunday"

    clock.now = MONDAY + timedelta(days=7)
    ticker.tick()
    (_, shown) = chat.digests(BEN)[-1]
    assert "Which shared priority first?" not in shown
    assert "Northshire" not in shown, "nothing waits there any more"
    assert "Southvale" in shown and "Meet in January?" in shown


def test_each_collaborative_keeps_its_own_items(chat, clock):
    polls_open_until_monday(chat, clock)
    ((_, asha),) = chat.digests(("U0ASHA",))
    assert "Northshire" in asha and "Southvale" not in asha and "Meet in January?" not in asha
    ((_, megan),) = chat.digests(("29:megan",))
    assert "Southvale" in megan and "Northshire" not in megan


def test_nothing_waiting_sends_nothing_and_the_next_one_is_set(chat, clock, database):
    ticker = Ticker(database, clock)
    ticker.tick()
    clock.now = MONDAY
    ticker.tick()
    assert chat.digests(BEN) == []
    with database.session() as session:
        rows = session.exec(select(PersonSetting).where(PersonSetting.user_id == "U0BEN")).all()
    assert [row.digest_next_at for row in rows] == [MONDAY + timedelta(days=7)]


def test_me_digest_says_what_is_set_and_when_in_the_persons_zone(chat, clock):
    shown = chat.says(BEN_SLACK, NORTH_SLACK, "me digest")
    assert "Your digest comes weekly, every Monday at 08:30 (Europe/London, your " in shown
    assert "The next one: Mon 30 Nov 2026 08:30 GMT." in shown
    assert "doesn't come when nothing is" in shown

    shown = chat.says(BEN_TEAMS, SOUTH_TEAMS, "me digest daily")
    assert "Your digest comes daily, every day at 08:30" in shown
    assert "The next one: Fri 27 Nov 2026 08:30 GMT." in shown
    assert "Your digest comes daily" in chat.says(BEN_SLACK, NORTH_SLACK, "me digest"), (
        "written to both of Ben's accounts"
    )


def test_a_daily_digest_comes_every_morning_and_off_stops_it(chat, clock):
    open_polls(chat)
    chat.says(BEN_TEAMS, SOUTH_TEAMS, "me digest daily")
    ticker = Ticker(chat.database, clock)
    for day in (27, 28, 29):
        clock.now = datetime(2026, 11, day, 8, 30, tzinfo=UTC)
        ticker.tick()
    assert len(chat.digests(BEN)) == 3

    shown = chat.says(BEN_SLACK, NORTH_SLACK, "me digest off")
    assert "Your digest is off." in shown and "`me digest weekly`" in shown
    clock.now = MONDAY
    ticker.tick()
    assert len(chat.digests(BEN)) == 3


def test_a_choice_that_isnt_one_is_refused_and_nothing_changes(chat, database):
    shown = chat.says(BEN_SLACK, NORTH_SLACK, "me digest hourly")
    assert "“hourly” isn't a digest choice." in shown
    assert "`me digest daily`, `me digest weekly` or `me digest off`" in shown
    with database.session() as session:
        assert session.exec(select(PersonSetting.digest).distinct()).all() in ([], ["weekly"])


def test_someone_in_no_collaborative_is_told_so_and_nothing_is_stored(chat, database):
    zed = Actor("teams", "tenant-1", "29:zed", "Zed Ahmed")
    shown = chat.says(zed, Place("teams", "tenant-1", "a:zed-personal"), "me digest daily")
    assert "You aren't a member of a collaborative yet, so nothing can wait for you." in shown
    with database.session() as session:
        assert (
            session.exec(select(PersonSetting).where(PersonSetting.user_id == "29:zed")).all() == []
        )


def test_the_morning_stays_0830_across_the_clock_changes():
    spring = next_due("daily", "Europe/London", datetime(2027, 3, 27, 9, 0, tzinfo=UTC))
    assert spring == datetime(2027, 3, 28, 7, 30, tzinfo=UTC), "08:30 BST"
    autumn = next_due("weekly", "Europe/London", datetime(2027, 10, 30, 9, 0, tzinfo=UTC))
    assert autumn == datetime(2027, 11, 1, 8, 30, tzinfo=UTC), "08:30 GMT"
    assert next_due("off", "Europe/London", MONDAY) is None


def test_two_processes_ticking_at_once_send_each_digest_once(chat, clock, database):
    open_polls(chat)
    Ticker(database, clock).tick()
    clock.now = MONDAY
    start = threading.Barrier(2)

    def tick() -> None:
        start.wait()
        Ticker(database, clock, batch=1).tick()

    racers = [threading.Thread(target=tick) for _ in range(2)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert len(chat.digests(BEN)) == 1
    assert len(chat.digests(("U0ASHA",))) == 1
    assert len(chat.digests(("29:asha",))) == 1, "Asha's accounts aren't linked: two people"
    assert len(chat.digests(("29:megan",))) == 1


def test_home_on_either_platform_shows_the_same_list_as_the_digest(chat, clock):
    open_polls(chat)
    on_slack = words(chat.engine.home(BEN_SLACK))
    on_teams = words(chat.engine.home(BEN_TEAMS))
    for shown in (on_slack, on_teams):
        assert "Northshire" in shown and "Which shared priority first?" in shown
        assert "Southvale" in shown and "Meet in January?" in shown
    assert on_slack.count("Southvale\n") == 1, "one Northshire member, listed once"


def test_a_deputy_request_waits_until_it_is_answered(chat, clock):
    chat.says(ASHA, NORTH_SLACK, 'org add "Riverside Trust"')
    for who in (ASHA, BEN_SLACK):
        chat.says(who, NORTH_SLACK, 'org join "Riverside Trust"')
    chat.says(ASHA, NORTH_SLACK, "deputy @Ben Okafor --until 10 December 17:00")
    shown = words(chat.engine.home(BEN_TEAMS))
    assert (
        "Asha Patel asked you to be their deputy until Thu 10 Dec 2026 17:00 GMT: press "
        "Accept or Decline on their message, or type `deputy accept` or `deputy decline` in "
    ) in shown
    chat.says(BEN_SLACK, NORTH_SLACK, "deputy accept")
    assert "deputy" not in words(chat.engine.home(BEN_TEAMS))


def test_a_review_due_waits_for_the_coordinators_answer(chat, clock):
    chat.says(ASHA, NORTH_SLACK, 'poll "Open the hub on Saturdays?" "Yes" "No" --review 3 weeks')
    chat.clicks(BEN_SLACK, NORTH_SLACK, poll_buttons(chat.seen_in(NORTH_SLACK)[-1])["Yes"])
    chat.says(ASHA, NORTH_SLACK, "poll close 1")
    clock.advance(weeks=3)
    Ticker(chat.database, clock).tick()
    shown = words(chat.engine.home(ASHA))
    assert "Decisions to review: 1 review" in shown
    assert "Review of poll #1: Open the hub on Saturdays?\nStill right, change it or drop it?" in (
        shown
    )
    assert "Decisions to review" not in words(chat.engine.home(BEN_SLACK)), "coordinators answer"


def test_a_digest_that_fails_to_build_is_skipped_and_the_others_still_go(
    chat, clock, database, monkeypatch
):
    def broken_for_ben(session, actor, now, identities):
        if actor.user_id in BEN:
            raise RuntimeError("a bug")
        return digest_card(session, actor, now, identities)

    monkeypatch.setattr("dialogs.ticker.digest_card", broken_for_ben)
    polls_open_until_monday(chat, clock)
    assert chat.digests(BEN) == []
    assert len(chat.digests(("29:megan",))) == 1
    with database.session() as session:
        rows = session.exec(select(PersonSetting).where(PersonSetting.user_id.in_(BEN))).all()
    assert {row.digest_next_at for row in rows} == {MONDAY + timedelta(days=7)}


def test_a_digest_lists_four_collaboratives_and_counts_the_rest(database, clock):
    chat = Conversation(database, clock)
    asha, ben = (Actor("playground", "demo", n.lower(), f"{n} X") for n in ("Asha", "Ben"))
    for n in range(1, 6):
        place = Place("playground", "demo", f"room-{n}")
        chat.says(asha, place, f'setup "Partnership {n}"')
        chat.says(asha, place, f'poll "Question {n}?" "Yes" "No"')
        chat.says(ben, place, "help")
    with database.session() as session:
        card = digest_card(session, ben, clock())
    chat.close()
    assert card is not None and len(card.blocks) <= 50
    shown = words(card)
    assert [f"Partnership {n}" in shown for n in range(1, 6)] == [True] * 4 + [False]
    assert "… and 1 more collaborative: type `help` in one of their channels" in shown
