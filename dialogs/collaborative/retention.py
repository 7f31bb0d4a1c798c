"""How long a collaborative keeps people's written words and closed polls: `retention`
(anyone may read it), `retention free-text 24 months` and `retention closed-polls 6 years`
(coordinators); and what removing written words leaves behind, `retention removed-words
replace|remove`, for both retention and `me forget`.

UK GDPR's storage limitation asks an organisation to keep personal data no longer than it
needs it, and to say how long that is. The periods are whole calendar months (years are
twelve of them); the daily job in `dialogs.collaborative.retention_job` clears what is past
its time. A period shorter than a poll still open or scheduled would clear that poll's
words and votes before its own result is known, so it is refused, naming the poll.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from dialogs.commands.syntax import Command
from dialogs.commands.values import clip
from dialogs.core.language import N_, _, ngettext
from dialogs.core.moments import describe
from dialogs.core.turn import Refusal, Turn
from storage.forget import MARKER, REMOVE
from storage.models import Collaborative, Poll, PollSeries

FREE_TEXT, CLOSED_POLLS = "free-text", "closed-polls"
DEFAULT_MONTHS = {FREE_TEXT: 24, CLOSED_POLLS: 72}
LONGEST_MONTHS = 1200  # a hundred years: anything longer is a slip, not a policy
# Stored in the words' place as it is (the source language), and looked for again by the job.
REPLACED = N_("[removed after the retention period]")
CHANGING = N_("change how long Concord keeps people's words and votes")
_PERIOD = re.compile(r"(\d{1,5}) ?(months?|years?)")
_USAGE = N_(
    "Type a number of months or years, like `retention free-text 24 months` or "
    "`retention closed-polls 6 years`."
)


# What removed written words leave behind, as `Collaborative.forgotten_text` holds it.
LEAVES = {
    "replace": N_("a note in their place (“{marker}”, or “{replaced}”)"),
    REMOVE: N_("nothing in their place (a reason an objection needs keeps a note)"),
}
_LEAVES_USAGE = N_("Type `retention removed-words replace` or `retention removed-words remove`.")


def leaves(way: str) -> str:
    """What removed written words leave behind, in words, when `way` is chosen."""
    return _(LEAVES[way]).format(marker=MARKER, replaced=REPLACED)


@dataclass(frozen=True)
class Setting:
    """One retention period: its column on `Collaborative` and what it covers, in words."""

    column: str
    covers: str  # N_: translated where said


SETTINGS = {
    FREE_TEXT: Setting(
        "retention_free_text_months",
        N_(
            "Written words (check-in comments, proposals, reasons given for objections, "
            "poll drafts)"
        ),
    ),
    CLOSED_POLLS: Setting("retention_closed_poll_months", N_("Closed polls' ballots")),
}


def retention(turn: Turn, command: Command) -> None:
    """`retention`: the periods, what each covers and what happens after it."""
    collaborative, __ = turn.in_collaborative()
    lines = [_line(collaborative, what) for what in SETTINGS]
    turn.say(
        _("How long {name} keeps people's words and votes").format(name=collaborative.name),
        *lines,
        _(
            "A daily job clears what is past its time and writes the counts (never the words) "
            "in the decision log, which is kept as long as the collaborative."
        ),
        _(
            "Written words removed at their author's request (`me forget`) or after their time "
            "leave {leaves}."
        ).format(leaves=leaves(collaborative.forgotten_text)),
        _(
            "Coordinators change a period with `retention free-text 24 months` or "
            "`retention closed-polls 6 years`, and what removed words leave with "
            "`retention removed-words replace|remove`."
        ),
    )


def removed_words(turn: Turn, command: Command) -> None:
    """`retention removed-words replace|remove`: what removed written words leave behind."""
    collaborative, __ = turn.require_coordinator(CHANGING)
    way = command.args["way"].strip().lower()
    if way not in LEAVES:
        raise Refusal(
            _("“{typed}” is not a choice here.").format(typed=clip(command.args["way"], 30)),
            _(_LEAVES_USAGE),
        )
    was = collaborative.forgotten_text
    if was == way:
        turn.say(_("Removed written words already leave {leaves}.").format(leaves=leaves(way)))
        return
    collaborative.forgotten_text = way
    turn.audit(
        "settings",
        lambda: _("set what removed written words leave: {way} (was {old_way})").format(
            way=way, old_way=was
        ),
        retention="removed-words",
        way=way,
        was=was,
    )
    turn.say(
        _(
            "From now on, written words removed at their author's request or after their time "
            "leave {leaves}."
        ).format(leaves=leaves(way)),
        _("Words removed before stay as they were."),
    )


def free_text(turn: Turn, command: Command) -> None:
    _change(turn, command, FREE_TEXT)


def closed_polls(turn: Turn, command: Command) -> None:
    _change(turn, command, CLOSED_POLLS)


def _change(turn: Turn, command: Command, what: str) -> None:
    collaborative, __ = turn.require_coordinator(CHANGING)
    typed = f"{command.args['count']} {command.args.get('unit') or ''}".strip()
    months = read_period(typed, what)
    setting = SETTINGS[what]
    _check_against_polls(turn, collaborative, months, what)
    was = getattr(collaborative, setting.column)
    if was == months:
        turn.say(
            _("{what} are already kept for {period}.").format(
                what=_(setting.covers), period=in_words(months)
            )
        )
        return
    setattr(collaborative, setting.column, months)
    turn.audit(
        "settings",
        lambda: _("set how long {what} is kept: {period} (was {old_period})").format(
            what=what, period=in_words(months), old_period=in_words(was)
        ),
        retention=what,
        months=months,
        was=was,
    )
    turn.say(
        _("{what} are now kept for {period}.").format(
            what=_(setting.covers), period=in_words(months)
        ),
        _line(collaborative, what),
        _("The daily job applies it from tonight."),
    )


def read_period(text: str, what: str) -> int:
    """Whole months from "24 months" or "6 years"; a refusal saying what to type otherwise."""
    words = " ".join(text.lower().split())
    if not words:
        raise Refusal(_("Say how long {what} should be kept.").format(what=what), _(_USAGE))
    if words.isdigit():
        raise Refusal(_("Say whether {number} is months or years.").format(number=words), _(_USAGE))
    found = _PERIOD.fullmatch(words)
    if found is None:
        raise Refusal(
            _("“{typed}” is not a period Concord can read.").format(typed=clip(text, 30)),
            _(_USAGE),
        )
    months = int(found.group(1)) * (12 if found.group(2).startswith("year") else 1)
    if months < 1:
        raise Refusal(
            _("{what} can't be kept for no time at all: the least is 1 month.").format(what=what),
            _(_USAGE),
        )
    if months > LONGEST_MONTHS:
        raise Refusal(
            _("“{typed}” is too long: the most is 100 years.").format(typed=clip(text, 30)),
            _(_USAGE),
        )
    return months


def in_words(months: int) -> str:
    """ "1 month", "18 months", "1 year", "6 years"."""
    if months % 12 == 0:
        return ngettext("{count} year", "{count} years", months // 12).format(count=months // 12)
    return ngettext("{count} month", "{count} months", months).format(count=months)


def months_before(moment: datetime, months: int) -> datetime:
    """`moment` moved back `months` calendar months (31 March less one month: 28 or 29
    February), at the same time of day."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _line(collaborative: Collaborative, what: str) -> str:
    setting = SETTINGS[what]
    months = getattr(collaborative, setting.column)
    said = dict(what=_(setting.covers), period=in_words(months), after=_after(collaborative, what))
    if months == DEFAULT_MONTHS[what]:
        return _("{what}: {period} (the default); after that, {after}.").format(**said)
    return _("{what}: {period}; after that, {after}.").format(**said)


