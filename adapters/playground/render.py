"""Neutral cards and forms → HTML fragments for the playground page.

Every piece of text a card carries may have been typed by a person, so all of
it goes through `html.escape` (quotes included, since some of it lands in
attributes). The only markup added back is the engine's own: `code` spans, and the
`<time>` of each moment the engine wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from html import escape
from typing import Any

from dialogs.core.cards import (
    Actions,
    Block,
    Button,
    Card,
    ChoiceInput,
    Confirm,
    Context,
    DateTimeInput,
    Divider,
    Download,
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
from dialogs.core.moments import each_moment

_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_SAFE_URL = re.compile(r"(https?://|/(?!/))[^\s\"'<>\\]*", re.IGNORECASE)


def inline(text: str) -> str:
    """Escaped user text, with `code` spans and line breaks kept, and each moment
    (`dialogs.core.moments`) a `<time>` the page shows in the browser's zone."""
    escaped = escape(text, quote=True)
    spans = _CODE_SPAN.sub(r"<code>\1</code>", escaped).replace("\n", "<br>")
    return each_moment(spans, time_element)


def time_element(at: datetime, fallback: str) -> str:
    """A moment: its instant for the page's script, its fallback (the collaborative's
    time, already escaped: a fallback holds nothing `html.escape` changes) as the text."""
    return (
        "<time "  # i18n: not for readers
        f'datetime="{at.isoformat()}" data-moment>{fallback}</time>'
    )


def render_card(card: Card, *, ref: str = "", private: bool = False) -> str:
    """The card as HTML, the page's own words ("Only visible to you") in the card's language."""
    classes = "card card-private" if private else "card"  # i18n: not for readers
    with speaking(card.language or current()):
        note = _private_label() if private else ""
        blocks = "".join(render_block(block) for block in card.blocks)
    return (
        "<article "  # i18n: not for readers
        f'class="{classes}" data-testid="{"reply" if private else "message"}" '
        f'data-ref="{escape(ref)}">{note}{blocks}</article>'
    )


def _private_label() -> str:
    said = escape(_("Only visible to you"))
    return f'<p class="private-label">{said}</p>'  # i18n: not for readers


def _warning_sign() -> str:
    said = escape(_("Warning"))
    return f'<span role="img" aria-label="{said}">⚠️</span> '  # i18n: not for readers


def _optional() -> str:
    said = escape(_("(optional)"))
    return f'<span class="optional">{said}</span>'  # i18n: not for readers


def render_block(block: Block) -> str:
    renderer: Callable[[Any], str] = _BLOCK_RENDERERS[type(block)]
    return renderer(block)


def _heading(block: Heading) -> str:
    return f'<h3 class="block-heading">{inline(block.text)}</h3>'  # i18n: not for readers


def _text(block: Text) -> str:
    warning = _warning_sign() if block.tone == "warning" else ""
    return (
        "<p "  # i18n: not for readers
        f'class="block-text tone-{block.tone}">{warning}{inline(block.text)}</p>'
    )


def _fields(block: Fields) -> str:
    items = "".join(
        "<div>"  # i18n: not for readers
        f"<dt>{inline(item.label)}</dt><dd>{inline(item.value)}</dd></div>"
        for item in block.items
    )
    return f'<dl class="block-fields">{items}</dl>'  # i18n: not for readers


def _results(block: ResultBars) -> str:
    rows = "".join(
        "<li "  # i18n: not for readers
        f'class="bar{" bar-leading" if bar.leading else ""}" data-testid="result-bar">'
        f'<span class="bar-label">{inline(bar.marked)}</span>'
        f'<span class="bar-track" aria-hidden="true"><span class="bar-fill" '
        f'style="width:{max(0, min(100, bar.percent))}%"></span></span>'
        f'<span class="bar-figures" data-testid="result-count" data-count="{bar.count}">'
        f"{bar.count} · {bar.percent}%</span></li>"
        for bar in block.bars
    )
    return (
        f'<div class="block-results"><ul class="bars">{rows}</ul>'  # i18n: not for readers
        f'<p class="results-summary">{inline(block.summary)}</p></div>'
    )


def _actions(block: Actions) -> str:
    elements = "".join(
        _button(element) if isinstance(element, Button) else _select(element)
        for element in block.elements
    )
    return f'<div class="block-actions">{elements}</div>'  # i18n: not for readers


def _button(button: Button) -> str:
    asks = _asks(button.confirm) if button.confirm else ""
    return _clickable(button.label, button.action, button.spoken, button.style, asks)


def _clickable(
    label: str, action: str, spoken: str | None, style: str = "default", asks: str = ""
) -> str:
    """A button, named for a screen reader by its `spoken` name (`aria-label`) if it has one."""
    return (
        "<button "  # i18n: not for readers
        f'type="button" class="btn btn-{style}" data-action="{escape(action)}"'
        f"{_named(spoken)}{asks}>{inline(label)}</button>"
    )


def _named(spoken: str | None) -> str:
    return f' aria-label="{escape(spoken)}"' if spoken else ""  # i18n: not for readers


def _asks(confirm: Confirm) -> str:
    """The question the page asks before the button acts (playground.js shows it)."""
    return (
        " "  # i18n: not for readers
        f'data-confirm-title="{escape(confirm.title)}" data-confirm-text="{escape(confirm.text)}"'
        f' data-confirm-yes="{escape(confirm.yes)}" data-confirm-no="{escape(confirm.no)}"'
    )


