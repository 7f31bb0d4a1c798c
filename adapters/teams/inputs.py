"""A Teams form's text and choice inputs: `Input.Text` and `Input.ChoiceSet`, each labelled
within the room the card's size allows (`render.Room`)."""

from __future__ import annotations

from typing import Any

from adapters.teams.escape import shorten
from dialogs.core.cards import Choice, ChoiceInput, TextInput
from dialogs.core.language import N_, _

MAX_INPUT_LENGTH = 5000
MAX_EXPANDED_CHOICES = 10  # a multiple choice up to this size shows as checkboxes
REQUIRED = N_("This one is needed.")


def text_input(item: TextInput, title_room: int) -> dict[str, Any]:
    limit = max(1, min(item.max_length, MAX_INPUT_LENGTH))
    element: dict[str, Any] = {
        "type": "Input.Text",
        "id": item.name,
        "label": shorten(item.label, title_room),
        "maxLength": limit,
    }
    if item.value:
        element["value"] = item.value[:limit]
    if item.placeholder:
        element["placeholder"] = shorten(item.placeholder, title_room)
    if item.multiline:
        element["isMultiline"] = True
    if not item.optional:
        element |= {"isRequired": True, "errorMessage": _(REQUIRED)}
    return element


def choice_input(item: ChoiceInput, title_room: int, label_room: int) -> dict[str, Any]:
    """A drop-down (checkboxes for a short multiple choice) of at least one choice; the
    engine decides what is missing."""
    choices = [_choice(choice, label_room) for choice in item.choices]
    known = {choice.value for choice in item.choices}
    chosen = [value for value in item.value if value in known]
    if not item.multiple:
        chosen = chosen[:1]
    expanded = item.multiple and len(choices) <= MAX_EXPANDED_CHOICES
    element: dict[str, Any] = {
        "type": "Input.ChoiceSet",
        "id": item.name,
        "label": shorten(item.label, title_room),
        "choices": choices,
    }
    if expanded:
        element["style"] = "expanded"  # "compact", a drop-down, is the default
    if item.multiple:
        element["isMultiSelect"] = True
    if chosen:
        element["value"] = ",".join(chosen)
    return element


def _choice(choice: Choice, label_room: int) -> dict[str, Any]:
    return {"title": shorten(choice.label, label_room), "value": choice.value}
