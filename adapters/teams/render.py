"""Neutral cards and forms → Adaptive Cards (1.5) that Teams shows, whatever people typed.

Buttons are Universal Actions (`Action.Execute`) with an `Action.Submit` fallback, and
a keyed card carries `refresh` (see `adapters.teams.buttons`). A `Select` becomes a
button that opens a sub-card of one button per choice, so every click still carries
its own action and a card holds no inputs but a form's.

All user text that lands in markdown (TextBlocks, facts) goes through
`escape.markdown`; plain-text properties (button and choice titles, labels,
placeholders) are only shortened. A card never goes over Teams' 28 KB: it is
rendered again with shorter texts, and if that is not enough, cut with a closing
"… more" line (see `_fitted`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, assert_never

from adapters.teams.buttons import SUBMIT, clickable, refresh
from adapters.teams.confirm import fold_out
from adapters.teams.escape import markdown, ours, shorten
from adapters.teams.inputs import choice_input, text_input
from adapters.teams.pickers import date_and_time
from dialogs.core.cards import (
    Actions,
    Bar,
    Block,
    Button,
    Card,
    Context,
    DateTimeInput,
    Divider,
    Download,
    FieldItem,
    Fields,
    Form,
    FormInput,
    Heading,
    Image,
    ResultBars,
    Select,
    Text,
    TextInput,
)
from dialogs.core.language import N_, _, current, speaking
from dialogs.core.moments import in_zone, zoned

CardJson = dict[str, Any]
Group = list[CardJson]  # the elements one neutral block (or one form input) became

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
TEAMS_MESSAGE_BYTES = 28 * 1024
# The card's share of Teams' 28 KB message: the activity around it (ids, the
# conversation reference, the summary text) takes the rest.
MAX_CARD_BYTES = 26 * 1024
MAX_ACTIONS = 5  # a row of buttons: the Adaptive Cards host config default, which Teams shares
MAX_FACTS = 10  # facts per FactSet, so a long list can be cut between sets
MAX_SUMMARY = 300
BAR_CELLS = 10
WARNING = "⚠️ "
CHOOSE = N_("Choose")
# Adaptive Cards' own names for sizes, weights, colours and elements.
LARGE, SMALL, BOLDER = "Large", "Small", "Bolder"  # i18n: not for readers
WARNING_COLOUR, ATTENTION, IMAGE = "Warning", "Attention", "Image"  # i18n: not for readers


@dataclass(frozen=True)
class Room:
    """How many characters each kind of text may keep; tighter rooms fit larger cards."""

    text: int  # a paragraph, heading or fact value
    title: int  # a fact title, input label or placeholder
    label: int  # a button or choice title


ROOMS = (Room(5000, 300, 75), Room(1000, 150, 60), Room(250, 80, 40), Room(80, 40, 25))


def render_card(
    card: Card, *, public_url: str = "", user_ids: Sequence[str] | None = None
) -> CardJson:
    """An Adaptive Card showing `card`, at most `MAX_CARD_BYTES` when serialised.

    `public_url` is where Teams can fetch our charts; an image elsewhere, or without
    an https address, becomes a line of its alt text. A keyed card carries `refresh`,
    with `user_ids` (Bot Framework ids, `29:…`) as the people whose view Teams refreshes
    by itself (`buttons.refresh`). Moments (`dialogs.core.moments`) show in the reader's
    zone on a card for one person (`Card.zone`), else in the collaborative's, and in the
    card's language (`Card.language`).
    """
    card = zoned(card, card.zone, card.language)
    top = {"refresh": refresh(card.key, user_ids)} if card.key else {}
    return _fitted(
        lambda room: _body(card.blocks, room, public_url, card.key), [], summary(card), top
    )


def render_form(form: Form) -> CardJson:
    """An Adaptive Card with the form's inputs, keeping every value they carry.

    Each input's `id` is its name, so the submitted `value` holds
    `{"action": form.action, <name>: <typed text or chosen value(s)>, …}`; a
    multiple choice arrives as its chosen values joined by commas.
    """
    if any(item.name == "action" for item in form.inputs):
        raise ValueError("a form input may not be named 'action': it would hide the form's action")
    submit = {
        "type": SUBMIT,
        "title": shorten(form.submit_label, ROOMS[0].label),
        "style": "positive",
        "data": {"action": form.action},
    }
    with speaking(form.language or current()):  # its own words (Time, Cancel) in its language
        return _fitted(
            lambda room: _form_body(form, room), [submit], shorten(form.title, MAX_SUMMARY)
        )


def summary(card: Card) -> str:
    """Plain words for the activity (`summary`, notifications): a card carries no text.

    The card's own fallback, else its first heading or text. It is not markdown:
    send it where Teams shows plain text (`summary`, or `text` with
    `text_format="plain"`), never as markdown.
    """
    if card.fallback.strip():
        return shorten(in_zone(card.fallback, card.zone, card.language), MAX_SUMMARY)
    texts = (b.text for b in card.blocks if isinstance(b, Heading | Text))
    first = next(texts, "Concord")  # i18n: not for readers (the product's name)
    return shorten(in_zone(first, card.zone, card.language), MAX_SUMMARY)


def card_bytes(card: CardJson) -> int:
    """The card's size as botbuilder sends it: `json.dumps` defaults, non-ASCII as `\\u` escapes."""
    return len(json.dumps(card).encode())