def _select(select: Select) -> str:
    """A fold-out of one button per choice: choosing is a click on a button, never a change
    of a drop-down that acts at once."""
    choices = "".join(_clickable(c.label, c.value, c.spoken) for c in select.choices)
    return (
        f'<details class="action-choices" data-testid="action-choices">'  # i18n: not for readers
        f"<summary{_named(select.spoken)}>{inline(select.placeholder)}</summary>"
        f'<div class="block-actions">{choices}</div></details>'
    )


def _image(block: Image) -> str:
    if not _SAFE_URL.fullmatch(block.url):
        return (
            "<p "  # i18n: not for readers
            f'class="block-text tone-muted">[{inline(block.alt)}]</p>'
        )
    return (
        "<figure "  # i18n: not for readers
        f'class="block-figure"><img class="block-image" src="{escape(block.url)}" '
        f'alt="{escape(block.alt)}" loading="lazy">'
        f'<figcaption class="block-context">{inline(block.alt)}</figcaption></figure>'
    )


def _context(block: Context) -> str:
    return f'<p class="block-context">{inline(block.text)}</p>'  # i18n: not for readers


def _download(block: Download) -> str:
    """A link on the playground's own origin, which serves `/exports/<token>` too."""
    if not _SAFE_URL.fullmatch(block.url):
        return (
            "<p "  # i18n: not for readers
            f'class="block-text tone-muted">[{inline(block.filename)}]</p>'
        )
    said = inline(_("Download {filename}").format(filename=block.filename))
    return (
        f'<p class="block-download"><a href="{escape(block.url)}" '  # i18n: not for readers
        f'download="{escape(block.filename)}">{said}</a></p>'
    )


def _divider(_block: Divider) -> str:
    return '<hr class="block-divider">'  # i18n: not for readers


_BLOCK_RENDERERS: dict[type, Callable[[Any], str]] = {
    Heading: _heading,
    Text: _text,
    Fields: _fields,
    ResultBars: _results,
    Actions: _actions,
    Image: _image,
    Context: _context,
    Divider: _divider,
    Download: _download,
}


def render_form(form: Form) -> str:
    """A form as a card: its inputs filled with the values it carries, and its error; the
    page's own words (Cancel, "(optional)") in the form's language."""
    with speaking(form.language or current()):
        return _form_html(form)


def _form_html(form: Form) -> str:
    error = (
        "<p "  # i18n: not for readers
        f'class="form-error" role="alert" data-testid="form-error">{inline(form.error)}</p>'
        if form.error
        else ""
    )
    notes = "".join(
        "<p "  # i18n: not for readers
        f'class="form-note" data-testid="form-note">{inline(note)}</p>'
        for note in form.notes
    )
    inputs = "".join(_form_input(index, item) for index, item in enumerate(form.inputs))
    cancel = escape(_("Cancel"))
    return (
        "<form "  # i18n: not for readers
        f'class="card card-form" data-testid="form" data-form-action="{escape(form.action)}">'
        f"{_private_label()}"
        f'<h3 class="block-heading">{inline(form.title)}</h3>{error}{notes}{inputs}'
        f'<div class="block-actions">'
        f'<button type="submit" class="btn btn-primary">{inline(form.submit_label)}</button>'
        f'<button type="button" class="btn btn-default" data-cancel>{cancel}</button>'
        f"</div></form>"
    )


def _form_input(index: int, item: FormInput) -> str:
    if isinstance(item, TextInput):
        return _text_input(index, item)
    if isinstance(item, DateTimeInput):
        return _date_time_input(index, item)
    return _choice_input(index, item)


def _date_time_input(index: int, item: DateTimeInput) -> str:
    """The browser's own picker; it submits the wall-clock time it shows, "2026-12-31T17:00",
    which the engine reads in the zone the label names."""
    field_id = f"form-input-{index}"
    local = item.local_value()
    value = f"{local:%Y-%m-%dT%H:%M}" if local else ""
    return (
        "<div "  # i18n: not for readers
        f'class="form-field" data-input="text" data-name="{escape(item.name)}">'
        f'<label for="{field_id}">{escape(item.zoned_label())} '
        f"{_optional()}</label>"
        f'<input type="datetime-local" id="{field_id}" name="{escape(item.name)}" '
        f'value="{value}"></div>'
    )


def _text_input(index: int, item: TextInput) -> str:
    field_id = f"form-input-{index}"
    common = (
        f'id="{field_id}" '  # i18n: not for readers
        f'name="{escape(item.name)}" maxlength="{item.max_length}" '
        f'placeholder="{escape(item.placeholder)}"{"" if item.optional else " required"}'
    )
    control = (
        f'<textarea {common} rows="3">{escape(item.value)}</textarea>'  # i18n: not for readers
        if item.multiline
        else f'<input type="text" {common} value="{escape(item.value)}">'  # i18n: not for readers
    )
    optional = " " + _optional() if item.optional else ""
    return (
        "<div "  # i18n: not for readers
        f'class="form-field" data-input="text" data-name="{escape(item.name)}">'
        f'<label for="{field_id}">{escape(item.label)}{optional}</label>{control}</div>'
    )


def _choice_input(index: int, item: ChoiceInput) -> str:
    kind = "checkbox" if item.multiple else "radio"
    choices = "".join(
        "<label "  # i18n: not for readers
        f'class="choice"><input type="{kind}" name="form-choice-{index}" '
        f'value="{escape(choice.value)}"{" checked" if choice.value in item.value else ""}> '
        f"{escape(choice.label)}</label>"
        for choice in item.choices
    )
    return (
        "<fieldset "  # i18n: not for readers
        f'class="form-field" data-input="choice" data-name="{escape(item.name)}" '
        f'data-multiple="{"true" if item.multiple else "false"}">'
        f"<legend>{escape(item.label)}</legend>{choices}</fieldset>"
    )
