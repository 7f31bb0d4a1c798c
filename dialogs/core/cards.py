"""The neutral card model every platform renders, and the effects that carry cards.

Cards hold plain user text. Each renderer escapes it for its own platform, so the
engine never writes markup. Cards are pydantic models so the outbox can store
them as JSON and hand them back unchanged.
"""

from __future__ import annotations

from abc import abstractmethod
from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from dialogs.core.events import Actor, Place
from dialogs.core.language import N_, _


class _Block(BaseModel):
    model_config = ConfigDict(frozen=True)


class Heading(_Block):
    kind: Literal["heading"] = "heading"
    text: str


class Text(_Block):
    kind: Literal["text"] = "text"
    text: str
    tone: Literal["normal", "muted", "warning"] = "normal"


class FieldItem(_Block):
    label: str
    value: str


class Fields(_Block):
    kind: Literal["fields"] = "fields"
    items: list[FieldItem]


class Bar(_Block):
    label: str
    count: int
    percent: int
    leading: bool = False
    mark: str = ""  # "(leading)" in the card's language: filled when the bar is built

    @model_validator(mode="before")
    @classmethod
    def _in_words(cls, given: Any) -> Any:
        if isinstance(given, dict) and given.get("leading") and not given.get("mark"):
            return {**given, "mark": _(LEADING)}
        return given

    @property
    def marked(self) -> str:
        """The label, saying "(leading)" in words where it leads: never by bold or colour alone."""
        return f"{self.label} {self.mark}" if self.leading else self.label


LEADING = N_("(leading)")


class ResultBars(_Block):
    kind: Literal["results"] = "results"
    bars: list[Bar]
    summary: str


class Confirm(_Block):
    """The question a button asks before it acts, for what can't be taken back: each
    platform shows it its own way (a dialog, a fold-out card), with `yes` to go on and
    `no` to leave things as they are."""

    title: str
    text: str
    yes: str
    no: str


class _Named(_Block):
    """What a person acts on. `spoken` is its accessible name, what a screen reader says
    for it, where the words shown are ambiguous out of context ("4", "Edit"): "Answer 4 of
    5 to: How well did we share information?". It contains the words shown, so a person
    who says what they see (voice control) still reaches it."""

    spoken: str | None = None

    def spoken_name(self, limit: int = 0) -> str:
        return spoken_within(self.spoken or self.shown, limit)

    @property
    @abstractmethod
    def shown(self) -> str:
        """The words the person sees on it."""


class Button(_Named):
    """A button. `style` only adds emphasis: its words carry the meaning."""

    kind: Literal["button"] = "button"
    label: str
    action: str
    style: Literal["default", "primary", "danger"] = "default"
    confirm: Confirm | None = None

    @property
    def shown(self) -> str:
        return self.label


class Choice(_Named):
    label: str
    value: str

    @property
    def shown(self) -> str:
        return self.label


class Select(_Named):
    """A choice of actions, each choice's value itself the action string. Choosing alone
    never acts: each platform shows the choices as buttons (Teams, the playground), or asks
    "go ahead?" once the choice is made (Slack's menu, which sends a choice at once)."""

    kind: Literal["select"] = "select"
    placeholder: str
    choices: list[Choice]

    @property
    def shown(self) -> str:
        return self.placeholder


def spoken_within(name: str, limit: int = 0) -> str:
    """`name` in at most `limit` characters (0: no limit), cut after a whole word with "…"."""
    if not limit or len(name) <= limit:
        return name
    cut = name[: limit - 1]
    if " " in cut.strip():
        cut = cut[: cut.rstrip().rfind(" ")]
    return cut.rstrip(" :,;–—") + "…"


class Actions(_Block):
    kind: Literal["actions"] = "actions"
    elements: list[Annotated[Button | Select, Field(discriminator="kind")]]


class Image(_Block):
    kind: Literal["image"] = "image"
    url: str
    alt: str


class Context(_Block):
    kind: Literal["context"] = "context"
    text: str


class Divider(_Block):
    kind: Literal["divider"] = "divider"


class Download(_Block):
    """A file made for the person reading: `url` is Concord's own address for it
    (`/exports/<token>`, relative), which a platform may deliver as an upload instead."""

    kind: Literal["download"] = "download"
    filename: str
    media_type: str
    url: str
    size: int

    @property
    def token(self) -> str:
        return self.url.rsplit("/", 1)[-1]


Block = Annotated[
    Heading | Text | Fields | ResultBars | Actions | Image | Context | Divider | Download,
    Field(discriminator="kind"),
]


