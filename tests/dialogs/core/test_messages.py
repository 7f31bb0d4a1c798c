"""Message keys: stored with posted messages, so their spelling must never change."""

from types import SimpleNamespace as Row

import pytest

from dialogs.core.messages import MessageKey, checkin_key, parse_key, poll_key, round_key


def test_keys_are_spelled_as_the_outbox_has_always_stored_them():
    assert poll_key(Row(id=7)) == "poll:7"
    assert checkin_key(Row(id=12)) == "checkin:12"
    assert round_key(Row(id=3)) == "purpose:3"
    assert round_key(Row(id=3), "groups") == "purpose:3:groups"
    assert round_key(Row(id=3), "adopted") == "purpose:3:adopted"


@pytest.mark.parametrize(
    ("key", "parsed"),
    [
        ("poll:7", MessageKey("poll", 7)),
        ("checkin:12", MessageKey("checkin", 12)),
        ("purpose:3", MessageKey("purpose", 3)),
        ("purpose:3:groups", MessageKey("purpose", 3, "groups")),
        ("purpose:3:adopted", MessageKey("purpose", 3, "adopted")),
    ],
)
def test_each_key_parses_back(key, parsed):
    assert parse_key(key) == parsed
    assert str(parsed) == key


@pytest.mark.parametrize(
    "key", ["", "poll", "poll:", "poll:x", "poll:7:groups", "purpose:3:other", "vote:1", "poll:٣"]
)
def test_anything_else_is_no_key(key):
    assert parse_key(key) is None


def test_a_key_needs_a_stored_row():
    with pytest.raises(ValueError, match="stored row"):
        poll_key(Row(id=None))
