"""Scheduled polls: `poll … --opens WHEN` stores a poll as "scheduled" and sets a
`timers.POLL_OPEN` timer; when it fires (`dialogs.ticker`, exactly once however many
processes tick), the poll opens here and is posted in every channel linked to the
collaborative at that moment, its deadline and reminder clocks starting then.

Until then it is the coordinators' alone: it can be edited or deleted, and anything asked
of it as a poll (votes, results, export, close) is refused in the words of `not_yet`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col

from dialogs.commands.values import parse_duration
from dialogs.commands.when import describe, moment, parse_picked
from dialogs.core import bilingual, effects, timers
from dialogs.core.cards import Card, Context, Text
from dialogs.core.events import Place
from dialogs.core.language import N_, _, ngettext
from dialogs.core.messages import poll_key
from dialogs.core.turn import Refusal
from dialogs.polls.render import render_poll
from dialogs.polls.setup import PollSpec, Timing, log_opening, start_clocks
from storage.models import Collaborative, Poll, Timer


def not_yet(poll: Poll, timezone: str, cannot: str = N_("it can't take votes yet")) -> Refusal:
    """The refusal for anything a scheduled poll can't do before it opens (`cannot`, a
    clause, comes translated or marked with `N_`)."""
    assert poll.opens_at is not None
    return Refusal(
        _("Poll #{number} opens {when}; {cannot}.").format(
            number=poll.number, when=moment(poll.opens_at, timezone), cannot=_(cannot)
        ),
        _(
            "Until then a coordinator can change it with `poll edit {number}` "
            "or cancel it with `poll delete {number}`."
        ).format(number=poll.number),
    )


def refuse_if_scheduled(poll: Poll, timezone: str, cannot: str) -> None:
    if poll.status == "scheduled":
        raise not_yet(poll, timezone, cannot)


def open_when_due(session: Session, now: datetime, timer: Timer) -> None:
    """The POLL_OPEN timer: open the poll (unless deleted meanwhile), post it in every
    channel linked now, start its clocks, and tell the coordinators what went unusual."""
    poll = session.get(Poll, timer.subject_id)
    if poll is None or poll.status != "scheduled" or poll.opens_at is None:
        return
    opening = session.execute(
        update(Poll)
        .where(col(Poll.id) == poll.id, col(Poll.status) == "scheduled")
        .values(status="open")
    )
    if opening.rowcount != 1:  # type: ignore[attr-defined]
        return  # deleted or opened meanwhile, in another process
    poll.status = "open"
    collaborative = session.get(Collaborative, poll.collaborative_id)
    assert collaborative is not None
    zone = collaborative.timezone
    due = describe(poll.opens_at, zone)
    late = now - poll.opens_at > timers.GRACE
    if late:
        poll.notice = bilingual.shared_text(  # kept on the poll, which every channel reads
            collaborative,
            lambda: _("Opened late, {when}: it was due {due}.").format(
                when=describe(now, zone), due=describe(poll.opens_at, zone)
            ),
            running=True,
        )
    start_clocks(session, collaborative, poll, now, poll.remind_after)
    log_opening(session, now, collaborative, None, poll)
    places = effects.channels_of(session, collaborative)
    effects.post_everywhere(
        session, now, collaborative, lambda: render_poll(session, poll), poll_key(poll)
    )
    if _notes(poll, places, collaborative.name, due if late else None):

        def card() -> Card:  # in each coordinator's language
            notes = _notes(poll, places, collaborative.name, due if late else None)
            return Card(
                blocks=[Text(text=notes[0], tone="warning"), *(Context(text=n) for n in notes[1:])],
                fallback=notes[0],
            )

        effects.notify_coordinators(session, now, collaborative, card)


def _notes(poll: Poll, places: list[Place], collaborative: str, late_from: str | None) -> list[str]:
    """What the coordinators are told at the opening: nothing when all went as planned."""
    named = {"number": poll.number, "question": poll.question}
    notes: list[str] = []
    if not places:
        notes.append(
            _(
                "Poll #{number} ({question}) opened, but no channel is linked to "
                "{collaborative}, so it was not posted anywhere."
            ).format(**named, collaborative=collaborative)
        )
        notes.append(
            _(
                "Members can still vote with `vote`; link a channel with a code from `link`, "
                "or cancel it with `poll delete {number}` while nobody has voted."
            ).format(number=poll.number)
        )
    elif poll.scheduled_from and poll.scheduled_from not in map(effects.channel_lane, places):
        count = len(places)
        notes.append(
            ngettext(
                "Poll #{number} ({question}) opened. The channel it was scheduled from is no "
                "longer linked, so it was posted in the {count} channel linked now.",
                "Poll #{number} ({question}) opened. The channel it was scheduled from is no "
                "longer linked, so it was posted in the {count} channels linked now.",
                count,
            ).format(**named, count=count)
        )
    if late_from:
        notes.append(
            _(
                "Poll #{number} ({question}) opened late: it was due {due}, when Concord was "
                "not running. Its deadline stands; its reminder counts from now."
            ).format(**named, due=late_from)
        )
    return notes


def timing_values(poll: Poll) -> dict[str, str]:
    """A scheduled poll's timing as its edit form's fields hold it."""
    assert poll.opens_at is not None
    values = {"opens": poll.opens_at.isoformat()}
    if poll.closes_at:
        values["closes"] = poll.closes_at.isoformat()
    if poll.remind_after:
        values["remind"] = f"{poll.remind_after // 60}m"
    return values


def typed_timing(now: datetime, poll: Poll, typed: dict[str, str], timezone: str) -> Timing:
    """The timing an edit of a scheduled poll asks for (checked later, like a new poll's)."""
    if not typed.get("opens"):
        raise Refusal(
            _("Say when poll #{number} opens.").format(number=poll.number),
            _("Pick a time, or cancel it with `poll delete {number}`.").format(number=poll.number),
        )
    closes, remind = typed.get("closes"), typed.get("remind")
    return Timing(
        now,
        parse_picked(closes, now, timezone) if closes else None,
        parse_duration(remind, _("“Remind after”")) if remind else None,
        opens_at=parse_picked(typed["opens"], now, timezone),
    )


def timing_changes(poll: Poll, spec: PollSpec, timezone: str) -> list[str]:
    """The changes to a scheduled poll's timing, in words."""
    changes = []
    if spec.opens_at != poll.opens_at and spec.opens_at:
        changes.append(_("opening moved to {when}").format(when=describe(spec.opens_at, timezone)))
    if spec.closes_at != poll.closes_at:
        changes.append(
            _("deadline set to {when}").format(when=describe(spec.closes_at, timezone))
            if spec.closes_at
            else _("deadline removed")
        )
    if spec.remind_after != poll.remind_after:
        changes.append(_("reminder changed") if spec.remind_after else _("reminder removed"))

    return changes


def store_timing(session: Session, poll: Poll, spec: PollSpec) -> None:
    """Keep a scheduled poll's new timing, its opening timer moved with it."""
    assert poll.id is not None and spec.opens_at is not None
    poll.opens_at, poll.closes_at, poll.remind_after = (
        spec.opens_at,
        spec.closes_at,
        spec.remind_after,
    )
    timers.reschedule(
        session, poll.collaborative_id, timers.POLL_OPEN, poll.id, "open", spec.opens_at
    )
