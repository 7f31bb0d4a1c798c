"""The platform-neutral engine: one event in, one committed change, replies out.

Each event is handled in one transaction. Messages for channels (a new poll,
its live counts) are written to the outbox inside that transaction, so they go
out if and only if the change is committed. What the engine returns is only for
the person who acted: a private reply or a form to show.
"""

from __future__ import annotations

import logging
import re
import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from sqlmodel import Session

from dialogs.checkins import schedules
from dialogs.collaborative import channels, decisions, directory, identity_link, members
from dialogs.commands.help import NOT_YET, help_card
from dialogs.commands.parser import Command, GrammarError, parse
from dialogs.core import actions
from dialogs.core.cards import ActorModel, Card, Context, Effect, Notify, PlaceModel, Post
from dialogs.core.clock import Clock, utc_now
from dialogs.core.effects import channel_lane
from dialogs.core.events import ActionInvoked, Actor, CommandIssued, Event, Installed, Place
from dialogs.core.ports import Chart, Person, ResultChart, TrendChart
from dialogs.core.turn import Refusal, Turn, refusal_card
from dialogs.home import home_card
from dialogs.polls import lifecycle, results, vote_batch, voting
from dialogs.polls import setup as poll_setup
from dialogs.purpose import commands, proposals
from dialogs.purpose import groups as purpose_groups
from storage.database import Database
from storage.models import Collaborative
from storage.outbox import give_up_lanes
from storage.processed import first_time

log = logging.getLogger(__name__)

_VOTE = re.compile(r"vote:(\d{1,12}):(\d{1,12})")
_CLOSE = re.compile(r"close:(\d{1,12})")
_MUTE = re.compile(r"(mute|unmute):(\d{1,12})")
_ANSWER = re.compile(r"answer:(\d{1,12}):(\d{1,2}):(\d{1,2})")
_FORM = re.compile(
    r"(form|submit):(checkin|checkin-answer|ballot|option|proposal|proposals|prompts|revision|group)"
    r":(\d{1,12})"
)
_EDIT_GROUPS = re.compile(r"edit-groups:(\d{1,12})")
_MERGE = re.compile(r"merge:(\d{1,12}):(\d{1,12})")
_STANCE = re.compile(r"stance:(\d{1,12}):(agree|live-with-it)")
_CONSENT = re.compile(r"(form|submit):consent:(\d{1,12}):(object|block)")
MAX_ACTION_LENGTH = 200


