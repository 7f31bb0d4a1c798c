"""500 members each changing their vote ten times, all at once: every vote counts exactly once,
and the live message ends up showing exactly the tally."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import func, select

from dialogs.core.events import ActionInvoked
from storage.models import Ballot
from tests.support.conversation import ASHA, NORTH, Conversation, counts, person, poll_buttons

MEMBERS = 500
CHANGES = 10
LABELS = ["Beds", "Discharge", "Workforce", "Data"]


def test_500_members_revoting_ten_times_at_once_give_exact_counts(database, clock):
    chat = Conversation(database, clock)
    chat.says(ASHA, NORTH, 'setup "Region-wide"')
    chat.says(ASHA, NORTH, 'poll "Which first?" ' + " ".join(f'"{label}"' for label in LABELS))
    buttons = poll_buttons(chat.last_message(NORTH))
    members = [person(f"m{n}", f"Member {n}") for n in range(MEMBERS)]

    def vote_ten_times(n: int) -> None:
        for change in range(CHANGES):  # each change differs from the one before
            label = LABELS[(n + change) % len(LABELS)]
            chat.engine.handle(ActionInvoked(members[n], NORTH, buttons[label]))

    # 16 at once: within the PostgreSQL pool (10 + 10), as behind a real web server.
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(vote_ten_times, range(MEMBERS)))

    expected = Counter(LABELS[(n + CHANGES - 1) % len(LABELS)] for n in range(MEMBERS))
    with database.session() as session:
        latest = session.exec(select(func.count()).select_from(Ballot).where(Ballot.latest)).one()
        history = session.exec(select(func.count()).select_from(Ballot)).one()
    assert latest == MEMBERS
    assert history == MEMBERS * CHANGES, "every change of mind is kept"
    chat.deliver()
    clock.advance(seconds=2)  # past the re-render window: the final render goes out
    chat.deliver()
    assert counts(chat.last_message(NORTH)) == {label: expected[label] for label in LABELS}
    chat.close()
