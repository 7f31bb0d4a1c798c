"""How Teams reaches Concord: Bot Framework activities at `POST /api/messages`, and the
delivery port the outbox uses to answer.

Which SDK receives them is a setting (`TeamsConfig.sdk`, CONCORD_TEAMS_SDK): botbuilder
(`adapters.teams.botbuilder`) or the Microsoft 365 Agents SDK (`adapters.teams.agents`).
Each checks the request, authenticates it and runs the turn its own way, then hands the
activity, as the wire's JSON, to `TeamsBot`, which is the same for both: only the edge
and the delivery port differ. The SDK not chosen is never imported.

With `MICROSOFT_APP_ID` set every request's JWT is verified by the SDK (single- or
multi-tenant). Without it the transport exists only in local mode (`TeamsConfig.local`,
CONCORD_TEAMS_LOCAL): nothing is verified, Concord calls only a `serviceUrl` on this
machine (see `adapters.teams.service_url`), and start-up logs a warning saying so.

Each activity is handled before the HTTP response is sent, so Teams hears back
only after the change is committed. What the engine answers for the person who
acted is shown privately, the ways Teams allows:
- for an `Action.Execute` click (an `adaptiveCard/action` invoke), in the card of the
  invoke response, which Teams shows the clicker alone
  (`adapters.teams.universal_actions`: no connector call at all);
- in a personal chat, as a reply in the chat;
- otherwise (an `Action.Submit` fallback or a command in a channel or group chat) in
  the person's 1:1 chat with Concord.
A button that opens a form opens it as a dialog where it was clicked, and the compose
box's "Create a poll" opens the new-poll form: those invokes are answered by
`adapters.teams.task_modules`. A form answering a typed command (`poll` alone) goes
the same private way as a note, as an Adaptive Card with inputs (`render_form`):
Teams opens a dialog only from a click, never from a typed message.

Channel messages (new polls, live results) never pass through here: the engine
writes them to the outbox, and `after_change` wakes the dispatcher.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from aiohttp import web

from adapters.teams import inbound
from adapters.teams.config import TeamsConfig
from adapters.teams.connector import Connector, Invoked, Json, OnActivity
from adapters.teams.package import MESSAGING_PATH
from adapters.teams.port import TeamsPort, card_message
from adapters.teams.render import render_form
from adapters.teams.task_modules import INVOKES as DIALOG_INVOKES
from adapters.teams.task_modules import Dialogs
from adapters.teams.universal_actions import UniversalActions
from dialogs.core.cards import Effect, OpenForm, Post
from dialogs.core.clock import Clock, utc_now
from dialogs.core.effects import for_actor
from dialogs.core.events import ActionInvoked, Actor, CommandIssued, Installed
from dialogs.core.language import _
from dialogs.core.ports import Concord, DeliveryError

__all__ = ["TeamsBot", "TeamsConfig", "TeamsTransport"]

log = logging.getLogger(__name__)


class Edge(Protocol):
    """One SDK's side of Teams: `/api/messages` checked and authenticated, and the port."""

    port: TeamsPort

    async def process(self, request: web.Request, on_activity: OnActivity) -> web.Response: ...

    async def close(self) -> None:
        """Close what the edge keeps between requests (its connector clients)."""


def edge_for(config: TeamsConfig, clock: Clock) -> Edge:
    """The chosen SDK's edge, importing that SDK alone."""
    if config.sdk == "agents":
        from adapters.teams.agents.edge import AgentsEdge

        return AgentsEdge(config, clock)
    from adapters.teams.botbuilder.edge import BotbuilderEdge

    return BotbuilderEdge(config, clock)


class TeamsTransport:
    """The Teams adapter as the composition root sees it: a route, a port, start and stop."""

    def __init__(
        self,
        concord: Concord,
        config: TeamsConfig,
        *,
        after_change: Callable[[], None],
        clock: Clock = utc_now,
    ) -> None:
        if config.authenticated == config.local:
            raise ValueError("Teams runs with a Microsoft app id or in local mode: one of them")
        self._config = config
        self.edge = edge_for(config, clock)
        self.port = self.edge.port
        self.bot = TeamsBot(concord, self.port, after_change)

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(MESSAGING_PATH, self._messages)

    async def start(self) -> None:
        if self._config.local:
            log.warning(
                "Teams in local mode (CONCORD_TEAMS_LOCAL): %s accepts Bot Framework "
                "activities WITHOUT authentication and answers only a serviceUrl on this "
                "machine, for a test client. Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD "
                "instead before Teams can reach Concord.",
                MESSAGING_PATH,
            )
        else:
            log.info(
                "Teams (%s): %s checks every request's Bot Framework token",
                self._config.sdk,
                MESSAGING_PATH,
            )

    async def stop(self) -> None:
        """Each turn finishes before its response: only kept clients are left to close."""
        await self.edge.close()

    async def _messages(self, request: web.Request) -> web.Response:
        return await self.edge.process(request, self.bot.on_activity)


