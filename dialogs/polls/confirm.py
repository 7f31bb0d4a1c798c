"""The question a button asks before doing what can't be taken back: casting an
anonymous vote (nothing links it back to be changed) and closing a poll (voting stops
and the result is announced). Each platform asks it its own way."""

from __future__ import annotations

from dialogs.core.actions import ClosePoll
from dialogs.core.cards import Button, Confirm
from storage.models import Poll


def anonymous_vote(poll: Poll, title: str) -> Confirm | None:
    """What a vote button of `poll` asks first: only in an anonymous poll, whose votes stay."""
    if not poll.settings.get("anonymous"):
        return None
    changed = "changed or added to" if poll.type == "multi" else "changed"
    return Confirm(
        title=title,
        text=f"Poll #{poll.number} is anonymous: once cast, your vote can't be {changed}, "
        "because nothing links it back to you.",
        yes="Cast my vote",
        no="Not yet",
    )


def poll_named(poll: Poll) -> str:
    """A poll as a button's spoken name says it: "poll #3: Where shall we meet?"."""
    return f"poll #{poll.number}: {poll.question}"


def close_button(poll: Poll) -> Button:
    """Close `poll` now, after asking: for a coordinator's private messages, never a shared one."""
    return Button(
        label=f"Close poll #{poll.number}",
        action=ClosePoll(poll.id).encode(),
        style="danger",
        spoken=f"Close {poll_named(poll)}",
        confirm=Confirm(
            title=f"Close poll #{poll.number} now?",
            text="Voting stops at once and the result is posted in every linked channel.",
            yes="Close it",
            no="Keep it open",
        ),
    )
