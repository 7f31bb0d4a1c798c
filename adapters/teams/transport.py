"""How Teams reaches Concord: Bot Framework activities at `POST /api/messages`, and the
delivery port the outbox uses to answer.

With `MICROSOFT_APP_ID` set every request's JWT is verified by botbuilder
(`ConfigurationBotFrameworkAuthentication`, single- or multi-tenant). Without it the
transport exists only in local mode (`TeamsConfig.local`, CONCORD_TEAMS_LOCAL): nothing
is verified, Concord calls only a `serviceUrl` on this machine (see
`adapters.teams.service_url`), and start-up logs a warning saying so.

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
from dataclasses import dataclass

from aiohttp import ClientError, web
from azure.core.exceptions import DeserializationError
from botbuilder.core import Bot, InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.aio import ConnectorClient
from msrest.exceptions import ClientRequestError, HttpOperationError

from adapters.teams import inbound
from adapters.teams.cloud_adapter import ConcordCloudAdapter
from adapters.teams.package import MESSAGING_PATH
from adapters.teams.port import TeamsPort, card_message
from adapters.teams.render import render_form
from adapters.teams.sender_language import sender_language
from adapters.teams.task_modules import INVOKES as DIALOG_INVOKES
from adapters.teams.task_modules import Dialogs
from adapters.teams.universal_actions import UniversalActions
from dialogs.core.cards import Effect, OpenForm, Post
from dialogs.core.clock import Clock, utc_now
from dialogs.core.effects import for_actor
from dialogs.core.events import ActionInvoked, Actor, CommandIssued, Installed
from dialogs.core.language import _, speaking
from dialogs.core.ports import Concord, DeliveryError

log = logging.getLogger(__name__)

# How a send to the Bot Connector fails when it can't be reached or refuses: logged as one
# line (anything else is a bug, and keeps its traceback).
# (msrest reads an answer that isn't JSON, such as a bare 404, with azure.core's
# DeserializationError.)
UNDELIVERABLE = (
    ClientRequestError,
    HttpOperationError,
    ClientError,
    OSError,
    DeliveryError,
    DeserializationError,
)


@dataclass(frozen=True)
class TeamsConfig:
    app_id: str | None = None
    app_password: str | None = None
    app_type: str = "MultiTenant"
    tenant_id: str | None = None
    public_url: str = ""
    local: bool = False

    @property
    def authenticated(self) -> bool:
        return bool(self.app_id)


class _BotSettings:
    """The configuration object botbuilder's authentication reads (upper-case names)."""

    def __init__(self, config: TeamsConfig) -> None:
        self.APP_ID = config.app_id or ""
        self.APP_PASSWORD = config.app_password or ""
        # Without an app id only MultiTenant means "no authentication" to botbuilder.
        self.APP_TYPE = config.app_type if config.authenticated else "MultiTenant"
        self.APP_TENANTID = config.tenant_id or ""


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
        authentication = ConfigurationBotFrameworkAuthentication(_BotSettings(config))
        self.adapter = ConcordCloudAdapter(authentication, local=config.local)
        self.port = TeamsPort(
            self.adapter,
            app_id=config.app_id,
            public_url=config.public_url,
            local=config.local,
            clock=clock,
        )
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
            log.info("Teams: %s checks every request's Bot Framework token", MESSAGING_PATH)

    async def stop(self) -> None:
        """Nothing runs between requests: each turn finishes before its response."""

    async def _messages(self, request: web.Request) -> web.Response:
        return await self.adapter.process(request, self.bot)