class Engine:
    def __init__(
        self, database: Database, clock: Clock = utc_now, *, default_timezone: str = "Europe/London"
    ) -> None:
        self.database = database
        self.clock = clock
        self.default_timezone = default_timezone
        self.votes_recorded = 0  # committed by this engine since it started (for /metrics)
        self._counting = threading.Lock()  # turns run in worker threads
        self._commands: dict[str, Callable[[Turn, Command], None]] = {
            "help": lambda turn, _: turn.reply(help_card(turn)),
            "setup": lambda turn, command: members.setup(turn, command, self.default_timezone),
            "link": members.link,
            "org.add": members.org_add,
            "org.join": members.org_join,
            "org.list": lambda turn, _: members.org_list(turn),
            "role": members.role,
            "poll": poll_setup.start,
            "poll.list": lambda turn, _: lifecycle.list_polls(turn),
            "poll.close": lambda turn, command: lifecycle.close(turn, command.args["id"]),
            "poll.results": lambda turn, command: lifecycle.results(turn, command.args["id"]),
            "poll.export": lambda turn, command: lifecycle.export(turn, command.args["id"]),
            "decisions": decisions.decisions,
            "checkin.add": schedules.add,
            "checkin.list": lambda turn, _: schedules.list_schedules(turn),
            "checkin.stop": lambda turn, command: schedules.stop(turn, command.args["id"]),
            "checkin.now": lambda turn, command: schedules.run_now(turn, command.args["id"]),
            "checkin.skip": schedules.skip,
            "me.link": identity_link.me_link,
            "purpose.start": commands.start,
            "purpose.status": lambda turn, _: commands.status(turn),
            "purpose.next": lambda turn, _: commands.next_stage(turn),
            "purpose.show": lambda turn, _: commands.show(turn),
        }

    def handle(self, event: Event, *, event_id: str | None = None) -> list[Effect]:
        """Handle one event; return what to show the person who acted.

        With `event_id` (the platform's id for a delivery it may retry), the event is
        handled at most once: a retry finds the id recorded with the first change and
        does nothing.
        """
        if isinstance(event, Installed):
            return self._installed(event)
        echo = event.text if isinstance(event, CommandIssued) else None
        once = (event.actor.platform, event_id) if event_id else None
        try:
            if isinstance(event, CommandIssued):
                command = parse(event.text)
                return self._in_turn(
                    event.actor, event.place, lambda t: self._command(t, command), once
                )
            return self._in_turn(event.actor, event.place, lambda t: self._action(t, event), once)
        except (Refusal, GrammarError) as problem:
            return [
                _private(
                    event.actor, event.place, refusal_card(problem.problem, problem.hint), echo
                )
            ]
        except Exception:
            reference = uuid.uuid4().hex[:8]
            log.exception("event failed", extra={"reference": reference})
            card = refusal_card(
                f"Something went wrong on our side, so nothing was changed "
                f"(reference {reference}).",
                "Please try again in a moment.",
            )
            return [_private(event.actor, event.place, card, echo)]

    def render_message(self, key: str) -> Card | None:
        """The current rendering of a keyed message (a poll, a check-in) from the latest state."""
        with self.database.session() as session:
            if poll := results.poll_for_key(session, key):
                return results.render_poll(session, poll)
            if run := schedules.run_for_key(session, key):
                return schedules.render_run(session, run)
            return commands.purpose_card(session, key)

    def prepare(self) -> None:
        """Work worth starting before anyone waits for it (at start-up and every minute, off
        the event loop): the proposals of purpose rounds in progress, embedded."""
        with self.database.session() as session:
            if queued := commands.prepare_grouping(session):
                log.debug("embedding proposals in the background", extra={"proposals": queued})

    def home(self, actor: Actor) -> Card:
        """What is waiting for this person in every collaborative they belong to (read-only)."""
        with self.database.session() as session:
            return home_card(session, actor, self.clock())

    def handle_all(self, events: list[Event]) -> list[list[Effect]]:
        """Handle several events at once, each as `handle` would; the vote clicks among
        them are stored together in one transaction (`dialogs.polls.vote_batch`)."""
        clicks = {
            n: event
            for n, event in enumerate(events)
            if isinstance(event, ActionInvoked) and vote_batch.is_click(event)
        }
        stored: dict[int, list[Effect] | None] = {}
        if clicks:
            batch = list(clicks.values())
            try:
                cast = self.database.run(
                    lambda session: vote_batch.cast(session, self.clock(), batch)
                )
                outcomes = cast.replies
                self._count_votes(cast.recorded)
            except Exception:
                log.exception("a batch of votes failed; storing them one at a time")
                outcomes = [None] * len(batch)
            stored = dict(zip(clicks, outcomes, strict=True))
        return [
            found if (found := stored.get(n)) is not None else self.handle(event)
            for n, event in enumerate(events)
        ]

    def tenant_removed(self, platform: str, tenant_id: str) -> int:
        """A workspace removed Concord: drop what can no longer reach it; return how many."""
        prefix = channel_lane(Place(platform, tenant_id, "")).removesuffix("#")
        return self.database.run(
            lambda session: give_up_lanes(session, prefix, "Concord was removed from the workspace")
        )

    def channel_seen(self, place: Place, delivery: dict[str, Any]) -> None:
        """An adapter saw this conversation: keep `delivery` if its channel is linked."""
        channels.remember_delivery(self.database, place, delivery)

    def chart(self, token: str) -> Chart | None:
        """The data of the chart `token` names: a check-in's trend, or a poll's result once
        everyone may see it."""
        return self.database.run(lambda session: _chart(session, token))

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
        return [Post(place=PlaceModel.of(event.place), card=channels.welcome_card())]

    def _in_turn(
        self,
        actor: Actor,
        place: Place,
        work: Callable[[Turn], None],
        once: tuple[str, str] | None = None,
    ) -> list[Effect]:
        done: list[Turn] = []  # the turn of the attempt that committed

        def unit_of_work(session: Session) -> list[Effect]:
            done.clear()
            if once and not first_time(session, *once, self.clock()):
                return []
            turn = self._start_turn(session, actor, place)
            work(turn)
            done.append(turn)
            return turn.replies

        replies = self.database.run(unit_of_work)
        self._count_votes(sum(turn.votes for turn in done))
        return replies

    def _count_votes(self, votes: int) -> None:
        if votes:
            with self._counting:
                self.votes_recorded += votes

    def _start_turn(self, session: Session, actor: Actor, place: Place) -> Turn:
        turn = Turn(session=session, now=self.clock(), actor=actor, place=place)
        turn.channel = members.find_channel(session, place)
        if turn.channel is not None:
            turn.collaborative = session.get(Collaborative, turn.channel.collaborative_id)
            assert turn.collaborative is not None
            turn.member = members.member_for(turn, turn.collaborative, actor)
        return turn

    def _command(self, turn: Turn, command: Command) -> None:
        if command.name in NOT_YET:
            words = " ".join(command.syntax.words)
            raise Refusal(
                f"`{words}` is not available yet: it arrives with {NOT_YET[command.name]}.",
                "Type `help` to see what works now.",
            )
        self._commands[command.name](turn, command)

    def _action(self, turn: Turn, event: ActionInvoked) -> None:
        action = event.action if len(event.action) <= MAX_ACTION_LENGTH else ""
        if turn.collaborative is None:
            _scope_from_action(turn, action)
        if vote := _VOTE.fullmatch(action):
            voting.vote(turn, int(vote.group(1)), int(vote.group(2)))
        elif stance := _STANCE.fullmatch(action):
            voting.stance(turn, int(stance.group(1)), stance.group(2))
        elif consent := _CONSENT.fullmatch(action):
            verb, poll_id, chosen = consent.groups()
            if verb == "form":
                voting.open_reason_form(turn, int(poll_id), chosen)
            else:
                voting.submit_reason(turn, int(poll_id), chosen, event.form_values)
        elif close := _CLOSE.fullmatch(action):
            lifecycle.close_by_id(turn, int(close.group(1)))
        elif mute := _MUTE.fullmatch(action):
            lifecycle.set_reminders(turn, int(mute.group(2)), muted=mute.group(1) == "mute")
        elif answer := _ANSWER.fullmatch(action):
            schedules.answer(turn, *(int(g) for g in answer.groups()))
        elif form := _FORM.fullmatch(action):
            verb, kind, ident = form.groups()
            _FORMS[(verb, kind)](turn, int(ident), event.form_values)
        elif edit := _EDIT_GROUPS.fullmatch(action):
            purpose_groups.open_editor(turn, int(edit.group(1)))
        elif merge := _MERGE.fullmatch(action):
            purpose_groups.merge(turn, int(merge.group(1)), int(merge.group(2)))
        elif action == poll_setup.FORM_ACTION:
            poll_setup.submit_form(turn, event.form_values)
        else:
            raise Refusal(
                "That button doesn't do anything any more.", "Type `help` to see what you can do."
            )