# Messages: each neutral block becomes zero or more body elements ("parts").


def _body(
    blocks: Iterable[Block], room: Room, public_url: str, view: str | None = None
) -> list[Group]:
    """The elements of each block; a `Divider` becomes a separator line above what follows."""
    groups: list[Group] = []
    separate = False
    for block in blocks:
        if isinstance(block, Divider):
            separate = any(groups)
            continue
        parts = _parts(block, room, public_url, view)
        if parts and separate:
            parts[0] = {**parts[0], "separator": True}
            separate = False
        groups.append(parts)
    return groups


def _parts(block: Block, room: Room, public_url: str, view: str | None) -> list[CardJson]:
    match block:
        case Heading():
            return [_heading(block.text, room)]
        case Text():
            return [_text(block, room)]
        case Fields():
            return _facts(block.items, room)
        case ResultBars():
            return _results(block, room)
        case Actions():
            return _actions(block, room, view)
        case Image():
            return _image(block, room, public_url)
        case Context():
            return [_context(block.text, room)]
        case Divider():
            return []
        case Download():
            return [_download(block, room, public_url)]
        case _:
            assert_never(block)


def _text_block(text: str, **style: Any) -> CardJson:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _heading(text: str, room: Room) -> CardJson:
    return _text_block(markdown(text, room.text), size=LARGE, weight=BOLDER, style="heading")


def _text(block: Text, room: Room) -> CardJson:
    if block.tone == "muted":
        return _text_block(markdown(block.text, room.text), isSubtle=True)
    if block.tone == "warning":
        return _text_block(WARNING + markdown(block.text, room.text), color=WARNING_COLOUR)
    return _text_block(markdown(block.text, room.text))


def _context(text: str, room: Room) -> CardJson:
    return _text_block(markdown(text, room.text), size=SMALL, isSubtle=True)


def _facts(items: list[FieldItem], room: Room) -> list[CardJson]:
    facts = [
        {"title": markdown(item.label, room.title), "value": markdown(item.value, room.text)}
        for item in items
    ]
    return [
        {"type": "FactSet", "facts": facts[start : start + MAX_FACTS]}
        for start in range(0, len(facts), MAX_FACTS)
    ]


def _results(block: ResultBars, room: Room) -> list[CardJson]:
    bars = [_bar(bar, room) for bar in block.bars]
    return bars + ([_context(block.summary, room)] if block.summary.strip() else [])


def _bar(bar: Bar, room: Room) -> CardJson:
    """The label over `▇▇▇▇▁▁▁▁▁▁ 4 · 40%`, all in bold when it is leading."""
    filled = round(max(0, min(100, bar.percent)) * BAR_CELLS / 100)
    line = f"{'▇' * filled}{'▁' * (BAR_CELLS - filled)} {bar.count} · {bar.percent}%"
    text = f"{markdown(bar.marked, room.label * 2)}\n\n{line}"
    return _text_block(text, weight=BOLDER) if bar.leading else _text_block(text)


def _actions(block: Actions, room: Room, view: str | None) -> list[CardJson]:
    actions = [
        _button(e, room, view) if isinstance(e, Button) else _select(e, room, view)
        for e in block.elements
    ]
    return _action_sets(actions)


def _action_sets(actions: list[CardJson]) -> list[CardJson]:
    return [
        {"type": "ActionSet", "actions": actions[start : start + MAX_ACTIONS]}
        for start in range(0, len(actions), MAX_ACTIONS)
    ]


def _button(button: Button, room: Room, view: str | None) -> CardJson:
    clicked = clickable(
        button.label,
        button.action,
        room.label,
        view,
        _STYLES[button.style],
        spoken=button.spoken and button.spoken_name(room.title),
    )
    ask = button.confirm
    return fold_out(ask, clicked, text_room=room.text, label_room=room.label) if ask else clicked


_STYLES = {"default": None, "primary": "positive", "danger": "destructive"}