class TeamsBot(Bot):
    """One activity in: a neutral event for the engine, then the private answer."""

    def __init__(self, concord: Concord, port: TeamsPort, after_change: Callable[[], None]) -> None:
        self._concord = concord
        self._port = port
        self._after_change = after_change
        self._dialogs = Dialogs(concord, port, after_change)
        self._actions = UniversalActions(concord, port, after_change, self._open_forms)

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        if activity.type in (ActivityTypes.conversation_update, ActivityTypes.installation_update):
            if inbound.bot_was_added(activity):
                await self._joined(context)
            return
        if activity.type == ActivityTypes.invoke and activity.name in DIALOG_INVOKES:
            await self._dialogs.answer(context)
            return
        if activity.type == ActivityTypes.invoke and activity.name == inbound.CARD_ACTION_INVOKE:
            await self._actions.answer(context)
            return
        event = inbound.to_event(activity)
        if event is None:
            if activity.type == ActivityTypes.invoke:
                with speaking(await sender_language(self._concord, activity)):
                    refused = _("That card action had nothing for Concord.")
                await _answer_invoke(context, 400, refused)
            return
        event_id = activity.id if isinstance(event, CommandIssued) and activity.id else None
        effects = await self._concord.handle(event, event_id=event_id)
        await self._concord.channel_seen(event.place, inbound.reference_of(activity))
        self._after_change()
        await self._answer(context, event, effects)

    async def _joined(self, context: TurnContext) -> None:
        """Concord was added: keep the reference if the channel is linked, greet once."""
        activity = context.activity
        place = inbound.place_of(activity)
        joined = Installed(place, inbound.reference_of(activity), inbound.locale_of(activity))
        effects = await self._concord.handle(joined)
        greetings = [effect.card for effect in effects if isinstance(effect, Post)]
        try:
            for card in greetings:
                await _send(context, self._port.card_activity(card), place.channel_id)
        except UNDELIVERABLE as error:  # Concord is installed either way: only logged
            log.warning("the greeting could not be sent", extra=_why(error, place.tenant_id))

    async def _answer(
        self, context: TurnContext, event: CommandIssued | ActionInvoked, effects: list[Effect]
    ) -> None:
        mine, opened = for_actor(effects, event.actor)
        notes = [self._port.card_activity(note.card) for note in mine]
        await self._privately(context, event.actor, notes + _forms(opened))

    async def _open_forms(self, context: TurnContext, actor: Actor, opened: list[OpenForm]) -> None:
        await self._privately(context, actor, _forms(opened))

    async def _privately(
        self, context: TurnContext, actor: Actor, messages: list[Activity]
    ) -> None:
        for message in messages:
            try:
                await self._tell(context, actor, message)
            except UNDELIVERABLE as error:  # a note that can't go out must not undo the answer
                log.warning(
                    "a private reply could not be delivered", extra=_why(error, actor.tenant_id)
                )

    async def _tell(self, context: TurnContext, actor: Actor, message: Activity) -> None:
        activity = context.activity
        if inbound.is_personal(activity):
            await _send(context, message, inbound.place_of(activity).channel_id)
            return
        connector: ConnectorClient = context.turn_state[context.adapter.BOT_CONNECTOR_CLIENT_KEY]
        member_id = str(activity.from_property.id)  # within a turn, the Bot Framework id
        await self._port.send_private(
            connector, activity.recipient, member_id, actor.tenant_id, message
        )


async def _send(context: TurnContext, message: Activity, conversation_id: str) -> None:
    """Send into the turn's conversation as a new message (not a reply to an activity)."""
    connector: ConnectorClient = context.turn_state[context.adapter.BOT_CONNECTOR_CLIENT_KEY]
    await connector.conversations.send_to_conversation(conversation_id, message)


async def _answer_invoke(context: TurnContext, status: int, text: str) -> None:
    """Answer an invoke Concord has nothing for with an error its sender can read."""
    body = {
        "statusCode": status,
        "type": "application/vnd.microsoft.error",
        "value": {"code": "BadRequest", "message": text},
    }
    response = InvokeResponse(status=200, body=body)
    await context.send_activity(Activity(type=ActivityTypes.invoke_response, value=response))


def _forms(opened: list[OpenForm]) -> list[Activity]:
    return [card_message(render_form(e.form), e.form.title) for e in opened]


def _why(error: Exception, tenant_id: str) -> dict[str, str]:
    """One log line's worth of why a send failed: the connector's answer, not a traceback."""
    return {"tenant": tenant_id, "why": f"{type(error).__name__}: {error}"[:300]}
