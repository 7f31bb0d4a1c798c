"""What Concord does with each kind of request Slack sends: translate, let the engine
decide, answer the person who acted.

Every listener follows one shape: the payload becomes a neutral event
(`adapters.slack.inbound`), the engine stores what it changes in a committed
transaction (vote clicks that arrive together share one, see `dialogs.runner`), and
only then is Slack acknowledged — so an acknowledged vote survives a crash. What the
engine returns for the person is shown the fastest way Slack allows: a slash
command's reply rides in its acknowledgement, a form opens with the request's
`trigger_id` (valid for 3 s, so before the acknowledgement), a refused form
submission re-opens with what was typed, and other private notes go out just after
the acknowledgement: through a click's `response_url`, else as ephemeral messages
(a DM's as a plain reply).

Channel messages (new polls, live results) never pass through here: the engine
writes them to the outbox, and `after_change` wakes the dispatcher.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import replace
from typing import Any

from aiohttp import ClientError
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound, shortcut
from adapters.slack.inbound import PLATFORM
from adapters.slack.installations import SlackInstallations
from adapters.slack.manifest import CREATE_POLL_CALLBACK_ID
from adapters.slack.port import SlackPort
from adapters.slack.profiles import SlackProfiles
from adapters.slack.render import (
    ACTION_ID_PREFIX,
    FORM_CALLBACK_ID,
    render_home,
    render_modal,
)
from dialogs.core.cards import (
    ActorModel,
    Card,
    Download,
    Effect,
    Form,
    Notify,
    PlaceModel,
    Text,
)
from dialogs.core.effects import for_actor
from dialogs.core.events import ActionInvoked, Actor, CommandIssued, Place
from dialogs.core.language import DEFAULT, N_, _, current, speaking
from dialogs.core.ports import Concord, DeliveryError, ExportFile

log = logging.getLogger(__name__)

FORMS_NEED_A_CLICK = N_(
    "That opens a form, and Slack only opens forms from a slash command or a button: "
    "type `/concord {text}` instead."
)


class SlackListeners:
    def __init__(
        self,
        concord: Concord,
        port: SlackPort,
        after_change: Callable[[], None],
        installations: SlackInstallations | None = None,
        profiles: SlackProfiles | None = None,
    ) -> None:
        self._concord = concord
        self._port = port
        self._after_change = after_change
        self._installations = installations
        self._profiles = profiles
        self._notes: set[asyncio.Task[None]] = set()

    def register(self, app: AsyncApp) -> None:
        app.command("/concord")(self.command)
        app.event("app_mention")(self.mention)
        app.event("message")(self.message)
        app.action(re.compile(f"^{re.escape(ACTION_ID_PREFIX)}"))(self.action)
        app.view(FORM_CALLBACK_ID)(self.form_submitted)
        app.shortcut(CREATE_POLL_CALLBACK_ID)(self.create_poll)
        app.view(shortcut.CALLBACK_ID)(self.channel_chosen)
        app.event("app_home_opened")(self.home_opened)
        app.event("member_joined_channel")(_nothing_to_do)
        app.event("app_uninstalled")(self.uninstalled)
        app.event("tokens_revoked")(self.tokens_revoked)
        app.error(_log_error)

    async def settle(self) -> None:
        """Wait (a few seconds at most) for private replies and profile look-ups on their way."""
        if self._notes:
            await asyncio.wait(self._notes, timeout=5)
        if self._profiles is not None:
            await self._profiles.settle()

    # Commands: /concord, @Concord mentions and DMs.

    async def command(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        event = inbound.from_slash_command(body)
        if event is None:
            await ack()
            return
        # Each command (and form submission) has its own trigger_id: a replay of a signed
        # request finds it recorded and does nothing.
        trigger_id = body.get("trigger_id")
        effects = await self._handle(event, _replay_key(trigger_id))
        await self._open_forms(client, trigger_id, event, effects)
        notes = _notes_for(event.actor, effects)
        if notes:
            await ack(response_type="ephemeral", **self._port.render(notes[0].card))
        else:
            await ack()
        self._send_notes(notes[1:])
        self._send_files(notes)

    async def mention(self, body: dict[str, Any], context: AsyncBoltContext) -> None:
        event = inbound.from_app_mention(body.get("event") or {}, _team(body), context.bot_user_id)
        await self._handle_message(event, body.get("event_id"))

    async def message(self, body: dict[str, Any]) -> None:
        event = inbound.from_direct_message(body.get("event") or {}, _team(body))
        await self._handle_message(event, body.get("event_id"))

    async def _handle_message(self, event: CommandIssued | None, event_id: object) -> None:
        """A command typed in a message: retries absorbed by `event_id`, replies private."""
        if event is None:
            return
        effects = await self._handle(event, event_id if isinstance(event_id, str) else None)
        notes = _notes_for(event.actor, effects)
        if forms := _forms_for(event.actor, effects):
            with speaking(forms[0].language or current()):
                text = _(FORMS_NEED_A_CLICK).format(text=event.text.strip())
            notes.append(_note(event.actor, event.place, text))
        self._send_notes(notes)
        self._send_files(notes)

    # Interactivity: buttons, selects, forms, the shortcut.

    async def action(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await self.clicked(body, client)
        await ack()

    async def clicked(self, body: dict[str, Any], client: AsyncWebClient | None = None) -> None:
        """A button or select: the change stored, forms opened (given a client to open them
        with), and the private replies on their way once Slack has its answer."""
        event = inbound.from_block_actions(body)
        if event is None:
            return
        effects = await self._handle(event, None)
        if client is not None:
            await self._open_forms(client, body.get("trigger_id"), event, effects)
        response_url = body.get("response_url")
        notes = _notes_for(event.actor, effects)
        self._send_notes(notes, response_url if isinstance(response_url, str) else None)

    async def form_submitted(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        event = inbound.from_view_submission(body)
        if event is None:
            await ack()
            return
        effects = await self._handle(event, _replay_key(body.get("trigger_id")))
        # A refused form comes back with the person's input and the reason; a form that
        # leads to another replaces it in place.
        if not await _replaced_modal(ack, event, effects):
            await ack()
        self._send_notes(_notes_for(event.actor, effects))

    async def create_poll(
        self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """The global shortcut: it has no channel, so the first step asks which one."""
        await ack()
        trigger_id = body.get("trigger_id")
        if isinstance(trigger_id, str):
            with speaking(await self._language(inbound.payload_actor(body), None)):
                picker = shortcut.channel_picker()
            await _call(client.views_open(trigger_id=trigger_id, view=picker))

    async def channel_chosen(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """The shortcut's channel is known: show the poll form for it, or say why not."""
        event = shortcut.poll_command(body)
        if event is None:
            with speaking(await self._language(inbound.payload_actor(body), None)):
                await ack(response_action="errors", errors={shortcut.INPUT: _(shortcut.PICK_ONE)})
            return
        effects = await self._handle(event, None)
        if await _replaced_modal(ack, event, effects):
            return
        notes = _notes_for(event.actor, effects)
        if notes:
            problem = _plain_text(notes[0].card)
        else:
            with speaking(await self._language(event.actor, event.place)):
                problem = _(shortcut.PICK_ONE)
        await ack(response_action="errors", errors={shortcut.INPUT: problem})

    # App Home and the app's life cycle.

    async def home_opened(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        event = body.get("event")
        if not isinstance(event, Mapping) or event.get("tab") != "home":
            return
        user_id = event.get("user")
        if not isinstance(user_id, str):
            return
        actor = Actor(PLATFORM, _team(body), user_id, user_id)
        card = await self._concord.home(actor)
        with speaking(card.language or current()):
            view = render_home(card)
        await _call(client.views_publish(user_id=user_id, view=view))

    async def uninstalled(self, body: dict[str, Any]) -> None:
        team_id = _team(body)
        log.warning("Concord was uninstalled from a Slack workspace", extra={"team": team_id})
        if self._installations is not None:
            await self._installations.forget(team_id)
        dropped = await self._concord.tenant_removed(PLATFORM, team_id)
        log.info("undeliverable messages dropped", extra={"team": team_id, "count": dropped})

    async def tokens_revoked(self, body: dict[str, Any]) -> None:
        event = body.get("event") or {}
        tokens = event.get("tokens") if isinstance(event, Mapping) else None
        bots = tokens.get("bot") if isinstance(tokens, Mapping) else None
        if not bots:
            return
        team_id = _team(body)
        log.warning("Slack revoked Concord's bot token", extra={"team": team_id})
        if self._installations is not None:
            await self._installations.forget(team_id)

    # Shared steps.

    async def _handle(
        self, event: CommandIssued | ActionInvoked, event_id: str | None
    ) -> list[Effect]:
        if self._profiles is not None:  # the person's zone and language, from their profile
            event = self._profiles.carried(event)
        effects = await self._concord.handle(event, event_id=event_id)
        self._after_change()
        return effects

    async def _language(self, actor: Actor | None, place: Place | None) -> str:
        """The language `actor` reads, for words said to them outside a turn (with their
        Slack profile's locale, when known); English when nobody is known."""
        if actor is None:
            return DEFAULT
        if self._profiles is not None:
            locale = self._profiles.profile(actor.tenant_id, actor.user_id).locale
            actor = replace(actor, locale=locale)
        return await self._concord.reader_language(actor, place)

    async def _open_forms(
        self,
        client: AsyncWebClient,
        trigger_id: object,
        event: CommandIssued | ActionInvoked,
        effects: list[Effect],
    ) -> None:
        forms = _forms_for(event.actor, effects)
        if not forms or not isinstance(trigger_id, str):
            return
        view = render_modal(forms[0], private_metadata=_metadata(forms[0], event.place))
        await _call(client.views_open(trigger_id=trigger_id, view=view))

    def _send_notes(self, notes: list[Notify], response_url: str | None = None) -> None:
        for note in notes:
            self._later(self._send_note(note, response_url))

    def _send_files(self, notes: list[Notify]) -> None:
        """Each file a note offers, uploaded to the person's direct messages with Concord."""
        for note in notes:
            for block in note.card.blocks:
                if isinstance(block, Download):
                    self._later(self._send_file(note.actor.actor(), block, note.card))

    def _later(self, sending: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(sending)
        self._notes.add(task)
        task.add_done_callback(self._notes.discard)

    async def _send_file(self, actor: Actor, download: Download, offer: Card) -> None:
        """The file `download` names, with the words of the note that `offer`s it; if Slack
        doesn't take it, a note in that note's language saying so."""
        found = await self._concord.export_file(download.token)
        try:
            if not isinstance(found, ExportFile):
                raise DeliveryError(f"the export {download.filename} is gone")
            await self._port.send_file(actor, found, offer.fallback)
        except Exception as error:
            log.warning("an export could not be uploaded", extra={"why": str(error)})
            with speaking(offer.language or current()):
                text = _("Slack did not take the file {name}; ask again in a minute.").format(
                    name=download.filename
                )
            self._send_notes([_note(actor, None, text)])

    async def _send_note(self, note: Notify, response_url: str | None) -> None:
        """Through the click's `response_url` when there is one, else as an ephemeral
        message (in a DM with Concord, a plain reply reads better)."""
        actor = note.actor.actor()
        place = note.place.place() if note.place else None
        if place is not None and place.channel_id.startswith("D"):
            place = None
        try:
            if not (response_url and place and await self._responded(response_url, note.card)):
                await self._port.notify(actor, place, {}, note.card)
        except (DeliveryError, SlackApiError, ClientError, OSError) as error:  # one line, no trace
            log.warning(
                "a private reply could not be delivered",
                extra={"team": actor.tenant_id, "why": f"{type(error).__name__}: {error}"[:300]},
            )

    async def _responded(self, response_url: str, card: Card) -> bool:
        try:
            await self._port.respond(response_url, card)
        except DeliveryError as error:
            log.info("response_url failed, replying ephemerally", extra={"why": str(error)})
            return False
        return True


def _replay_key(trigger_id: object) -> str | None:
    return f"trigger:{trigger_id}" if isinstance(trigger_id, str) and trigger_id else None


def _notes_for(actor: Actor, effects: list[Effect]) -> list[Notify]:
    return for_actor(effects, actor)[0]


def _forms_for(actor: Actor, effects: list[Effect]) -> list[Form]:
    return [opened.form for opened in for_actor(effects, actor)[1]]


async def _replaced_modal(
    ack: AsyncAck, event: CommandIssued | ActionInvoked, effects: list[Effect]
) -> bool:
    """Acknowledge a submission by showing the form the engine answered with, if any."""
    forms = _forms_for(event.actor, effects)
    if not forms:
        return False
    view = render_modal(forms[0], private_metadata=_metadata(forms[0], event.place))
    await ack(response_action="update", view=view)
    return True


def _note(actor: Actor, place: Place | None, text: str) -> Notify:
    card = Card(blocks=[Text(text=text)], fallback=text)
    where = PlaceModel.of(place) if place else None
    return Notify(actor=ActorModel.of(actor), place=where, card=card)


def _metadata(form: Form, place: Place) -> str:
    return inbound.modal_metadata(form.action, place)


def _plain_text(card: Card) -> str:
    return next((b.text for b in card.blocks if isinstance(b, Text)), card.fallback)


def _team(body: Mapping[str, Any]) -> str:
    team = body.get("team_id")
    if isinstance(team, str):
        return team
    nested = body.get("team")
    return nested.get("id", "") if isinstance(nested, Mapping) else ""


async def _call(request: Coroutine[Any, Any, Any] | Awaitable[Any]) -> None:
    """A Web API call made while answering someone: a failure is logged, never raised."""
    try:
        await request
    except SlackApiError as error:
        log.warning("Slack refused a call", extra={"error": error.response.get("error")})


async def _nothing_to_do() -> None:
    """Acknowledged and ignored: Concord meets newcomers when they first act."""


async def _log_error(error: Exception) -> None:
    log.error("Slack request failed", exc_info=error)
