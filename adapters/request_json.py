"""One JSON loader for every request body any adapter reads, bounded so no body can crash it.

The standard library's `json.loads` recurses once per nesting level (a body nested a
thousand deep raises `RecursionError`, a 500), and it decodes a `"\\ud800"` escape into
a lone surrogate that nothing downstream can encode (the database, the platform's API,
the log). `load_object` refuses both, with a sentence saying which, as a `MalformedJson`
(a `ValueError`): orjson parses (it refuses lone surrogates and bytes that are not UTF-8,
and never recurses past 1,024 levels), then nesting deeper than `MAX_DEPTH` is refused.
"""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Any

import orjson

MAX_DEPTH = 64  # Slack's and Teams's payloads nest about ten deep
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class MalformedJson(ValueError):
    """What was wrong with a body, in a sentence to show whoever sent it: a program (a
    platform's servers, a script), so in English and not for readers."""


def load(text: str | bytes) -> Any:
    """The JSON value in `text`, or MalformedJson saying why there is none we accept."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise MalformedJson(_reason(str(error))) from None
    if _opening_brackets(text) > MAX_DEPTH and nesting(text) > MAX_DEPTH:
        deep = f"The JSON is nested more than {MAX_DEPTH} levels deep."  # i18n: not for readers
        raise MalformedJson(deep)
    return value


def load_object(text: str | bytes) -> dict[str, Any]:
    """`load`, refusing any value but a JSON object."""
    value = load(text)
    if not isinstance(value, dict):
        raise MalformedJson(f"The JSON is {_kind(value)}, not an object.")  # i18n: not for readers
    return value


def nesting(text: str | bytes) -> int:
    """How deep the arrays and objects of well-formed JSON `text` nest (0 for a scalar)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    outside_strings = _STRING.sub("", text)
    steps = (_STEP[bracket] for bracket in _BRACKET.findall(outside_strings))
    return max(accumulate(steps, initial=0))


def _opening_brackets(text: str | bytes) -> int:
    """An upper bound on the nesting, counted in C: most bodies need no closer look."""
    if isinstance(text, bytes):
        return text.count(b"[") + text.count(b"{")
    return text.count("[") + text.count("{")


def _reason(error: str) -> str:
    if "UTF-8" in error:
        return "The body is not UTF-8 text."  # i18n: not for readers
    if "surrogate" in error:
        return (
            "The JSON holds a lone surrogate (a \\ud800–\\udfff escape), "  # i18n: not for readers
            "which is no character."
        )
    if "depth" in error:
        return f"The JSON is nested more than {MAX_DEPTH} levels deep."  # i18n: not for readers
    return "The body is not valid JSON."  # i18n: not for readers


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    number = isinstance(value, (int, float))
    return "a number" if number else "true, false or null"  # i18n: not for readers