def _select(select: Select, room: Room, view: str | None) -> CardJson:
    """A button opening a sub-card with one button per choice, each carrying its action."""
    buttons = [
        clickable(
            choice.label, choice.value, room.label, view, spoken=choice.spoken_name(room.title)
        )
        for choice in select.choices
    ]
    body = _action_sets(buttons) or [_context(_("Nothing to choose from."), room)]
    return {
        "type": "Action.ShowCard",
        "title": shorten(select.placeholder or _(CHOOSE), room.label),
        **({"tooltip": select.spoken_name(room.title)} if select.spoken else {}),
        "card": {"type": "AdaptiveCard", "body": body},
    }


def _image(block: Image, room: Room, public_url: str) -> list[CardJson]:
    """The picture, with its figures in words below it, or the words alone where Teams
    can't fetch the picture."""
    url = ours(block.url, public_url)
    words = _context(block.alt, room)
    if url is None:
        return [words]
    return [{"type": IMAGE, "url": url, "altText": shorten(block.alt, room.text)}, words]


def _download(block: Download, room: Room, public_url: str) -> CardJson:
    url = ours(block.url, public_url)
    if url is None:  # no https address of ours: say so, rather than show a dead link
        unlinked = _("{name}: no link, as Concord has no public address.")
        return _context(unlinked.format(name=block.filename), room)
    label = _("Download {name}").format(name=markdown(block.filename, room.title))
    return _text_block(f"📄 [{label}]({url})")


# Forms: the title, the error, one element per input.


def _form_body(form: Form, room: Room) -> list[Group]:
    """The title, the error (in the attention colour), the notes and each input, as groups
    of one."""
    parts = [_heading(form.title, room)]
    if form.error:
        error = WARNING + markdown(form.error, room.text)
        parts.append(_text_block(error, color=ATTENTION, weight=BOLDER))
    parts += [_text(Text(text=note), room) for note in form.notes]
    return [[part] for part in parts + [_input(item, room) for item in form.inputs]]


def _input(item: FormInput, room: Room) -> CardJson:
    if isinstance(item, DateTimeInput):
        return date_and_time(item, room.title)
    if isinstance(item, TextInput):
        return text_input(item, room.title)
    if not item.choices:  # Teams refuses an empty choice set
        return _context(_("{label}: nothing to choose from.").format(label=item.label), room)
    return choice_input(item, room.title, room.label)


# Fitting Teams' size limit.


def _frame(actions: list[CardJson], fallback: str, top: CardJson) -> CardJson:
    """Everything of the card but its body: what fitting never changes."""
    card: CardJson = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, **top}
    if actions:
        card["actions"] = actions
    return card | {"fallbackText": fallback}


def _card(body: list[CardJson], frame: CardJson) -> CardJson:
    return {**frame, "body": body or [_text_block(markdown(frame["fallbackText"], MAX_SUMMARY))]}


def _fitted(
    body: Callable[[Room], list[Group]],
    actions: list[CardJson],
    fallback: str,
    top: CardJson | None = None,
) -> CardJson:
    """The first room whose card fits `MAX_CARD_BYTES`; else the tightest, cut to fit.

    Never an error: a poll with a hundred long options still posts, with shorter
    labels and, if even those are too many, lines saying that more was left out.
    `top` holds the card's other properties (`refresh`), which count towards its size.
    """
    frame = _frame(actions, fallback, top or {})
    for room in ROOMS:
        groups = body(room)
        card = _card(_joined(groups, [0] * len(groups)), frame)
        if card_bytes(card) <= MAX_CARD_BYTES:
            return card
    return _cut(groups, frame)


def _cut(groups: list[Group], frame: CardJson) -> CardJson:
    """The biggest group trimmed from its end, again and again, until the card fits.

    Trimming the biggest first keeps one long list (results, a hundred facts) from
    pushing everything after it off the card; among equals the last goes first,
    so what is left reads from the top.
    """
    kept = [list(group) for group in groups]
    weights = [[card_bytes(part) for part in group] for group in groups]
    dropped = [0] * len(groups)
    card = _card(_joined(kept, dropped), frame)
    while card_bytes(card) > MAX_CARD_BYTES and any(kept):
        biggest = max(range(len(kept)), key=lambda i: (sum(weights[i]), i))
        kept[biggest].pop()
        weights[biggest].pop()
        dropped[biggest] += 1
        card = _card(_joined(kept, dropped), frame)
    return card


def _joined(groups: list[Group], dropped: list[int]) -> list[CardJson]:
    """The groups' elements in order, one "… more" line wherever something was left out."""
    body: list[CardJson] = []
    pending = False
    for group, lost in zip(groups, dropped, strict=True):
        if group and pending:
            body.append(_more())
            pending = False
        body += group
        pending = pending or lost > 0
    return [*body, _more()] if pending else body


def _more() -> CardJson:
    most = _("… more not shown here: a Teams card holds at most {size} KB.")
    return _text_block(
        most.format(size=TEAMS_MESSAGE_BYTES // 1024),
        size=SMALL,
        isSubtle=True,
    )
