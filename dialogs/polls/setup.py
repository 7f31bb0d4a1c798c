"""A poll's spec checked and the poll created: the same rules for every way in.

`validated_spec` checks what a coordinator asked for (question, options, settings,
timing), whether it came from the `poll` command or the new-poll form
(`dialogs.polls.start`) or from a purpose round; `create_poll` stores a checked
spec, sets its timers and posts it in every channel.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from dialogs.commands.when import describe, moment
from dialogs.core import audit, effects, limits, readable, timers
from dialogs.core.cards import Actions
from dialogs.core.language import N_, _, ngettext
from dialogs.core.messages import poll_key
from dialogs.core.poll_types import DEFAULT_DOTS, POLL_TYPES
from dialogs.core.turn import Refusal, Turn, said
from dialogs.polls import governance
from dialogs.polls.confirm import close_button
from dialogs.polls.organisation_settings import organisation_settings, rule_settings
from dialogs.polls.render import render_poll
from dialogs.polls.results import labels
from dialogs.polls.reviews import setting as reviews
from storage.models import Collaborative, Member, Poll, PollOption
from storage.numbering import next_number

MAX_QUESTION = 300
MAX_OPTION = 150
MAX_OPTIONS = 20
MAX_DESCRIPTION = 1000


@dataclass(frozen=True)
class PollSpec:
    question: str
    options: list[str]
    type: str = "single"
    settings: dict[str, Any] = field(default_factory=dict)
    closes_at: datetime | None = None
    remind_after: int | None = None  # seconds after the poll opens
    description: str = ""
    review_at: datetime | None = None  # when the decision comes up for review
    opens_at: datetime | None = None  # a scheduled poll opens then (`polls.scheduling`)


@dataclass(frozen=True)
class Timing:
    now: datetime
    closes_at: datetime | None = None
    remind_after: int | None = None
    review_at: datetime | None = None
    opens_at: datetime | None = None


def validated_spec(
    turn: Turn, question: str, options: list[str], flags: dict[str, Any], timing: Timing
) -> PollSpec:
    """Check everything a coordinator asked for; the same rules for command and form."""
    poll_type = flags.get("type", "single")
    question = checked_question(question)
    description = checked_description(flags.get("description", ""))
    cleaned = _options(options, POLL_TYPES[poll_type].needs_options)
    settings = _settings(turn, poll_type, flags, len(cleaned))
    checked_timing(timing)
    reviews.checked_after_close(timing.review_at, timing.closes_at)
    return PollSpec(
        question,
        cleaned,
        poll_type,
        settings,
        timing.closes_at,
        timing.remind_after,
        description,
        timing.review_at,
        timing.opens_at,
    )


def checked_timing(timing: Timing) -> None:
    """Refuse an opening at or after the deadline, and a reminder after it (a reminder
    counts from the opening: now, or `opens_at` for a scheduled poll)."""
    if timing.opens_at and timing.closes_at and timing.opens_at >= timing.closes_at:
        raise Refusal(
            _("The poll would close before it opens."),
            _("Use an earlier `--opens`, or a later `--closes`."),
        )
    opening = timing.opens_at or timing.now
    if (
        timing.closes_at
        and timing.remind_after
        and (opening + timedelta(seconds=timing.remind_after) >= timing.closes_at)
    ):
        raise Refusal(
            _("The reminder would come after the poll closes."),
            _("Use a shorter `--remind`, or a later `--closes`."),
        )


def checked_question(question: str) -> str:
    question = readable.tidy(question)
    if not question:
        raise Refusal(
            _("The poll needs a question."),
            _('Type `poll "Question?" "Option" "Option"`, or `poll` alone for a form.'),
        )
    if len(question) > MAX_QUESTION:
        raise Refusal(
            _("The question is {length} characters; the most is {most}.").format(
                length=f"{len(question):,}", most=MAX_QUESTION
            ),
            _("Shorten it, and put detail in a message before the poll."),
        )
    return question


def checked_description(description: str) -> str:
    """The context shown under the question: its paragraphs kept, at most MAX_DESCRIPTION."""
    paragraphs = (readable.tidy(line) for line in description.strip().splitlines())
    description = "\n".join(p for p in paragraphs if p)
    if len(description) > MAX_DESCRIPTION:
        raise Refusal(
            _("The description is {length} characters; the most is {most}.").format(
                length=f"{len(description):,}", most=f"{MAX_DESCRIPTION:,}"
            ),
            _("Keep it to the context people need to vote; link to a longer paper."),
        )
    return description


def _options(options: list[str], needed: bool) -> list[str]:
    cleaned = [readable.tidy(o) for o in options]
    if not needed:
        if cleaned:
            raise Refusal(
                _("A consent poll is about one proposal, so it takes no options."),
                _('Put the proposal in the question: `poll "We adopt …" --type consent`.'),
            )
        return []
    if any(not o for o in cleaned):
        raise Refusal(_("One of the options is empty."), _("Give every option some text."))
    if len(cleaned) < 2:
        raise Refusal(
            _("A poll needs at least two options."),
            _('Put each option in quotes after the question: `poll "Q?" "A" "B"`.'),
        )
    if len(cleaned) > MAX_OPTIONS:
        raise Refusal(
            _("That is {count} options; the most is {most}.").format(
                count=len(cleaned), most=MAX_OPTIONS
            ),
            _("Too many options overwhelm people: group similar ones together."),
        )
    for index, option in enumerate(cleaned):
        check_option(option, cleaned[:index])
    return cleaned


def check_option(option: str, others: list[str]) -> None:
    if len(option) > MAX_OPTION:
        raise Refusal(
            _("An option is {length} characters; the most is {most}.").format(
                length=f"{len(option):,}", most=MAX_OPTION
            ),
            _("Shorten “{start}…”.").format(start=option[:40]),
        )
    if option.casefold() in {o.casefold() for o in others}:
        raise Refusal(
            _("“{option}” is listed twice.").format(option=option), _("Give each option once.")
        )
    reads = readable.key(option)
    if same := next((o for o in others if readable.key(o) == reads), None):
        raise Refusal(
            _(
                "“{option}” reads the same as “{same}”: they differ only in letters that look "
                "alike or characters that can't be seen."
            ).format(option=option, same=same),
            _("Give each option once, in words that read differently."),
        )


def _settings(turn: Turn, poll_type: str, flags: dict[str, Any], options: int) -> dict[str, Any]:
    only = {"max": "multi", "dots": "dots", "objections": "consent"}
    for flag, kind in only.items():
        if flag in flags and poll_type != kind:
            raise Refusal(
                _("`--{flag}` only goes with `--type {kind}`.").format(flag=flag, kind=kind),
                _("Start the poll with `--type {kind}`, or without `--{flag}`.").format(
                    kind=kind, flag=flag
                ),
            )
    settings: dict[str, Any] = {"results": flags.get("results", "live")}
    if poll_type == "multi":
        most = flags.get("max", options)
        if most > options:
            raise Refusal(
                _("`--max {most}` is more than the {count} options.").format(
                    most=most, count=options
                ),
                _("Use a number from 1 to {count}.").format(count=options),
            )
        settings["max"] = most
    if poll_type == "dots":
        settings["dots"] = flags.get("dots", DEFAULT_DOTS)
    if poll_type == "consent":
        settings["objections"] = flags.get("objections", 0)
    for switch in ("anonymous", "open-options"):
        if flags.get(switch):
            settings[switch] = True
    if settings.get("open-options") and not POLL_TYPES[poll_type].needs_options:
        raise Refusal(_("A consent poll has no options to add to."))
    settings |= organisation_settings(turn, flags)
    if flags.get("rule") is not None:
        settings |= rule_settings(turn, poll_type, flags["rule"])
    return settings | governance.poll_settings(turn, flags, settings)


def open_poll(turn: Turn, spec: PollSpec) -> Poll:
    collaborative, member = turn.require_coordinator(N_("start a poll"))
    limits.check_new_poll(turn, collaborative, member)
    poll = create_poll(turn.session, turn.now, collaborative, member, spec)
    if spec.opens_at:
        poll.scheduled_from = effects.channel_lane(turn.place) if turn.channel else None
        turn.say(
            _("Poll #{number} is scheduled").format(number=poll.number),
            _(
                "It opens {when}, posted then in every channel linked to the collaborative. "
                "Nobody else sees it until then."
            ).format(when=moment(spec.opens_at, collaborative.timezone))
            + " "
            + _timing_note(collaborative, spec, spec.opens_at, poll.number),
            _(
                "Until it opens, change it with `poll edit {number}` (`--opens WHEN` moves "
                "the opening) or cancel it with `poll delete {number}`."
            ).format(number=poll.number),
        )
        return poll
    channels = len(effects.channels_of(turn.session, collaborative))
    notice = said(
        _("Poll #{number} is open").format(number=poll.number),
        ngettext("Posted in {count} channel.", "Posted in {count} channels.", channels).format(
            count=channels
        )
        + " "
        + _timing_note(collaborative, spec, turn.now, poll.number),
    )
    # Only the coordinator sees this, so the poll's Close button lives here.
    controls = Actions(elements=[close_button(poll)])
    turn.reply(notice.model_copy(update={"blocks": [*notice.blocks, controls]}))
    return poll


def create_poll(
    session: Session,
    now: datetime,
    collaborative: Collaborative,
    by: Member,
    spec: PollSpec,
    stored: Callable[[Poll], None] | None = None,
) -> Poll:
    """Store a checked poll, set its timers, log it and post it in every channel; a
    scheduled one is only stored, logged and set to open (`dialogs.polls.scheduling`).
    `stored` sees the new poll before it is rendered (a series links it, so its card says
    so)."""
    assert collaborative.id is not None
    number = next_number(session, collaborative.id, Poll)
    poll = Poll(
        collaborative_id=collaborative.id,
        number=number,
        question=spec.question,
        type=spec.type,
        settings=spec.settings,
        created_by=by.id,
        created_at=now,
        closes_at=spec.closes_at,
        status="scheduled" if spec.opens_at else "open",
        opens_at=spec.opens_at,
        remind_after=spec.remind_after if spec.opens_at else None,
        chart_token=secrets.token_urlsafe(24),
        description=spec.description,
    )
    session.add(poll)
    session.flush()
    assert poll.id is not None and collaborative.id is not None
    if stored:
        stored(poll)
    session.add_all(
        PollOption(poll_id=poll.id, position=i, label=label) for i, label in enumerate(spec.options)
    )
    session.flush()
    if spec.review_at:
        reviews.keep(session, now, collaborative, by, spec.review_at, poll_id=poll.id)
    if spec.opens_at:
        timers.schedule(session, collaborative.id, timers.POLL_OPEN, poll.id, "open", spec.opens_at)
        log_opening(session, now, collaborative, by, poll)
        return poll
    start_clocks(session, collaborative, poll, now, spec.remind_after)
    log_opening(session, now, collaborative, by, poll)
    effects.post_everywhere(
        session, now, collaborative, lambda: render_poll(session, poll), poll_key(poll)
    )
    return poll


def start_clocks(
    session: Session, collaborative: Collaborative, poll: Poll, opened: datetime, remind: int | None
) -> None:
    """Set the deadline (a moment) and the reminder (`remind` seconds after `opened`, if that
    comes before the deadline) of a poll that opens now."""
    assert collaborative.id is not None and poll.id is not None
    if poll.closes_at:
        timers.schedule(
            session, collaborative.id, timers.POLL_CLOSE, poll.id, "deadline", poll.closes_at
        )
    remind_at = opened + timedelta(seconds=remind) if remind else None
    if remind_at and (poll.closes_at is None or remind_at < poll.closes_at):
        timers.schedule(
            session, collaborative.id, timers.POLL_REMIND, poll.id, "reminder", remind_at
        )


def log_opening(
    session: Session,
    now: datetime,
    collaborative: Collaborative,
    by: Member | None,
    poll: Poll,
) -> None:
    """The decision log's entry for a poll opened or scheduled, with everything it asks."""
    scheduled = poll.status == "scheduled"

    def summary() -> str:
        if scheduled and poll.opens_at:
            when = describe(poll.opens_at, collaborative.timezone)
            done = _("scheduled poll #{number} to open {when}").format(
                number=poll.number, when=when
            )
        else:
            done = _("opened poll #{number}").format(number=poll.number)
        return f"{done}: {poll.question}"

    audit.record(
        session,
        now,
        collaborative,
        by,
        "poll.schedule" if scheduled else "poll.open",
        summary,
        poll=poll.number,
        options=labels(session, poll),
        type=poll.type,
        settings=poll.settings,
        description=poll.description,
    )


def _timing_note(collaborative: Collaborative, spec: PollSpec, now: datetime, number: int) -> str:
    zone = collaborative.timezone
    notes = [
        _("It closes {when}.").format(when=moment(spec.closes_at, zone))
        if spec.closes_at
        else _("Close it with `poll close {number}`.").format(number=number)
    ]
    if spec.remind_after:
        remind_at = describe(now + timedelta(seconds=spec.remind_after), zone)
        notes.append(_("Members who haven't voted get one reminder {when}.").format(when=remind_at))
    if spec.review_at:
        notes.append(
            _("The decision comes up for review {when}.").format(
                when=describe(spec.review_at, zone)
            )
        )

    return " ".join(notes)
