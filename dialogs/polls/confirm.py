"""The question a button asks before doing what can't be taken back: casting an
anonymous vote (nothing links it back to be changed) and closing a poll (voting stops
and the result is announced). Each platform asks it its own way."""

from __future__ import annotations

from dialogs.core.actions import ClosePoll
from dialogs.core.cards import Button, Confirm
from dialogs.core.language import _
from storage.models import Poll


def anonymous_vote(poll: Poll, title: str) -> Confirm | None:
    """What a vote button of `poll` asks first: only in an anonymous poll, whose votes stay."""
    if not poll.settings.get("anonymous"):
        return None
    text = (
        _(
            "Poll #{number} is anonymous: once cast, your vote can't be changed or added to, "
            "because nothing links it back to you."
        )
        if poll.type == "multi"
        else _(
            "Poll #{number} is anonymous: once cast, your vote can't be changed, "
            "because nothing links it back to you."
        )
    )
    return Confirm(
        title=title,
        text=text.format(number=poll.number),
        yes=_("Cast my vote"),
        no=_("Not yet"),
    )


def poll_named(poll: Poll) -> str:
    """A poll as a button's spoken name says it: "poll #3: Where shall we meet?"."""
    return _("poll #{number}: {question}").format(number=poll.number, question=poll.question)


def close_button(poll: Poll) -> Button:
    """Close `poll` now, after asking: for a coordinator's private messages, never a shared one."""
    return Button(
        label=_("Close poll #{number}").format(number=poll.number),
        action=ClosePoll(poll.id).encode(),
        style="danger",
        spoken=_("Close {poll}").format(poll=poll_named(poll)),
        confirm=Confirm(
            title=_("Close poll #{number} now?").format(number=poll.number),
            text=_("Voting stops at once and the result is posted in every linked channel."),
            yes=_("Close it"),
            no=_("Keep it open"),
        ),
    )
