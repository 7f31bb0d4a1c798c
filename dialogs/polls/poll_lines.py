"""The lines of a poll's message that say how it works: its status (number, how to vote,
open or closed, until when votes can change), whether its figures are hidden, and what
consent's stances mean; who asked, and how many have voted while the figures are hidden."""

from __future__ import annotations

from dialogs.commands.when import moment
from dialogs.core.language import N_, _, ngettext
from dialogs.core.poll_types import POLL_TYPES
from storage.models import Collaborative, Member, Poll

ANONYMOUS = N_(
    "Anonymous: nobody, coordinators included, can see who voted what. "
    "Each member votes once, and the vote can't be changed."
)


def asked_by(asker: Member | None) -> str:
    """Who asked the question: the coordinator by name, if they are still known."""
    if asker is None:
        return _("Asked by a coordinator")
    return _("Asked by {name}").format(name=asker.display_name)


def have_voted(count: int) -> str:
    """How many have voted, said where the figures are hidden."""
    return ngettext("{count} person has voted", "{count} people have voted", count).format(
        count=count
    )


def stances_explained(poll: Poll) -> str:
    """What each consent stance means, and what it takes to adopt the proposal (D-20)."""
    allowed = poll.settings.get("objections", 0)
    threshold = (
        ngettext("at most {count} objection", "at most {count} objections", allowed)
        if allowed
        else _("no objections")
    )
    return _(
        "Agree: you support it. Can live with it: not your first choice, but you won't stand "
        "in its way. Object: a concern everyone should hear — the harm it would do to our aim, "
        "and what would resolve it. Block: you can't accept it, with the same two answers. "
        "It is adopted with no blocks and {threshold}."
    ).format(threshold=threshold.format(count=allowed))


def status_line(poll: Poll, collaborative: Collaborative) -> str:
    """The status line: "Poll #3 · one choice · open · votes can be changed until Fri 17:00"."""
    how = _(POLL_TYPES[poll.type].how)
    if poll.type == "multi":
        most = poll.settings["max"]
        how = ngettext("up to {count} choice", "up to {count} choices", most).format(count=most)
    if poll.type == "dots":
        dots = poll.settings["dots"]
        how = ngettext("spread {count} dot", "spread {count} dots", dots).format(count=dots)
    head = _("Poll #{number}").format(number=poll.number)
    if poll.status != "open":
        return " · ".join([head, how, _("closed")])
    parts = [head, how, _("open")]
    until = moment(poll.closes_at, collaborative.timezone) if poll.closes_at else None
    if not poll.settings.get("anonymous"):
        parts.append(
            _("votes can be changed until {moment}").format(moment=until)
            if until
            else _("votes can be changed until it closes")
        )
    elif until:
        parts.append(_("closes {moment}").format(moment=until))
    return " · ".join(parts)


def hidden_note(poll: Poll) -> str:
    """Why the figures are not shown yet, and when they will be."""
    if poll.settings.get("results") == "after-vote":
        return _("Results are shown to each person after they vote, and to everyone at the close.")
    return _("Results are hidden until the poll closes.")
