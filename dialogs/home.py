"""A person's home: what is waiting for them in each collaborative they belong to.

One neutral list per person, read from the database without changing it: the
Slack adapter publishes it as the App Home tab, `home` (and bare `help` outside a
collaborative's channel, as in a Teams personal chat) shows it anywhere, and the
digest (`digest_card`, sent by the ticker) sends it. It lists only what asks
something of the person — open polls they have not voted in, open check-ins they
have not answered, a purpose round wanting their proposal, decision reviews due
(coordinators answer them) and deputy requests awaiting their answer — so it stays
short and nothing in it nags about what is already done. Observers don't vote or
answer, so for them it says what they observe instead.

A person is every account `me link` joined: the list covers each collaborative where
any of their accounts is a member, once.

Bare `help` in a channel starts from the same view, for that one collaborative.

The card is kept within 50 blocks (a Slack message's limit; a Home tab allows
100) by listing at most `MAX_COLLABORATIVES` collaboratives and `MAX_ITEMS`
polls and check-ins in each, and counting the rest.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from dialogs.checkins.open_runs import open_runs
from dialogs.collaborative.channels import newcomer_card
from dialogs.collaborative.deputies import asked_of
from dialogs.collaborative.people import linked_identities
from dialogs.commands.help import guide, reference_card
from dialogs.commands.syntax import Command
from dialogs.commands.when import moment
from dialogs.core.cards import Block, Card, Context, Divider, FieldItem, Fields, Heading, Text
from dialogs.core.events import Actor
from dialogs.core.language import N_, _, ngettext
from dialogs.core.turn import Turn, with_article
from dialogs.polls.open_polls import open_polls
from dialogs.polls.reviews.setting import awaiting_answer
from dialogs.purpose import rounds
from dialogs.purpose.cards import stage_line
from storage.models import (
    Channel,
    CheckinRun,
    CheckinSchedule,
    Collaborative,
    Deputy,
    Identity,
    Member,
    Organisation,
    Poll,
    Proposal,
)

MAX_COLLABORATIVES = 4
MAX_ITEMS = 10
NO_PURPOSE = N_("No shared purpose adopted yet — a coordinator can start one with `purpose start`.")
FALLBACK = N_("Concord: what is waiting for you")
WAITING = N_("What's waiting for you")


def home_card(session: Session, actor: Actor, now: datetime) -> Card:
    """The home card of the person `actor` names, as things stand at `now`."""
    memberships = _memberships(session, actor)
    if not memberships:
        return newcomer_card()
    blocks: list[Block] = []
    for member, collaborative, organisation in memberships[:MAX_COLLABORATIVES]:
        if blocks:
            blocks.append(Divider())
        blocks += _collaborative(session, actor, now, member, collaborative, organisation)
    blocks += _more(len(memberships) - MAX_COLLABORATIVES)
    return Card(blocks=blocks, fallback=_(FALLBACK))


def _more(hidden: int) -> list[Block]:
    """A line counting the collaboratives left off, so the card stays within 50 blocks."""
    if hidden <= 0:
        return []
    said = ngettext(
        "… and {count} more collaborative: type `help` in one of their channels to see "
        "what is open there.",
        "… and {count} more collaboratives: type `help` in one of their channels to see "
        "what is open there.",
        hidden,
    )
    return [Context(text=said.format(count=hidden))]


def digest_card(
    session: Session, actor: Actor, now: datetime, identities: list[Identity] | None = None
) -> Card | None:
    """The home card's list, only where something waits (the person's `identities` if
    read already); None when nothing waits anywhere, and then no digest is sent."""
    waiting: list[list[Block]] = []
    for member, collaborative, __ in _memberships(session, actor, identities):
        if member.role == "observer":
            continue
        where = _where(session, actor, collaborative)
        if asks := _asks(session, collaborative, now, member, where):
            waiting.append([Heading(text=collaborative.name), *asks])
    if not waiting:
        return None
    blocks: list[Block] = [Heading(text=_(WAITING))]
    for shown in waiting[:MAX_COLLABORATIVES]:
        blocks += shown if len(blocks) == 1 else [Divider(), *shown]
    footer = _(
        "Your digest lists what is waiting for you in every collaborative you belong to. "
        "`me digest daily`, `weekly` or `off` changes how often it comes; `home` shows it now."
    )
    blocks += [*_more(len(waiting) - MAX_COLLABORATIVES), Context(text=footer)]
    return Card(blocks=blocks, fallback=_(FALLBACK))


def show_home(turn: Turn, command: Command) -> None:
    """`home`: the home card, anywhere — in a Teams personal chat, say."""
    turn.reply(home_card(turn.session, turn.actor, turn.now))


def show_help(turn: Turn, command: Command) -> None:
    """`help`: in a collaborative's channel, what is waiting for this person there, then
    the commands their role uses most; elsewhere (a personal chat), for a member of any
    collaborative, their home card; `help all` (or `help poll`, …) the reference."""
    topic = command.args.get("topic")
    if topic is None and turn.collaborative is None and _memberships(turn.session, turn.actor):
        show_home(turn, command)
        return
    if topic is not None or turn.collaborative is None or turn.member is None:
        turn.reply(reference_card(turn, topic))
        return
    collaborative, member = turn.collaborative, turn.member
    where = _where(turn.session, turn.actor, collaborative)
    if member.role == "observer":
        now: list[Block] = [_observing(turn.session, collaborative, turn.now, where)]
    else:
        now = _waiting(turn.session, collaborative, turn.now, member, where)
    intro = _("You are {role} of {collaborative}.").format(
        role=with_article(member.role), collaborative=collaborative.name
    )
    heading = _(WAITING)
    turn.reply(
        Card(
            blocks=[Heading(text=heading), Text(text=intro), *now] + guide(member.role),
            fallback=heading,
        )
    )


def _memberships(
    session: Session, actor: Actor, identities: list[Identity] | None = None
) -> list[tuple[Member, Collaborative, Organisation | None]]:
    """Every collaborative this person is a member of, through any of their linked
    accounts (`identities`, read if not given), once each, by name."""
    if identities is None:
        identities = linked_identities(session, (actor.platform, actor.tenant_id, actor.user_id))
    member_ids = {identity.member_id for identity in identities}
    if not member_ids:
        return []
    rows = session.exec(
        select(Member, Collaborative, Organisation)
        .join(Collaborative, col(Collaborative.id) == col(Member.collaborative_id))
        .outerjoin(Organisation, col(Organisation.id) == col(Member.organisation_id))
        .where(col(Member.id).in_(member_ids))
        .order_by(col(Collaborative.name), col(Collaborative.id))
    ).all()
    return [(member, collaborative, organisation) for member, collaborative, organisation in rows]


def _collaborative(
    session: Session,
    actor: Actor,
    now: datetime,
    member: Member,
    collaborative: Collaborative,
    organisation: Organisation | None,
) -> list[Block]:
    where = _where(session, actor, collaborative)
    blocks: list[Block] = [
        Heading(text=collaborative.name),
        Context(text=_standing(member, organisation)),
        _purpose_line(session, collaborative),
    ]
    if member.role == "observer":
        return [*blocks, _observing(session, collaborative, now, where)]
    return blocks + _waiting(session, collaborative, now, member, where)


def _purpose_line(session: Session, collaborative: Collaborative) -> Text:
    purpose = rounds.adopted_purpose(session, collaborative.id or 0)
    if purpose:
        return Text(text=_("Our shared purpose: “{purpose}”").format(purpose=purpose))
    running = rounds.running_round(session, collaborative.id or 0)
    if running is not None:
        line = stage_line(running, collaborative.timezone)
        return Text(
            text=_("No shared purpose adopted yet. {stage}: `purpose status` shows it.").format(
                stage=line
            )
        )
    return Text(text=_(NO_PURPOSE), tone="muted")


def _observing(session: Session, collaborative: Collaborative, now: datetime, where: str) -> Text:
    """Observers don't vote or answer, so nothing waits for them: say what they can see."""
    count = len(open_polls(session, collaborative, now))
    said = ngettext(
        "You observe {collaborative}: you see its polls and check-ins but don't vote or answer. "
        "{count} poll open now{where}.",
        "You observe {collaborative}: you see its polls and check-ins but don't vote or answer. "
        "{count} polls open now{where}.",
        count,
    )
    return Text(text=said.format(collaborative=collaborative.name, count=count, where=_in(where)))


