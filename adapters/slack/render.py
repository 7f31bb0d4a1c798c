"""Neutral cards and forms → Slack Block Kit that Slack accepts, whatever people typed.

Every limit Slack enforces is met here, by splitting (fields, result lines, rows of
buttons) or by shortening with "…", so no post ever fails on an API error. All user
text reaches mrkdwn through `escape.mrkdwn`; plain-text objects (headers, labels,
options) are shortened only, since Slack does not parse them.

Buttons and selects carry the engine's action string as their value; their
`action_id`s are only unique names (`concord-1`, `concord-2`, …) for Slack. A button
that asks before it acts carries a `confirm` object: Slack shows the dialog.
"""

from __future__ import annotations

import hashlib
from itertools import count
from typing import Any, assert_never

from adapters.slack.confirm import choice_dialog, confirm_dialog
from adapters.slack.escape import escape, mrkdwn, plain_text, shorten
from dialogs.core.cards import (
    Actions,
    Bar,
    Block,
    Button,
    Card,
    Choice,
    ChoiceInput,
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
from dialogs.core.language import _, current, speaking

SlackObject = dict[str, Any]

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_FIELD_LABEL = 300
MAX_HEADER = 150
MAX_LABEL = 75
MAX_PLACEHOLDER = 150
MAX_BAR_LABEL = 300
MAX_ACTION_ELEMENTS = 25
MAX_OPTIONS = 100
MAX_CHECKBOXES = 10
MAX_BUTTON_VALUE = 2000
MAX_OPTION_VALUE = 150
MAX_ALT_TEXT = 2000
MAX_IMAGE_URL = 3000
MAX_FALLBACK = 4000
MAX_MODAL_TITLE = 24
MAX_INPUT_LABEL = 2000
MAX_INPUT_LENGTH = 3000
MAX_PRIVATE_METADATA = 3000
BAR_CELLS = 10

ACTION_ID_PREFIX = "concord-"
FORM_CALLBACK_ID = "concord-form"
WARNING = ":warning: "


def render_message(card: Card, *, public_url: str) -> SlackObject:
    """`chat.postMessage` / `chat.update` arguments: a plain `text` fallback and the blocks.

    `public_url` is where Slack can fetch our charts; without an https one, images
    become a line of their alt text.
    """
    blocks = [each for block in card.blocks for each in _blocks(block, public_url)]
    return {"text": mrkdwn(_fallback(card), MAX_FALLBACK), "blocks": _numbered(_fitted(blocks))}


def render_modal(form: Form, *, private_metadata: str) -> SlackObject:
    """A `views.open` / `response_action: update` view, keeping every value the form carries.

    Each input's `block_id` and `action_id` is the input's name, so a submission's
    `view.state.values[name][name]` holds what was typed. Its own words: the form's language.
    """
    if len(private_metadata) > MAX_PRIVATE_METADATA:
        raise ValueError(f"private_metadata is over Slack's {MAX_PRIVATE_METADATA} characters")
    blocks: list[SlackObject] = []
    if len(form.title) > MAX_MODAL_TITLE:
        blocks.append(_header(form.title))
    with speaking(form.language or current()):
        if form.error:
            blocks.append(_warning(form.error))
        blocks += [piece for note in form.notes for piece in _text(Text(text=note))]
        blocks += [_input(item, form.refilled) for item in form.inputs]
        cancel = _("Cancel")
    view = {
        "type": "modal",
        "callback_id": FORM_CALLBACK_ID,
        "title": plain_text(form.title, MAX_MODAL_TITLE),
        "submit": plain_text(form.submit_label, MAX_MODAL_TITLE),
        "close": plain_text(cancel, MAX_MODAL_TITLE),
        "blocks": blocks,
    }
    return {**view, "private_metadata": private_metadata} if private_metadata else view


# Messages: one neutral block becomes one or more Slack blocks.


def _blocks(block: Block, public_url: str) -> list[SlackObject]:
    match block:
        case Heading():
            return [_header(block.text)]
        case Text():
            return _text(block)
        case Fields():
            return _fields(block)
        case ResultBars():
            return _results(block)
        case Actions():
            return _actions(block)
        case Image():
            return _image(block, public_url)
        case Context():
            return [_context(mrkdwn(block.text, MAX_SECTION_TEXT))]
        case Divider():
            return [{"type": "divider"}]
        case Download():
            return [_download(block, public_url)]
        case _:
            assert_never(block)


def _header(text: str) -> SlackObject:
    return {"type": "header", "text": plain_text(text, MAX_HEADER)}


def _text(block: Text) -> list[SlackObject]:
    if block.tone == "muted":
        return [_context(mrkdwn(block.text, MAX_SECTION_TEXT))]
    if block.tone == "warning":
        return [_warning(block.text)]
    return [_section(piece) for piece in _pieces(block.text)]


def _pieces(text: str) -> list[str]:
    """Escaped pieces of `text` that each fit a section: a long text is split, never cut
    (past `MAX_BLOCKS`, `_fitted` says how much was left out)."""
    pieces = [""]
    for line in text.splitlines(keepends=True):
        while len(escape(line)) > MAX_SECTION_TEXT:  # one line longer than a section
            size = len(line)
            while len(escape(line[:size])) > MAX_SECTION_TEXT:
                size -= max(1, (len(escape(line[:size])) - MAX_SECTION_TEXT) // 5)
            pieces += [line[:size], ""]
            line = line[size:]
        if len(escape(pieces[-1] + line)) > MAX_SECTION_TEXT:
            pieces.append("")
        pieces[-1] += line
    return [escape(piece) for piece in pieces if piece.strip()] or [mrkdwn(text, 1)]


def _fields(block: Fields) -> list[SlackObject]:
    fields = [_field(item) for item in block.items]
    return [
        {"type": "section", "fields": fields[start : start + MAX_FIELDS]}
        for start in range(0, len(fields), MAX_FIELDS)
    ]


def _field(item: FieldItem) -> SlackObject:
    label = f"*{mrkdwn(item.label, MAX_FIELD_LABEL)}*\n"
    return {"type": "mrkdwn", "text": label + mrkdwn(item.value, MAX_FIELD_TEXT - len(label))}


def _results(block: ResultBars) -> list[SlackObject]:
    sections = _paged([_bar_line(bar) for bar in block.bars])
    summary = [_context(mrkdwn(block.summary, MAX_SECTION_TEXT))] if block.summary.strip() else []
    return sections + summary


def _bar_line(bar: Bar) -> str:
    """`*Label (leading)*` (bold and said when leading) over `▇▇▇▇▁▁▁▁▁▁ 4 · 40%`."""
    filled = round(max(0, min(100, bar.percent)) * BAR_CELLS / 100)
    shown = mrkdwn(bar.marked, MAX_BAR_LABEL)
    return (
        f"{f'*{shown}*' if bar.leading else shown}\n"
        f"{'▇' * filled}{'▁' * (BAR_CELLS - filled)} {bar.count} · {bar.percent}%"
    )


def _paged(lines: list[str]) -> list[SlackObject]:
    """Escaped lines packed into as few sections as fit Slack's section length."""
    pages: list[list[str]] = []
    for line in lines:
        if not pages or len("\n".join([*pages[-1], line])) > MAX_SECTION_TEXT:
            pages.append([])
        pages[-1].append(line)
    return [_section("\n".join(page)) for page in pages]


def _actions(block: Actions) -> list[SlackObject]:
    elements = [_button(e) if isinstance(e, Button) else _select(e) for e in block.elements]
    return [
        {"type": "actions", "elements": elements[start : start + MAX_ACTION_ELEMENTS]}
        for start in range(0, len(elements), MAX_ACTION_ELEMENTS)
    ]


def _button(button: Button) -> SlackObject:
    rendered: SlackObject = {
        "type": "button",
        "text": plain_text(button.label, MAX_LABEL),
        "value": _action(button.action, MAX_BUTTON_VALUE),
    }
    if button.spoken:
        rendered["accessibility_label"] = shorten(button.spoken_name(MAX_LABEL), MAX_LABEL)
    if button.style != "default":
        rendered["style"] = button.style
    if button.confirm:
        rendered["confirm"] = confirm_dialog(button.confirm, danger=button.style == "danger")
    return rendered


def _select(select: Select) -> SlackObject:
    return {
        "type": "static_select",
        "placeholder": plain_text(select.placeholder, MAX_PLACEHOLDER),
        "options": [_option(choice) for choice in select.choices[:MAX_OPTIONS]],
        "confirm": choice_dialog(select),
    }


def _image(block: Image, public_url: str) -> list[SlackObject]:
    """The picture where Slack can fetch it, and its figures in words: all of them."""
    url = _fetchable(block.url, public_url)
    image = {"type": "image", "image_url": url, "alt_text": shorten(block.alt, MAX_ALT_TEXT)}
    return ([image] if url else []) + [_context(mrkdwn(block.alt, MAX_SECTION_TEXT))]


def _download(block: Download, public_url: str) -> SlackObject:
    """The file goes to the person's direct messages as an upload (see `listeners`); the
    link is there too when Concord has a public https address."""
    name = mrkdwn(block.filename, MAX_FIELD_LABEL)
    line = _(":page_facing_up: *{name}* is on its way to your direct messages with Concord.")
    url = _fetchable(block.url, public_url)
    link = " " + _("Or <{url}|download it here>.").format(url=url) if url else ""
    return _section(line.format(name=name) + link)


def _fetchable(url: str, public_url: str) -> str | None:
    """`url` as an https address Slack's servers can fetch, or None when there is none."""
    absolute = public_url.rstrip("/") + url if url.startswith("/") else url
    if absolute.lower().startswith("https://") and len(absolute) <= MAX_IMAGE_URL:
        return absolute
    return None


def _fitted(blocks: list[SlackObject]) -> list[SlackObject]:
    """At most `MAX_BLOCKS` blocks, the last saying how many were left out."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    kept = blocks[: MAX_BLOCKS - 1]
    note = _("… and {count} more parts not shown: a Slack message holds at most {most}.")
    return [*kept, _context(note.format(count=len(blocks) - len(kept), most=MAX_BLOCKS))]


def _numbered(blocks: list[SlackObject]) -> list[SlackObject]:
    """The blocks with a unique `action_id` on every button and select."""
    ids = count(1)
    return [
        {
            **block,
            "elements": [
                {**e, "action_id": f"{ACTION_ID_PREFIX}{next(ids)}"} for e in block["elements"]
            ],
        }
        if block["type"] == "actions"
        else block
        for block in blocks
    ]


def _fallback(card: Card) -> str:
    """The card's own summary, else its first heading or text: notifications need words."""
    if card.fallback.strip():
        return card.fallback
    texts = (b.text for b in card.blocks if isinstance(b, Heading | Text))
    return next(texts, "Concord")  # i18n: not for readers (the product's name)


# Modals: one input block per neutral input.


def _input(item: FormInput, refilled: bool = False) -> SlackObject:
    return {
        "type": "input",
        "block_id": _block_id(item) if refilled else item.name,
        "label": plain_text(item.label, MAX_INPUT_LABEL),
        # The engine decides what is missing: a choice may be left empty and explained.
        "optional": item.optional if isinstance(item, TextInput) else True,
        "element": {**_element(item), "action_id": item.name},
    }


def _block_id(item: FormInput) -> str:
    """A refilled input's block id names its new value too: Slack keeps what was typed in a
    replaced view's input whose block id is unchanged. (Submissions are read by action id.)"""
    digest = hashlib.blake2s(repr(item.value).encode(), digest_size=4).hexdigest()
    return f"{item.name}.{digest}"


def _element(item: FormInput) -> SlackObject:
    if isinstance(item, TextInput):
        return _text_input(item)
    if isinstance(item, DateTimeInput):
        return _date_time_picker(item)
    return _choice_input(item)


def _date_time_picker(item: DateTimeInput) -> SlackObject:
    """Slack's own picker: it shows the person's zone and submits an instant (Unix seconds)."""
    picker: SlackObject = {"type": "datetimepicker"}
    return {**picker, "initial_date_time": int(item.value.timestamp())} if item.value else picker


def _text_input(item: TextInput) -> SlackObject:
    limit = min(item.max_length, MAX_INPUT_LENGTH)
    element: SlackObject = {
        "type": "plain_text_input",
        "multiline": item.multiline,
        "max_length": limit,
    }
    if item.value:
        element["initial_value"] = item.value[:limit]
    if item.placeholder:
        element["placeholder"] = plain_text(item.placeholder, MAX_PLACEHOLDER)
    return element


def _choice_input(item: ChoiceInput) -> SlackObject:
    options = [_option(choice) for choice in item.choices[:MAX_OPTIONS]]
    chosen = [option for option in options if option["value"] in item.value]
    if not item.multiple:
        single: SlackObject = {"type": "static_select", "options": options}
        return {**single, "initial_option": chosen[0]} if chosen else single
    kind = "checkboxes" if len(options) <= MAX_CHECKBOXES else "multi_static_select"
    multiple: SlackObject = {"type": kind, "options": options}
    return {**multiple, "initial_options": chosen} if chosen else multiple


# Composition objects.


def _section(escaped: str) -> SlackObject:
    return {"type": "section", "text": {"type": "mrkdwn", "text": escaped}}


def _warning(text: str) -> SlackObject:
    return _section(WARNING + mrkdwn(text, MAX_SECTION_TEXT - len(WARNING)))


def _context(escaped: str) -> SlackObject:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": escaped}]}


def _option(choice: Choice) -> SlackObject:
    return {
        "text": plain_text(choice.label, MAX_LABEL),
        "value": _action(choice.value, MAX_OPTION_VALUE),
    }


def _action(action: str, limit: int) -> str:
    """An action string as it is: shortening would break it, so one too long is a bug."""
    if len(action) > limit:
        raise ValueError(f"action {action[:40]!r}… is over Slack's {limit} characters")
    return action


# The App Home tab.


def render_home(card: Card) -> SlackObject:
    """A `views.publish` view of type `home` showing `card`.

    A Home tab holds 100 blocks, but it is cut like a message, at 50, so a card
    fits the same on every surface. There is no public URL here, so an image
    shows as its alt text.
    """
    blocks = [each for block in card.blocks for each in _blocks(block, public_url="")]
    return {"type": "home", "blocks": _numbered(_fitted(blocks))}
