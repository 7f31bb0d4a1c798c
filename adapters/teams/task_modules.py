"""Teams dialogs (task modules): a form opens where the person clicked, and the compose
box's "Create a poll" opens the new-poll form.

A button whose action opens a form carries `msteams.type` `task/fetch`
(`buttons.clickable`), so Teams asks for the dialog with a `task/fetch` invoke instead
of sending the click. The engine runs the action as it runs any click, and the form it
answers (`OpenForm`) becomes the dialog (a `continue` response). The form's own button,
inside the dialog, is a `task/submit` invoke:
- refused, the engine answers the form again with the person's input and the problem, so
  the dialog stays open showing both (`continue` again);
- done, the dialog closes and shows the private answer in words (a `message` response:
  Teams' small box over the conversation). An empty response would close it silently,
  and with no 1:1 message any more the person would not know their vote counted. The
  answer's buttons are left out: they repeat what the shared card offers (Propose,
  Change my proposals) or a command (`poll close`);
- an answer that words can't carry (the results shown after a vote, a chart, a download
  link) stays in the dialog as a card, whose buttons work there too (inside a dialog
  every button is a `task/submit`).

The compose box's action command (`package.COMPOSE_COMMAND`) works the same way:
`composeExtension/fetchTask` asks for the new-poll form (`form:poll`, as `poll` typed
alone) and `composeExtension/submitAction` submits it. The poll is then posted through
the outbox like any poll, in each channel of the conversation's collaborative; where
the conversation belongs to none, the refusal says how to link it.

Every dialog invoke is answered HTTP 200 with a task response, whatever came in: one
Concord can't read is a message saying so, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adapters.teams import inbound
from adapters.teams.connector import Invoked
from adapters.teams.escape import shorten
from adapters.teams.inbound import Activity
from adapters.teams.package import COMPOSE_COMMAND
from adapters.teams.port import TeamsPort, card_message
from adapters.teams.render import WARNING, render_form, summary
from dialogs.core.actions import RequestPoll
from dialogs.core.cards import Actions, Block, Card, Context, Divider, Effect, Heading, Text
from dialogs.core.effects import for_actor
from dialogs.core.events import ActionInvoked, Actor
from dialogs.core.language import N_, _
from dialogs.core.ports import Concord

INVOKES = frozenset(
    {inbound.TASK_FETCH, inbound.TASK_SUBMIT, inbound.COMPOSE_FETCH, inbound.COMPOSE_SUBMIT}
)
_SUBMITS = (inbound.TASK_SUBMIT, inbound.COMPOSE_SUBMIT)
UNREADABLE = N_(
    "Concord couldn't read that, so nothing was changed. Try the button again, or type "
    "help to see what you can do."
)
DONE = N_("Done.")
MAX_TITLE = 80
MAX_MESSAGE = 2000
TALL_FORM = 3  # a form with more inputs than this gets a tall dialog
Json = dict[str, Any]


class Dialogs:
    """The dialog invokes: the engine decides, and its answer rides in the invoke response
    (no connector call, no 1:1 message)."""

    def __init__(self, concord: Concord, port: TeamsPort, after_change: Callable[[], None]) -> None:
        self._concord = concord
        self._port = port
        self._after_change = after_change

    async def answer(self, activity: Activity) -> Invoked:
        """The invoke's answer: HTTP 200 and the task response."""
        event = dialog_event(activity)
        body = message(_(UNREADABLE)) if event is None else await self._run(event, activity)
        return 200, body

    async def _run(self, event: ActionInvoked, activity: Activity) -> Json:
        # A submit changes things: the same activity delivered again changes nothing more.
        submitted = activity.get("name") in _SUBMITS
        event_id = inbound.activity_id(activity) if submitted else None
        effects = await self._concord.handle(event, event_id=event_id)
        await self._concord.channel_seen(event.place, inbound.reference_of(activity))
        self._after_change()
        return self._response(effects, event.actor)

    def _response(self, effects: list[Effect], actor: Actor) -> Json:
        """The form to show (or show again), else the answer in words, else as a card."""
        notes, opened = for_actor(effects, actor)
        if opened:
            form = opened[0].form
            shown = card_message(render_form(form), form.title)
            return continued(form.title, shown, tall=len(form.inputs) > TALL_FORM)
        cards = [note.card for note in notes]
        if not cards:  # nothing to say (a submit delivered twice, say)
            return message(_(DONE))
        if (text := in_words(cards)) is not None:
            return message(text)
        card = _joined(cards)
        return continued(summary(card), self._port.card_activity(card), tall=True)


def dialog_event(activity: Activity) -> ActionInvoked | None:
    """The click or submission a dialog invoke carries; None when Concord can't read it."""
    name = activity.get("name")
    if name in (inbound.COMPOSE_FETCH, inbound.COMPOSE_SUBMIT):
        if inbound.compose_command(activity) != COMPOSE_COMMAND:
            return None
        if name == inbound.COMPOSE_FETCH:
            actor, place = inbound.actor_of(activity), inbound.place_of(activity)
            return ActionInvoked(actor, place, RequestPoll().encode())
    event = inbound.to_event(activity)
    return event if isinstance(event, ActionInvoked) else None


def continued(title: str, shown: Json, *, tall: bool) -> Json:
    """A dialog (still, or again) showing the card the message `shown` carries."""
    (attachment,) = shown["attachments"]
    value = {
        "title": shorten(title, MAX_TITLE),
        "width": "medium",
        "height": "large" if tall else "medium",
        "card": attachment,
    }
    return {"task": {"type": "continue", "value": value}}


def message(text: str) -> Json:
    """Close the dialog (or open none), showing `text` in Teams' small message box."""
    return {"task": {"type": "message", "value": text}}


def in_words(cards: list[Card]) -> str | None:
    """The cards as plain text, buttons left out; None when they hold more than words."""
    blocks = [block for card in cards for block in card.blocks]
    words = [block for block in blocks if isinstance(block, Heading | Text | Context)]
    if any(not isinstance(block, Heading | Text | Context | Actions | Divider) for block in blocks):
        return None
    lines = [
        WARNING + block.text if isinstance(block, Text) and block.tone == "warning" else block.text
        for block in words
    ]
    return shorten("\n\n".join(lines), MAX_MESSAGE)


def _joined(cards: list[Card]) -> Card:
    """Several answers as one card, a line between each."""
    blocks: list[Block] = []
    for card in cards:
        blocks += [Divider(), *card.blocks] if blocks else card.blocks
    return Card(blocks=blocks, fallback=cards[0].fallback)
