"""The demo world: a provider collaborative of two NHS trusts, five people and three channels.

It is seeded through the front door: its people type the commands anyone would
(`setup`, `org add`, `org join`, `link`, `role`), so the demo obeys every rule the
engine enforces, and a second start finds the channel taken and changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from adapters.playground.port import PLATFORM
from dialogs.core.cards import Card, Text
from dialogs.core.effects import for_actor
from dialogs.core.events import Actor, CommandIssued, Place
from dialogs.core.ports import Concord

TENANT = "demo"
COLLABORATIVE = (
    "Northshire Provider Collaborative"  # i18n: not for readers (the demo's seeded name)
)
TIMEZONE = "Europe/London"
RIVERSIDE = "Riverside Hospitals NHS Trust"  # i18n: not for readers (a seeded name)
HILLVIEW = "Hillview Community NHS Trust"  # i18n: not for readers (a seeded name)


@dataclass(frozen=True)
class Persona:
    user_id: str
    name: str
    role: str
    organisation: str


@dataclass(frozen=True)
class DemoChannel:
    channel_id: str
    name: str
    linked: bool


# The demo's people: their names are its seeded content, not Concord's words.
PERSONAS = (
    Persona("asha", "Asha Patel", "coordinator", RIVERSIDE),  # i18n: not for readers
    Persona("ben", "Ben Okafor", "member", RIVERSIDE),  # i18n: not for readers
    Persona("carys", "Carys Jones", "member", HILLVIEW),  # i18n: not for readers
    Persona("dev", "Dev Sharma", "member", HILLVIEW),  # i18n: not for readers
    Persona("elin", "Elin Hughes", "observer", HILLVIEW),  # i18n: not for readers
)

CHANNELS = (
    DemoChannel("riverside-partnership", "#partnership-riverside", linked=True),
    DemoChannel("hillview-partnership", "#partnership-hillview", linked=True),
    DemoChannel("sandbox", "#sandbox", linked=False),
)
CHANNEL_IDS = frozenset(channel.channel_id for channel in CHANNELS)
HOME = {RIVERSIDE: CHANNELS[0], HILLVIEW: CHANNELS[1]}  # where each trust's people talk
_LINK_CODE = re.compile(r"Link code: (\S+)")


async def seed_demo(concord: Concord) -> bool:
    """Create the demo collaborative as its people would; False when it already exists."""
    asha, riverside, hillview = PERSONAS[0], HOME[RIVERSIDE], HOME[HILLVIEW]
    setup = (
        f'setup "{COLLABORATIVE}" --timezone {TIMEZONE}'  # i18n: not for readers (a command typed)
    )
    if _refused(await _say(concord, asha, riverside, setup)):
        return False
    for organisation in (RIVERSIDE, HILLVIEW):
        await _say(concord, asha, riverside, f'org add "{organisation}"')  # i18n: not for readers
    for persona in PERSONAS:
        if persona.organisation == RIVERSIDE:
            joined = f'org join "{persona.organisation}"'  # i18n: not for readers
            await _say(concord, persona, riverside, joined)
    code = _LINK_CODE.search(_text(await _say(concord, asha, riverside, "link")))
    linker = next(persona for persona in PERSONAS if persona.organisation == HILLVIEW)
    await _say(concord, linker, hillview, f"link {code.group(1) if code else ''}")
    for persona in PERSONAS:
        if persona.organisation == HILLVIEW:
            joined = f'org join "{persona.organisation}"'  # i18n: not for readers
            await _say(concord, persona, hillview, joined)
    for persona in PERSONAS:
        if persona.role not in ("coordinator", "member"):
            await _say(concord, asha, riverside, f"role {persona.role} <@{persona.user_id}>")
    return True


async def _say(concord: Concord, persona: Persona, channel: DemoChannel, text: str) -> list[Card]:
    """What `persona` is told, privately, after typing `text` in `channel`."""
    actor = Actor(PLATFORM, TENANT, persona.user_id, persona.name)
    event = CommandIssued(actor, Place(PLATFORM, TENANT, channel.channel_id), text)
    notes, _ = for_actor(await concord.handle(event), actor)
    return [note.card for note in notes]


def _refused(cards: list[Card]) -> bool:
    return any(isinstance(b, Text) and b.tone == "warning" for card in cards for b in card.blocks)


def _text(cards: list[Card]) -> str:
    return "\n".join(card.fallback for card in cards)
