"""The platform-neutral engine: one event in, one committed change, replies out.

Each event is handled in one transaction. Messages for channels (a new poll,
its live counts) are written to the outbox inside that transaction, so they go
out if and only if the change is committed. What the engine returns is only for
the person who acted: a private reply or a form to show.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from sqlmodel import Session

from dialogs.checkins import answers, runs, summary
from dialogs.checkins import routes as checkin_routes
from dialogs.collaborative import channels, deputies, directory, languages, members, people
from dialogs.collaborative import routes as collaborative_routes
from dialogs.collaborative import setup as collaborative_setup
from dialogs.commands.parser import parse
from dialogs.commands.syntax import Command, CommandHandler
from dialogs.core import action_scope, actions, clean, effects, exports, reactions, readers
from dialogs.core.actions import (
    Action,
    Answer,
    ClosePoll,
    DeputyAnswer,
    DraftChoice,
    EditGroups,
    FormKind,
    Merge,
    Mute,
    MutePoll,
    ReasonForm,
    ReasonSubmit,
    RemindPoll,
    RequestForm,
    RequestPoll,
    ReviewOutcome,
    Stance,
    SubmitForm,
    SubmitPoll,
    SubmitPollIn,
    Unmute,
    Vote,
)
from dialogs.core.cards import Card, Effect, PlaceModel, Post
from dialogs.core.charts import Chart
from dialogs.core.clock import Clock, utc_now
from dialogs.core.effects import channel_lane
from dialogs.core.events import ActionInvoked, Actor, CommandIssued, Event, Installed, Place
from dialogs.core.language import DEFAULT, _, current, from_locale, speaking
from dialogs.core.messages import Kind, MessageKey, parse_key
from dialogs.core.ports import DEFAULT_LIMITS, Found, Limits, Person
from dialogs.core.turn import FormRoute, Problem, Turn, private_refusal, stale_button
from dialogs.home import home_card, show_help, show_home
from dialogs.polls import (
    chart_data,
    click_batches,
    lifecycle,
    reminders,
    start,
    view,
    voting,
)
from dialogs.polls import forgetting as poll_forgetting
from dialogs.polls import routes as poll_routes
from dialogs.polls.reviews import asking, outcomes
from dialogs.purpose import commands, stages
from dialogs.purpose import groups as purpose_groups
from dialogs.purpose import routes as purpose_routes
from storage.database import Database
from storage.models import CheckinRun, Collaborative
from storage.outbox import give_up_lanes
from storage.processed import first_time

log = logging.getLogger(__name__)

# Every command of the grammar (`dialogs.commands.grammar.SYNTAX`) and what handles it.
_COMMANDS: dict[str, CommandHandler] = {
    "help": show_help,
    "home": show_home,
    **collaborative_routes.COMMANDS,
    **poll_routes.COMMANDS,
    **purpose_routes.COMMANDS,
    **checkin_routes.COMMANDS,
}

# Each form: the button that opens it, and its submission.
_FORMS: dict[FormKind, FormRoute] = {
    **poll_routes.FORMS,
    **purpose_routes.FORMS,
    **checkin_routes.FORMS,
}

# Who reacts to what one feature announces (`dialogs.core.reactions`), in its transaction.
REACTIONS: reactions.Reactions = {
    reactions.PollClosed: [stages.poll_closed],
    reactions.PersonForgotten: [poll_forgetting.person_forgotten],
}


class Engine:
    def __init__(
        self,
        database: Database,
        clock: Clock = utc_now,
        *,
        default_timezone: str = "Europe/London",
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.database = database
        self.clock = clock
        self.limits = limits
        self.votes_recorded = 0  # committed by this engine since it started (for /metrics)
        self._counting = threading.Lock()  # turns run in worker threads
        self._zones = people.ReportedZones()
        self._commands: dict[str, CommandHandler] = {
            **_COMMANDS,
            "setup": partial(collaborative_setup.setup, default_timezone=default_timezone),
        }

    def handle(self, event: Event, *, event_id: str | None = None) -> list[Effect]:
        """Handle one event; return what to show the person who acted.

        With `event_id` (the platform's id for a delivery it may retry), the event is
        handled at most once: a retry finds the id recorded with the first change and
        does nothing.
        """
        event, removed = clean.cleaned(event)
        # Until the turn finds the person's own language, their platform's (or English).
        reported = from_locale(event.actor.locale) if not isinstance(event, Installed) else None
        with speaking(reported or DEFAULT):
            return clean.noted(removed, event, self._handle(event, event_id))

    def _handle(self, event: Event, event_id: str | None) -> list[Effect]:
        if isinstance(event, Installed):
            return self._installed(event)
        echo = event.text if isinstance(event, CommandIssued) else None
        once = (event.actor.platform, event_id) if event_id else None
        spoken: list[str] = []  # the language the turn found, for a refusal
        try:
            if isinstance(event, CommandIssued):
                # Read in the turn, so a mistyped command is refused in the person's language.
                text = event.text
                return self._in_turn(
                    event.actor, event.place, lambda t: self._command(t, parse(text)), once, spoken
                )
            work = partial(self._action, event=event)
            return self._in_turn(event.actor, event.place, work, once, spoken)
        except Problem as problem:
            with speaking(spoken[-1] if spoken else current()):
                return [private_refusal(event.actor, event.place, problem, echo)]
        except Exception:
            reference = uuid.uuid4().hex[:8]
            log.exception("event failed", extra={"reference": reference})
            failed = Problem(
                _(
                    "Something went wrong on our side, so nothing was changed "
                    "(reference {reference})."
                ).format(reference=reference),
                _("Please try again in a moment."),
            )
            return [private_refusal(event.actor, event.place, failed, echo)]

    def render_message(self, key: str, viewer: Actor | None = None) -> Card | None:
        """A keyed message (a poll, a check-in run, a purpose round's) from the latest state,
        as `viewer` sees it if given (`dialogs.polls.view`); None for a key naming nothing."""
        parsed = parse_key(key)
        if parsed is None:
            return None
        with self.database.session() as session:

            def render() -> Card | None:
                if viewer is not None and parsed.kind == "poll":
                    return view.seen_by(session, parsed, viewer, self.clock())
                return _RENDERERS[parsed.kind](session, parsed)

            card = languages.rendered(session, parsed, viewer, render)
        return card.model_copy(update={"key": key}) if card else None

    def render_view(self, key: str, viewer: Actor) -> Card | None:
        """The keyed message as `viewer` sees it (the same for everyone but a poll's)."""
        return self.render_message(key, viewer)

    def prepare(self) -> None:
        """Work worth starting before anyone waits for it (at start-up and every minute, off
        the event loop): the proposals of purpose rounds in progress, embedded."""
        with self.database.session() as session:
            if queued := commands.prepare_grouping(session):
                log.debug("embedding proposals in the background", extra={"proposals": queued})

    def home(self, actor: Actor) -> Card:
        """What is waiting for this person in every collaborative they belong to (read-only),
        in their language."""
        with self.database.session() as session, readers.speaking_to(session, actor):
            return home_card(session, actor, self.clock())

    def handle_all(
        self, events: list[Event], ids: list[str | None] | None = None
    ) -> list[list[Effect]]:
        """Handle several events at once, each as `handle` would (with its event id from
        `ids`); the vote clicks are stored together in one transaction (`click_batches`)."""
        ids = ids or [None] * len(events)
        stored, votes = click_batches.store(self.database, self.clock, events, ids)
        self._count_votes(votes)
        return [
            found if (found := stored.get(n)) is not None else self.handle(event, event_id=ids[n])
            for n, event in enumerate(events)
        ]

    def tenant_removed(self, platform: str, tenant_id: str) -> int:
        """A workspace removed Concord: drop what can no longer reach it; return how many."""
        prefix = channel_lane(Place(platform, tenant_id, "")).removesuffix("#")
        reason = "Concord was removed from the workspace"  # i18n: not for readers (a log's)
        return self.database.run(lambda session: give_up_lanes(session, prefix, reason))

    def channel_seen(self, place: Place, delivery: dict[str, Any]) -> None:
        """An adapter saw this conversation: keep `delivery` if its channel is linked."""
        channels.remember_delivery(self.database, place, delivery)

    def chart(self, token: str) -> Chart | None:
        """The data of the chart `token` names: a check-in's trend, or a poll's result once
        everyone may see it."""
        return self.database.run(lambda session: _chart(session, token))

    def export_file(self, token: str) -> Found:
        """The file the download `token` names, until it expires (read-only)."""
        with self.database.session() as session:
            return exports.found(session, token, self.clock())

    def people(self, platform: str, tenant_id: str) -> list[Person]:
        """Who Concord knows on this platform tenant (read-only)."""
        with self.database.session() as session:
            return directory.people(session, platform, tenant_id)

    def channel_links(
        self, platform: str, tenant_id: str, channel_ids: Iterable[str]
    ) -> dict[str, str]:
        """The collaborative each of these channels belongs to, by channel id (read-only)."""
        with self.database.session() as session:
            return directory.channel_links(session, platform, tenant_id, channel_ids)

    def _installed(self, event: Installed) -> list[Effect]:
        """Concord joined a conversation: keep its delivery; the greeting, the first time."""
        self.channel_seen(event.place, dict(event.delivery))
        if not channels.first_greeting(self.database, event.place, self.clock()):
            return []
        card = channels.greeting(self.database, event.place, event.locale)
        return [Post(place=PlaceModel.of(event.place), card=card)] if card else []

    def _in_turn(
        self,
        actor: Actor,
        place: Place,
        work: Callable[[Turn], None],
        once: tuple[str, str] | None,
        spoken: list[str],
    ) -> list[Effect]:
        done: list[Turn] = []  # the turn of the attempt that committed

        def unit_of_work(session: Session) -> list[Effect]:
            done.clear()
            reactions.install(session, REACTIONS)
            if once and not first_time(session, *once, self.clock()):
                log.info("a delivery already handled was ignored", extra={"event_id": once[1]})
                return []
            turn = self._start_turn(session, actor, place)
            language = languages.turn_language(
                session, actor, turn.collaborative, turn.now, member=turn.member is not None
            )
            spoken.append(language)
            with speaking(language):
                work(turn)
                done.append(turn)
                return effects.for_reader(session, actor, turn.replies)

        replies = self.database.run(unit_of_work)
        self._count_votes(sum(turn.votes for turn in done))
        if any(turn.member is not None for turn in done):  # its zone was kept (members' only)
            self._zones.kept(actor)
        return replies

    def _count_votes(self, votes: int) -> None:
        if votes:
            with self._counting:
                self.votes_recorded += votes

    def _start_turn(self, session: Session, actor: Actor, place: Place) -> Turn:
        turn = Turn(session=session, now=self.clock(), actor=actor, place=place, limits=self.limits)
        turn.channel = members.find_channel(session, place)
        if turn.channel is not None:
            turn.collaborative = session.get(Collaborative, turn.channel.collaborative_id)
            assert turn.collaborative is not None
            turn.member = members.member_for(turn, turn.collaborative, actor)
        if turn.member is not None and not self._zones.known(actor):  # members' zones only
            people.remember_platform_zone(session, actor, turn.now)
        return turn

    def _command(self, turn: Turn, command: Command) -> None:
        self._commands[command.name](turn, command)

    def _action(self, turn: Turn, *, event: ActionInvoked) -> None:
        action = actions.parse(event.action)
        if action is None:
            log.info("unreadable action refused", extra={"action": event.action[:80]})
        elif turn.collaborative is None:
            _scope_from_action(turn, action)
        _act(turn, action, event.form_values)


def _act(turn: Turn, action: Action | None, values: dict) -> None:
    """Route one parsed action to the feature that owns it."""
    match action:
        case Vote(poll_id, option_id):
            voting.vote(turn, poll_id, option_id)
        case Stance(poll_id, stance):
            voting.stance(turn, poll_id, stance)
        case ReasonForm(poll_id, stance):
            voting.open_reason_form(turn, poll_id, stance)
        case ReasonSubmit(poll_id, stance):
            voting.submit_reason(turn, poll_id, stance, values)
        case ClosePoll(poll_id):
            lifecycle.close_by_id(turn, poll_id)
        case RemindPoll(poll_id):
            reminders.remind_by_id(turn, poll_id)
        case Mute(collaborative_id) | Unmute(collaborative_id):
            reminders.set_reminders(turn, collaborative_id, muted=isinstance(action, Mute))
        case MutePoll(poll_id):
            reminders.stop_for_poll(turn, poll_id)
        case Answer(run_id, question, value):
            answers.answer(turn, run_id, question, value)
        case RequestForm(kind, ident):
            _FORMS[kind][0](turn, ident)
        case SubmitForm(kind, ident):
            _FORMS[kind][1](turn, ident, values)
        case EditGroups(round_id):
            purpose_groups.open_editor(turn, round_id)
        case Merge(group_id, into_id):
            purpose_groups.merge(turn, group_id, into_id)
        case RequestPoll():
            start.open_form(turn)
        case SubmitPoll() | SubmitPollIn():
            start.submit_form(turn, values)
        case DraftChoice(draft_id, choice):
            start.from_draft(turn, draft_id, choice)
        case ReviewOutcome(review_id, outcome):
            outcomes.answer(turn, review_id, outcome)
        case DeputyAnswer(deputy_id, answer):
            deputies.answer_by_button(turn, deputy_id, answer)
        case _:
            raise stale_button()


def _scope_from_action(turn: Turn, action: Action) -> None:
    """A click in a private message: act in the collaborative the action names, for a
    person who is already its member (nobody joins a collaborative from outside it)."""
    collaborative_id = action_scope.collaborative_of(turn.session, action)
    collaborative = turn.session.get(Collaborative, collaborative_id) if collaborative_id else None
    member = (
        members.known_member(turn.session, collaborative, turn.actor) if collaborative else None
    )
    if member is not None:
        turn.collaborative, turn.member = collaborative, member


def _checkin_message(session: Session, key: MessageKey) -> Card | None:
    run = session.get(CheckinRun, key.ident)
    return runs.render_run(session, run) if run else None


# What each kind of keyed message (`dialogs.core.messages`) is rendered by.
_RENDERERS: dict[Kind, Callable[[Session, MessageKey], Card | None]] = {
    "poll": view.shared,
    "checkin": _checkin_message,
    "purpose": commands.purpose_card,
    "review": asking.review_message,
}


def _chart(session: Session, token: str) -> Chart | None:
    return summary.trend(session, token) or chart_data.for_token(session, token)