def _scope_from_action(turn: Turn, action: str) -> None:
    """A click in a private message: act in the collaborative the action names, for a
    person who is already its member (nobody joins a collaborative from outside it)."""
    collaborative_id = actions.collaborative_of(turn.session, action)
    collaborative = turn.session.get(Collaborative, collaborative_id) if collaborative_id else None
    member = (
        members.known_member(turn.session, collaborative, turn.actor) if collaborative else None
    )
    if member is not None:
        turn.collaborative, turn.member = collaborative, member


def _chart(session: Session, token: str) -> Chart | None:
    if trend := schedules.trend(session, token):
        return TrendChart(*trend)
    if result := results.chart_data(session, token):
        return ResultChart(*result)
    return None


def _private(actor: Actor, place: Place, card: Card, echo: str | None) -> Notify:
    if echo:
        shown = echo if len(echo) <= 300 else echo[:299] + "…"
        card = card.model_copy(
            update={"blocks": [*card.blocks, Context(text=f"You typed: {shown}")]}
        )
    return Notify(actor=ActorModel.of(actor), place=PlaceModel.of(place), card=card)


_FORMS: dict[tuple[str, str], Callable[[Turn, int, dict], None]] = {
    ("form", "checkin"): lambda turn, ident, _: schedules.open_questions_form(turn, ident),
    ("submit", "checkin"): schedules.save_questions,
    ("form", "checkin-answer"): lambda turn, ident, _: schedules.open_answer_form(turn, ident),
    ("submit", "checkin-answer"): schedules.submit_answers,
    ("form", "ballot"): lambda turn, ident, _: voting.open_ballot_form(turn, ident),
    ("submit", "ballot"): voting.submit_ballot,
    ("form", "option"): lambda turn, ident, _: voting.open_option_form(turn, ident),
    ("submit", "option"): voting.submit_option,
    ("form", "proposal"): lambda turn, ident, _: proposals.open_new(turn, ident),
    ("submit", "proposal"): proposals.submit_new,
    ("form", "proposals"): lambda turn, ident, _: proposals.open_mine(turn, ident),
    ("submit", "proposals"): proposals.submit_mine,
    ("form", "prompts"): lambda turn, ident, _: commands.open_prompts_form(turn, ident),
    ("submit", "prompts"): commands.submit_prompts,
    ("form", "revision"): lambda turn, ident, _: commands.open_revision_form(turn, ident),
    ("submit", "revision"): commands.submit_revision,
    ("form", "group"): lambda turn, ident, _: purpose_groups.open_group_form(turn, ident),
    ("submit", "group"): purpose_groups.submit_group,
}
