"""Why a member may not vote in a poll now, and the refusals of a vote that names a poll
or an option that isn't there: shared by `dialogs.polls.voting` and its batches."""

from __future__ import annotations

from datetime import datetime

from dialogs.commands.when import describe
from dialogs.core.language import _
from dialogs.core.turn import Refusal
from dialogs.polls import scheduling
from storage.models import Collaborative, Member, Poll


def vote_refusal(
    collaborative: Collaborative, member: Member, poll: Poll, now: datetime, participated: bool
) -> Refusal | None:
    """Why `member` may not vote in `poll` now, or None; `participated` matters when anonymous."""
    if poll.status == "scheduled":
        return scheduling.not_yet(poll, collaborative.timezone)
    if poll.closes_at is not None and now >= poll.closes_at and poll.status == "open":
        # The deadline has passed even if its timer hasn't fired yet: a deadline is a deadline.
        closed = describe(poll.closes_at, collaborative.timezone)
        return Refusal(
            _("Poll #{number} closed {moment}.").format(number=poll.number, moment=closed),
            _("Its result is posted in every linked channel."),
        )
    if poll.status == "deleted":
        return Refusal(
            _("Poll #{number} was deleted.").format(number=poll.number),
            _("Type `poll list` to see the polls."),
        )
    if poll.status != "open":
        return Refusal(
            _("Poll #{number} is closed; votes can no longer be changed.").format(
                number=poll.number
            ),
            _("See the result with `poll results {number}`.").format(number=poll.number),
        )
    return _member_refusal(collaborative, member, poll, participated)


def _member_refusal(
    collaborative: Collaborative, member: Member, poll: Poll, participated: bool
) -> Refusal | None:
    if member.role == "observer":
        return Refusal(
            _("Observers see polls but do not vote."),
            _("Ask a coordinator to make you a member if you should vote."),
        )
    if collaborative.require_organisation and member.organisation_id is None:
        return Refusal(
            _("Say which organisation you belong to before you vote."),
            _('Type `org join "Name"` (see `org list`).'),
        )
    if poll.settings.get("anonymous") and participated:
        return Refusal(
            _("You have already voted in poll #{number}.").format(number=poll.number),
            _("It is anonymous, so votes can't be changed: nothing links yours back to you."),
        )
    return None


def not_this_collaboratives_poll() -> Refusal:
    return Refusal(
        _("That poll isn't part of this channel's collaborative."),
        _("Type `poll list` to see this collaborative's polls."),
    )


def not_this_polls_option() -> Refusal:
    return Refusal(_("That option isn't part of this poll."), _("Use the poll's own buttons."))
