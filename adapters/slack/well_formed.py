"""Is a Slack request body one bolt can read? Checked before bolt sees it.

bolt parses a body as it builds its request (`json.loads`, unbounded) and reads it
trusting Slack's shapes: `authorizations[0]`, `actions[0]`, `event["type"]`,
`team.get("id")`. A signed body of another shape (a crafted client, or a member's
workspace token) made it raise `KeyError(0)`, `IndexError` or `AttributeError`: a 500
with a traceback. `read(body, content_type)` parses the body the way bolt will, with the
bounded loader, once (the vote-click path reads the same payload), and raises
`MalformedJson` saying in a sentence what is wrong with it. It judges shapes only;
whether a request is meant for us is `inbound`'s job.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from adapters.request_json import MalformedJson, load_object
from adapters.slack.form_decoding import form_unquote

# Keys bolt reads as "an id, or an object with an id" (`extract_team_id` and the like).
_NAMED = ("enterprise", "team", "user", "channel", "container", "view", "function_data")
# Keys bolt follows into, reading the same keys inside.
_NESTED = ("event", "message", "previous_message", "item", "assistant_thread")
_LISTS_OF_OBJECTS = ("authorizations", "response_urls")


def read(body: str, content_type: str | None) -> dict[str, Any] | None:
    """The JSON payload of `body` (sent as `content_type`) as bolt will read it, None for a
    plain form; MalformedJson saying what keeps bolt from reading it."""
    payload = _parsed(body, content_type)
    if payload is not None and (found := _shape_problem(payload) or _interaction_problem(payload)):
        raise MalformedJson(found)
    return payload


def _parsed(body: str, content_type: str | None) -> dict[str, Any] | None:
    """The body as bolt's `parse_body` will read it; None for a plain form (all strings)."""
    if not body:
        return None
    if content_type == "application/json" or body.startswith("{"):
        return load_object(body)
    if "payload" not in body:
        return None
    if body.startswith("payload=") and "&" not in body:  # an interaction: decoded fast
        return load_object(form_unquote(body[len("payload=") :]))
    payload = dict(parse_qsl(body, keep_blank_values=True)).get("payload")
    return None if payload is None else load_object(payload)


def _shape_problem(
    payload: Mapping[str, Any],
    where: str = "the body",  # i18n: not for readers
) -> str | None:
    if not isinstance(payload.get("type"), (str, type(None))):
        return f"`type` in {where} is not a string."  # i18n: not for readers
    for key in _NAMED:
        if not isinstance(payload.get(key), (str, Mapping, type(None))):
            return f"`{key}` in {where} is neither an id nor an object."  # i18n: not for readers
    for key in _LISTS_OF_OBJECTS:
        value = payload.get(key)
        if value is not None and not _objects(value):
            return f"`{key}` in {where} is not a list of objects."  # i18n: not for readers
    inner = [(key, payload.get(key)) for key in _NESTED]
    inner += [("authorizations[0]", (payload.get("authorizations") or [None])[0])]
    for key, value in inner:
        if value is not None and not isinstance(value, Mapping):
            return f"`{key}` in {where} is not an object."  # i18n: not for readers
        if value is not None and (found := _shape_problem(value, f"`{key}`")):
            return found
    return None


def _interaction_problem(payload: Mapping[str, Any]) -> str | None:
    kind = payload.get("type")
    if kind == "event_callback" and not isinstance(payload.get("event"), Mapping):
        return "An event_callback has no `event` object."  # i18n: not for readers
    for key in ("event", "view"):  # bolt reads these, when present, as objects (even null)
        if key in payload and not isinstance(payload[key], Mapping):
            return f"`{key}` is not an object."  # i18n: not for readers
    # bolt reads `response_urls` when present (even null) as a list, unless a response_url is.
    urls = payload.get("response_urls", [])
    if "response_url" not in payload and not _objects(urls):
        return "`response_urls` is not a list of objects."  # i18n: not for readers
    actions = payload.get("actions")
    if actions is not None and not _objects(actions):
        return "`actions` is not a list of objects."  # i18n: not for readers
    if kind == "block_actions" and not actions:
        return "A block_actions payload has no actions."  # i18n: not for readers
    if kind == "block_actions" and not all(
        isinstance(a.get("action_id"), str) for a in actions or ()
    ):
        return "An action's `action_id` is not a string."  # i18n: not for readers
    view = payload.get("view")
    if view is None and kind in ("view_submission", "view_closed"):
        return "A view payload has no `view`."  # i18n: not for readers
    if view is not None and not isinstance(view.get("callback_id", ""), str):
        return "A view's `callback_id` is not a string."  # i18n: not for readers
    for key in ("callback_id", "command", "text", "trigger_id"):
        if not isinstance(payload.get(key, ""), str):
            return f"`{key}` is not a string."  # i18n: not for readers
    return None


def _objects(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(each, Mapping) for each in value)