class Card(_Block):
    """One message. `fallback` is the plain-text summary for notifications.

    `key` names the keyed message (`dialogs.core.messages`) this card renders, when it
    is one: a platform that shows each person their own view of a message (Teams'
    Universal Actions) asks the engine for `render_view(key, person)`.

    `zone` is the reader's own time zone when the card is for one person (a private
    reply, their own view) and Concord knows it: the platforms that can't show a moment
    in each reader's zone by themselves (`dialogs.core.moments`) show it in this one.
    `language` is the language the card was written in ("cy", "en"; None: not said), so
    a renderer shows those moments in it too.
    """

    blocks: list[Block]
    fallback: str
    key: str | None = None
    zone: str | None = None
    language: str | None = None


class TextInput(_Block):
    kind: Literal["text_input"] = "text_input"
    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    multiline: bool = False
    max_length: int = 300
    optional: bool = False


class ChoiceInput(_Block):
    kind: Literal["choice_input"] = "choice_input"
    name: str
    label: str
    choices: list[Choice]
    value: list[str] = []
    multiple: bool = False


class DateTimeInput(_Block):
    """A day and a time, picked with the platform's own pickers, shown in `timezone`.

    It is submitted as ISO 8601 text: "2026-12-31T17:00" (a wall-clock time in `timezone`),
    "2026-12-31" (the day alone), or with an offset, "2026-12-31T17:00:00+00:00" (an
    instant, from a picker that shows the person's own zone). `value` is a UTC moment.
    """

    kind: Literal["datetime_input"] = "datetime_input"
    name: str
    label: str
    timezone: str
    value: datetime | None = None  # optional, like a choice: the engine decides what is missing

    def local_value(self) -> datetime | None:
        """The value as the wall clock in `timezone` shows it."""
        return self.value.astimezone(ZoneInfo(self.timezone)) if self.value else None

    def zoned_label(self) -> str:
        """The label, saying the zone, for pickers that know none (in the language of the
        work in hand: a renderer's, the form's)."""
        return _("{label} ({zone} time)").format(label=self.label, zone=self.timezone)


FormInput = Annotated[TextInput | ChoiceInput | DateTimeInput, Field(discriminator="kind")]


class Form(_Block):
    """A dialog the person fills in; submitting it invokes `action` with the values.
    `notes` are lines to read before the inputs (what the answer is about), shown as text.
    `refilled`: the engine filled it in anew (a poll template picked), so a platform that
    keeps what was typed when it replaces a form (Slack) must show these values instead.
    `language` is the language the form was written in (as `Card.language`), so a renderer
    says its own words in it too: Cancel, a picker's Time, "(optional)"."""

    title: str
    action: str
    submit_label: str
    inputs: list[FormInput]
    error: str | None = None
    notes: list[str] = []
    refilled: bool = False
    language: str | None = None


def submitted_text(value: object) -> str:
    """One submitted field as stripped text (a select arrives as a list of one; anything
    that isn't text counts as empty: form values are untrusted)."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return value.strip() if isinstance(value, str) else ""


# Effects: what the engine wants to happen on the platforms.


class PlaceModel(_Block):
    platform: str
    tenant_id: str
    channel_id: str
    thread_id: str | None = None

    @classmethod
    def of(cls, place: Place) -> PlaceModel:
        return cls(**place.__dict__)

    def place(self) -> Place:
        return Place(self.platform, self.tenant_id, self.channel_id, self.thread_id)


class ActorModel(_Block):
    platform: str
    tenant_id: str
    user_id: str
    display_name: str
    home_tenant_id: str = ""
    timezone: str = ""
    locale: str = ""

    @classmethod
    def of(cls, actor: Actor) -> ActorModel:
        return cls(**actor.__dict__)

    def actor(self) -> Actor:
        return Actor(
            self.platform,
            self.tenant_id,
            self.user_id,
            self.display_name,
            self.home_tenant_id,
            self.timezone,
            self.locale,
        )


class Post(_Block):
    """Post `card` in a channel; `key` names the message for later updates; `pin` asks
    for it to be pinned where the platform lets a bot pin (Slack does, Teams doesn't)."""

    kind: Literal["post"] = "post"
    place: PlaceModel
    card: Card
    key: str | None = None
    pin: bool = False


class Update(_Block):
    """Re-render the posted copy of the message named `key` in one channel.

    It carries no card: the dispatcher renders the message from the latest state when it
    delivers, so a burst of changes costs one rendering, not one each.
    """

    kind: Literal["update"] = "update"
    key: str
    place: PlaceModel | None = None


class Notify(_Block):
    """Tell one person privately (ephemeral where the platform has it)."""

    kind: Literal["notify"] = "notify"
    actor: ActorModel
    place: PlaceModel | None = None
    card: Card


class OpenForm(_Block):
    kind: Literal["open_form"] = "open_form"
    actor: ActorModel
    form: Form


Effect = Annotated[Post | Update | Notify | OpenForm, Field(discriminator="kind")]
EFFECT = TypeAdapter(Effect)