def _after(collaborative: Collaborative, what: str) -> str:
    """What the daily job does with what is past its time."""
    if what == CLOSED_POLLS:
        return _(
            "the ballots are unlinked from the people who cast them and earlier changes of "
            "vote are removed; the counts, the result and the decision log stay"
        )
    if collaborative.forgotten_text == "replace":
        return _("they are replaced with “{replaced}”").format(replaced=REPLACED)
    return _("they are removed (a reason an objection needs is replaced instead)")


def _check_against_polls(turn: Turn, collaborative: Collaborative, months: int, what: str) -> None:
    """Refuse a period shorter than the longest poll open, scheduled or set to recur."""
    period = turn.now - months_before(turn.now, months)
    longest = _longest_poll(turn, collaborative)
    if longest is None or longest[0] <= period:
        return
    length, named = longest
    needed = next(m for m in range(months, LONGEST_MONTHS + 1) if _covers(turn.now, m, length))
    raise Refusal(
        _(
            "{poll} runs for {days}, longer than {period}: a poll's words and votes must be "
            "kept at least as long as it runs."
        ).format(poll=named, days=_days(length), period=in_words(months)),
        _("Choose at least {period}, or close the poll first.").format(period=in_words(needed)),
    )


def _covers(now: datetime, months: int, length: timedelta) -> bool:
    return now - months_before(now, months) >= length


def _longest_poll(turn: Turn, collaborative: Collaborative) -> tuple[timedelta, str] | None:
    """The longest poll open, scheduled or recurring, and how to name it."""
    found: list[tuple[timedelta, str]] = []
    polls = turn.session.exec(
        select(Poll).where(
            Poll.collaborative_id == collaborative.id,
            col(Poll.status).in_(("open", "scheduled")),
            col(Poll.closes_at).is_not(None),
        )
    ).all()
    for poll in polls:
        assert poll.closes_at is not None
        start = poll.opens_at or poll.created_at
        ends = describe(poll.closes_at, collaborative.timezone)
        named = _("Poll #{number} “{question}” (to {ends})").format(
            number=poll.number, question=clip(poll.question, 60), ends=ends
        )
        found.append((poll.closes_at - start, named))
    series = turn.session.exec(
        select(PollSeries).where(
            PollSeries.collaborative_id == collaborative.id,
            PollSeries.status == "active",
            col(PollSeries.closes_after).is_not(None),
        )
    ).all()
    for one in series:
        assert one.closes_after is not None
        named = _("Recurring poll {number} (`poll series`)").format(number=one.number)
        found.append((timedelta(seconds=one.closes_after), named))
    return max(found, key=lambda pair: pair[0]) if found else None


def _days(length: timedelta) -> str:
    days = max(1, round(length.total_seconds() / 86400))
    return ngettext("{count} day", "{count} days", days).format(count=days)
