"""Universal Actions: an `adaptiveCard/action` invoke answered with the clicker's own card.

A click on an `Action.Execute` button (`adapters.teams.buttons`) arrives as an invoke
whose `value.action` holds the button's `verb` and `data` (`{"action", "view"}`). The
engine acts on it (`Concord.handle`, with the activity id as `event_id`, so a replay
changes nothing), and the invoke response is an `AdaptiveCardInvokeResponse` whose card
Teams shows the clicker alone, in place of the card they clicked: what the engine said
to them (e.g. "You voted …", a refusal) at the top, and under it their own view of the
card (`Concord.render_view(view, person)`). Verb `refresh` is Teams asking for that
view when the person sees the card: no event, just the view.

Nothing in a click's request calls the Bot Connector: no 1:1 message, no members call
(the card's `refresh.userIds` are the ones the port last read, if fresh). The shared
message is updated for everyone by the outbox, as for any change. A form that a click
opens still goes the private way (`TeamsBot`, to which `answer` hands it), as an
`Action.Submit` form does.

What Concord can't act on — no verb, a verb it doesn't know or one that doesn't match
the action's kind, data that isn't an object or has no action, a view that isn't one of
Concord's — is answered the same way, HTTP 200 with a card saying what was wrong, and
nothing changes; so is a replay, and whatever the engine refuses (another
collaborative's poll, someone who isn't a member). Teams shows an error status as
"Unable to reach app", so none is ever sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from adapters.teams import inbound
from adapters.teams.buttons import REFRESH
from adapters.teams.connector import Invoked
from adapters.teams.inbound import Activity
from adapters.teams.port import ADAPTIVE_CARD, TeamsPort
from dialogs.core.actions import MAX_ACTION_LENGTH, MAX_ID, VERBS, verb_of
from dialogs.core.cards import Card, Divider, OpenForm
from dialogs.core.effects import for_actor
from dialogs.core.events import ActionInvoked, Actor
from dialogs.core.language import N_, _
from dialogs.core.messages import parse_key
from dialogs.core.ports import Concord
from dialogs.core.turn import refusal_card

log = logging.getLogger(__name__)

MAX_VIEW_LENGTH = 100
AGAIN = N_("Try the button again; if this keeps happening, type `help` to Concord.")
ALREADY = N_(
    "Teams sent this click twice: Concord had already acted on it, so nothing more changed."
)


@dataclass(frozen=True)
class Click:
    """What an `Action.Execute` carried: its verb, the engine's action (none for a
    refresh), the keyed card it was on, and any input values."""

    verb: str
    action: str | None
    view: str | None
    values: dict[str, str | list[str]]


class Refused(Exception):
    """A click Concord can't act on: `card` says why, to the person who clicked."""

    def __init__(self, problem: str, hint: str | None = None) -> None:
        super().__init__(problem)
        self.card = refusal_card(problem, hint or _(AGAIN))