def _waiting(
    session: Session, collaborative: Collaborative, now: datetime, member: Member, where: str
) -> list[Block]:
    """What waits for `member` here, or that nothing does."""
    blocks: list[Block] = []
    if collaborative.require_organisation and member.organisation_id is None:
        blocks.append(
            Text(
                text=_(
                    'Say which organisation you belong to before you vote: `org join "Name"` '
                    "(see `org list`)."
                ),
                tone="warning",
            )
        )
    asks = _asks(session, collaborative, now, member, where)
    if not asks:
        asks = [
            Text(text=_("You're up to date: nothing open is waiting for you here."), tone="muted")
        ]
    return blocks + asks


def _asks(
    session: Session, collaborative: Collaborative, now: datetime, member: Member, where: str
) -> list[Block]:
    """Everything that asks something of `member` now: a deputy request, a proposal, polls
    to vote in, check-ins to answer, reviews to answer (coordinators); none: empty."""
    blocks: list[Block] = [
        _deputy_item(collaborative, asker, row, where)
        for row, asker in asked_of(session, member, now)
    ]
    if proposing := _proposal_wanted(session, collaborative, now, member, where):
        blocks.append(proposing)
    if polls := open_polls(session, collaborative, now, unvoted_by=member):
        blocks += _listed(
            ngettext(
                "Waiting for your vote: {count} poll",
                "Waiting for your vote: {count} polls",
                len(polls),
            ).format(count=len(polls)),
            [_poll_item(poll, collaborative, where) for poll in polls],
            _("type `poll list`{where} to see them all").format(where=_in(where)),
        )
    if runs := open_runs(session, collaborative, now, member):
        blocks += _listed(
            ngettext(
                "Waiting for your answers: {count} check-in",
                "Waiting for your answers: {count} check-ins",
                len(runs),
            ).format(count=len(runs)),
            [_run_item(run, schedule, where) for run, schedule in runs],
            _("see the check-in messages{where}").format(where=_in(where)),
        )
    reviews = awaiting_answer(session, collaborative) if member.role == "coordinator" else []
    if reviews:
        blocks += _listed(
            ngettext(
                "Decisions to review: {count} review",
                "Decisions to review: {count} reviews",
                len(reviews),
            ).format(count=len(reviews)),
            [_review_item(poll, where) for poll in reviews],
            _("type `decisions reviews`{where} to see them all").format(where=_in(where)),
        )
    return blocks