class TeamsBot:
    """One activity in: a neutral event for the engine, then the private answer."""

    def __init__(self, concord: Concord, port: TeamsPort, after_change: Callable[[], None]) -> None:
        self._concord = concord
        self._port = port
        self._after_change = after_change
        self._dialogs = Dialogs(concord, port, after_change)
        self._actions = UniversalActions(concord, port, after_change)

    async def on_activity(self, activity: Json, connector: Connector) -> Invoked | None:
        """Handle one authenticated activity; an invoke's answer, if it is one."""
        if activity.get("type") in (inbound.CONVERSATION_UPDATE, inbound.INSTALLATION_UPDATE):
            if inbound.bot_was_added(activity):
                await self._joined(activity, connector)
            return None
        if inbound.is_invoke(activity, DIALOG_INVOKES):
            return await self._dialogs.answer(activity)
        if inbound.is_invoke(activity, (inbound.CARD_ACTION_INVOKE,)):
            answer, opened = await self._actions.answer(activity)
            await self._privately(activity, connector, inbound.actor_of(activity), _forms(opened))
            return answer
        event = inbound.to_event(activity)
        if event is None:
            if inbound.is_invoke(activity):
                return _answer_invoke(400, _("That card action had nothing for Concord."))
            return None
        event_id = inbound.activity_id(activity) if isinstance(event, CommandIssued) else None
        effects = await self._concord.handle(event, event_id=event_id)
        await self._concord.channel_seen(event.place, inbound.reference_of(activity))
        self._after_change()
        await self._answer(activity, connector, event, effects)
        return None

    async def _joined(self, activity: Json, connector: Connector) -> None:
        """Concord was added: keep the reference if the channel is linked, greet once."""
        place = inbound.place_of(activity)
        effects = await self._concord.handle(Installed(place, inbound.reference_of(activity)))
        greetings = [effect.card for effect in effects if isinstance(effect, Post)]
        try:
            for card in greetings:
                await connector.send(place.channel_id, self._port.card_activity(card))
        except DeliveryError as error:  # Concord is installed either way: only logged
            log.warning("the greeting could not be sent", extra=_why(error, place.tenant_id))

    async def _answer(
        self,
        activity: Json,
        connector: Connector,
        event: CommandIssued | ActionInvoked,
        effects: list[Effect],
    ) -> None:
        mine, opened = for_actor(effects, event.actor)
        notes = [self._port.card_activity(note.card) for note in mine]
        await self._privately(activity, connector, event.actor, notes + _forms(opened))

    async def _privately(
        self, activity: Json, connector: Connector, actor: Actor, messages: list[Json]
    ) -> None:
        for message in messages:
            try:
                await self._tell(activity, connector, actor, message)
            except DeliveryError as error:  # a note that can't go out must not undo the answer
                log.warning(
                    "a private reply could not be delivered", extra=_why(error, actor.tenant_id)
                )

    async def _tell(
        self, activity: Json, connector: Connector, actor: Actor, message: Json
    ) -> None:
        if inbound.is_personal(activity):
            await connector.send(inbound.place_of(activity).channel_id, message)
            return
        member_id = inbound.sender_id(activity)  # within a turn, the Bot Framework id
        bot = activity.get("recipient")
        await self._port.send_private(connector, bot, member_id, actor.tenant_id, message)


def _answer_invoke(status: int, text: str) -> Invoked:
    """Answer an invoke Concord has nothing for with an error its sender can read."""
    body = {
        "statusCode": status,
        "type": "application/vnd.microsoft.error",
        "value": {"code": "BadRequest", "message": text},
    }
    return 200, body


def _forms(opened: list[OpenForm]) -> list[Json]:
    return [card_message(render_form(e.form), e.form.title) for e in opened]


def _why(error: Exception, tenant_id: str) -> dict[str, str]:
    """One log line's worth of why a send failed: the connector's answer, not a traceback."""
    return {"tenant": tenant_id, "why": f"{type(error).__name__}: {error}"[:300]}
