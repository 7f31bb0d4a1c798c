"""The one JSON loader every adapter reads request bodies with (adapters/request_json.py)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.request_json import MAX_DEPTH, MalformedJson, load, load_object, nesting


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[" * 1000 + "]" * 1000, "nested more than 64 levels deep"),
        ("[" * 100_000, "nested more than 64 levels deep"),
        ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "nested more than 64 levels deep"),
        ('{"text": "\\ud800"}', "lone surrogate"),
        ('{"text": "\\udfff\\ud800"}', "lone surrogate"),
        (b'{"text": "\xff"}', "not UTF-8"),
        (b'{"text": "\xed\xa0\x80"}', "not UTF-8"),  # a surrogate written out in "UTF-8"
        ("{not json", "not valid JSON"),
        ("", "not valid JSON"),
        ("\x00", "not valid JSON"),
        ('"hello"', "a string, not an object"),
        ("[1]", "a list, not an object"),
        ("7", "a number, not an object"),
        ("null", "true, false or null, not an object"),
    ],
)
def test_what_is_refused_and_the_sentence_that_says_why(text, reason):
    with pytest.raises(MalformedJson, match=reason.replace("(", r"\(").replace(")", r"\)")):
        load_object(text)


def test_brackets_inside_strings_are_not_nesting():
    text = json.dumps({"text": "[[[[{{{{" * 100, "quote": 'a \\" [[[ "'})

    assert nesting(text) == 1
    assert load_object(text)["text"].startswith("[[[[")


def test_nesting_up_to_the_limit_is_read():
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH

    assert nesting(text) == MAX_DEPTH
    assert load(text) is not None


def _nested(inner: st.SearchStrategy) -> st.SearchStrategy:
    # Named, not a lambda (see tests/fuzz/json_changes.py).
    return st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.text() | st.integers(-(2**53), 2**53), _nested, max_leaves=20
)


@given(JSON_VALUES)
def test_it_reads_what_the_standard_library_reads(value):
    text = json.dumps(value)

    assert load(text) == json.loads(text)
    assert nesting(text) == _depth(value)


def _depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0