class UniversalActions:
    """Answers `adaptiveCard/action` invokes with the clicker's card."""

    def __init__(
        self,
        concord: Concord,
        port: TeamsPort,
        after_change: Callable[[], None],
    ) -> None:
        self._concord = concord
        self._port = port
        self._after_change = after_change

    async def answer(self, activity: Activity) -> tuple[Invoked, list[OpenForm]]:
        """Act on the click; the invoke's answer, the person's card (never an error), and
        the forms the click opened, for the person's 1:1 chat."""
        actor = inbound.actor_of(activity)
        opened: list[OpenForm] = []
        try:
            click = read_click(activity.get("value"))
            if click.verb != REFRESH:
                notes, opened = await self._act(activity, actor, click)
            else:
                notes = []
            view = await self._view(click.view, actor, needed=click.verb == REFRESH)
        except Refused as refused:  # still their view under it, if the card names one
            notes = [refused.card]
            view = await self._view(_our_key(_data(activity.get("value")).get("view")), actor)
        return respond(self._card(activity, notes, view)), opened

    async def _act(
        self, activity: Activity, actor: Actor, click: Click
    ) -> tuple[list[Card], list[OpenForm]]:
        """The engine's notes for the clicker, and the forms it opened."""
        place = inbound.place_of(activity)
        assert click.action is not None
        event = ActionInvoked(actor, place, click.action, click.values)
        effects = await self._concord.handle(event, event_id=inbound.activity_id(activity))
        await self._concord.channel_seen(place, inbound.reference_of(activity))
        self._after_change()
        mine, opened = for_actor(effects, actor)
        if not mine and not opened:  # the engine answers every action it takes, once
            return [_already()], opened
        return [note.card for note in mine], opened

    async def _view(self, key: str | None, actor: Actor, *, needed: bool = False) -> Card | None:
        view = await self._concord.render_view(key, actor) if key is not None else None
        if view is None and needed:
            raise Refused(_("This card is no longer one Concord can show."), _("Type `help`."))
        return view

    def _card(self, activity: Activity, notes: list[Card], view: Card | None) -> dict[str, Any]:
        """The notes on top of the view, as one Adaptive Card with the view's `refresh`."""
        blocks = [block for note in notes for block in [*note.blocks, Divider()]]
        if view is None:
            blocks = blocks[:-1]
        fallback = (notes[0] if notes else view or _already()).fallback
        card = Card(
            blocks=blocks + (view.blocks if view else []),
            fallback=fallback,
            key=view.key if view else None,
            zone=view.zone if view else next((note.zone for note in notes if note.zone), None),
            language=next((c.language for c in [*notes, view] if c and c.language), None),
        )
        conversation = inbound.place_of(activity).channel_id
        return self._port.render(card, self._port.members.cached(conversation))


def read_click(value: Any) -> Click:
    """The click an invoke's `value` carries, or `Refused` saying what is wrong with it."""
    action = _get(value, "action")
    if not isinstance(action, Mapping):
        raise Refused(
            _("That click reached Concord without a button's action, so nothing changed.")
        )
    verb = action.get("verb")
    if not isinstance(verb, str) or not verb:
        raise Refused(_("That button didn't say what it does, so nothing changed."))
    data = action.get("data")
    if not isinstance(data, Mapping):
        raise Refused(_("That button carried nothing Concord can act on, so nothing changed."))
    view = _our_key(data.get("view"))
    if view is None and data.get("view") is not None:
        raise Refused(_("That button isn't on a card of Concord's, so nothing changed."))
    if verb == REFRESH:
        return Click(verb, None, view, {})
    if verb not in VERBS:
        raise Refused(
            _("Concord has no action called “{verb}”, so nothing changed.").format(verb=verb[:40])
        )
    chosen = data.get("action")
    if not isinstance(chosen, str) or not 0 < len(chosen) <= MAX_ACTION_LENGTH:
        raise Refused(_("That button carried no action Concord knows, so nothing changed."))
    if verb_of(chosen) != verb:
        raise Refused(
            _("That button's action doesn't match what it says it does, so nothing changed.")
        )
    return Click(verb, chosen, view, inbound.form_values(data))


def _get(node: Any, key: str) -> Any:
    return node.get(key) if isinstance(node, Mapping) else None


def _data(value: Any) -> Mapping[str, Any]:
    """The button's data in an invoke's `value`, however malformed the rest ({} if none)."""
    data = _get(_get(value, "action"), "data")
    return data if isinstance(data, Mapping) else {}


def _our_key(value: Any) -> str | None:
    """The keyed card a click names, when it is one of Concord's (else None)."""
    key = parse_key(value) if isinstance(value, str) and len(value) <= MAX_VIEW_LENGTH else None
    return str(key) if key is not None and key.ident <= MAX_ID else None


def respond(card: dict[str, Any]) -> Invoked:
    """The invoke's answer showing `card` (an `AdaptiveCardInvokeResponse`, HTTP 200)."""
    return 200, {"statusCode": 200, "type": ADAPTIVE_CARD, "value": card}


def _already() -> Card:
    """The answer to a click Teams sent twice, in the language of the work in hand."""
    return refusal_card(_(ALREADY), None)