def _deputy_item(collaborative: Collaborative, asker: Member, row: Deputy, where: str) -> Text:
    until = moment(row.until, collaborative.timezone)
    return Text(
        text=_(
            "{name} asked you to be their deputy until {until}: press Accept or Decline on their "
            "message, or type `deputy accept` or `deputy decline`{where}."
        ).format(name=asker.display_name, until=until, where=_in(where))
    )


def _review_item(poll: Poll, where: str) -> FieldItem:
    asking = _("Still right, change it or drop it?")
    return FieldItem(
        label=_("Review of poll #{number}").format(number=poll.number),
        value=f"{poll.question}\n{asking}{_posted(where)}",
    )


def _proposal_wanted(
    session: Session, collaborative: Collaborative, now: datetime, member: Member, where: str
) -> Text | None:
    """An invitation to propose, while a purpose round gathers and the member hasn't."""
    running = rounds.running_round(session, collaborative.id or 0)
    if running is None or running.stage != rounds.GATHERING:
        return None
    if running.stage_ends_at is not None and now >= running.stage_ends_at:
        return None
    mine = select(Proposal.id).where(
        Proposal.round_id == running.id, Proposal.member_id == member.id
    )
    if session.exec(mine).first() is not None:
        return None
    return Text(
        text=_(
            "Purpose round #{number} is gathering proposals for our shared purpose, and yours "
            "isn't in yet: press Propose on the round's message{where}."
        ).format(number=running.number, where=_in(where))
    )


def _standing(member: Member, organisation: Organisation | None) -> str:
    listed = organisation.name if organisation else _('no organisation yet (`org join "Name"`)')
    return _("You are {role} · {organisation}").format(
        role=with_article(member.role), organisation=listed
    )


def _where(session: Session, actor: Actor, collaborative: Collaborative) -> str:
    """Where to look, as "#north, #south": the collaborative's channels on this platform.

    Polls and check-ins are posted in every linked channel, so these are where
    the person can find them. Empty when the collaborative meets only elsewhere.
    """
    channels = session.exec(
        select(Channel)
        .where(
            Channel.collaborative_id == collaborative.id,
            Channel.platform == actor.platform,
            Channel.tenant_id == actor.tenant_id,
        )
        .order_by(col(Channel.id))
    ).all()
    names = [
        f"#{c.name}" if c.name else _("channel {channel}").format(channel=c.channel_id)
        for c in channels
    ]
    return ", ".join(names)


def _in(where: str) -> str:
    """Where to look, at the end of a sentence: " in #north" (the `{where}` of one)."""
    return " " + _("in {channels}").format(channels=where) if where else ""


def _posted(where: str) -> str:
    return " · " + _("posted in {channels}").format(channels=where) if where else ""


def _listed(title: str, items: list[FieldItem], see_all: str) -> list[Block]:
    """A title over the first `MAX_ITEMS` items, counting the rest and saying where they are."""
    blocks: list[Block] = [Text(text=title), Fields(items=items[:MAX_ITEMS])]
    hidden = len(items) - MAX_ITEMS
    if hidden > 0:
        blocks.append(
            Context(text=_("… and {count} more: {see_all}.").format(count=hidden, see_all=see_all))
        )
    return blocks


def _poll_item(poll: Poll, collaborative: Collaborative, where: str) -> FieldItem:
    closes = (
        _("closes {moment}").format(moment=moment(poll.closes_at, collaborative.timezone))
        if poll.closes_at
        else _("no deadline")
    )
    return FieldItem(
        label=_("Poll #{number}").format(number=poll.number),
        value=f"{poll.question}\n{closes}{_posted(where)}",
    )


def _run_item(run: CheckinRun, schedule: CheckinSchedule, where: str) -> FieldItem:
    assert run.closes_at is not None, "an open run has a closing time"
    count = len(schedule.questions)
    closes = moment(run.closes_at, schedule.timezone)
    value = ngettext(
        "{count} question, answers open until {moment}",
        "{count} questions, answers open until {moment}",
        count,
    ).format(count=count, moment=closes)
    return FieldItem(
        label=_("Check-in #{number}").format(number=schedule.number),
        value=value + _posted(where),
    )
