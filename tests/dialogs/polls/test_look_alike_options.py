"""Options that read the same to a person are the same option, however they are spelled."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage.models import Poll, PollOption
from tests.support.conversation import ASHA, BEN, NORTH, buttons

CYRILLIC_A = "\u0430"
ZERO_WIDTH_SPACE = "\u200b"
RIGHT_TO_LEFT_OVERRIDE = "\u202e"


def polls(database) -> int:
    with database.session() as session:
        return len(session.exec(select(Poll)).all())


@pytest.mark.parametrize(
    "look_alike",
    [
        f"S{CYRILLIC_A}lad",
        f"Sal{ZERO_WIDTH_SPACE}ad",
        f"{RIGHT_TO_LEFT_OVERRIDE}Salad",
        "ＳＡＬＡＤ",  # full-width letters
    ],
    ids=["cyrillic", "zero-width", "override", "full-width"],
)
def test_an_option_that_only_looks_different_is_refused_naming_both(chat, database, look_alike):
    shown = chat.says(ASHA, NORTH, f'poll "Lunch?" "Soup" "Salad" "{look_alike}"')
    assert "reads the same as “Salad”" in shown or "“Salad” is listed twice." in shown
    assert "Give each option once" in shown
    assert polls(database) == 0


def test_hidden_and_reordering_characters_are_not_kept_in_a_question_or_options(chat, database):
    chat.says(
        ASHA,
        NORTH,
        f'poll "Lunch{ZERO_WIDTH_SPACE}?" "{RIGHT_TO_LEFT_OVERRIDE}Soup" "Sal{ZERO_WIDTH_SPACE}ad"',
    )
    with database.session() as session:
        assert session.exec(select(Poll.question)).one() == "Lunch?"
        labels = session.exec(select(PollOption.label).order_by(PollOption.position)).all()
    assert labels == ["Soup", "Salad"]


def test_an_added_look_alike_option_is_refused_too(chat):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad" --open-options')
    add = next(
        action for label, action in buttons(chat.last_message(NORTH)).items() if "Add" in label
    )
    chat.clicks(BEN, NORTH, add)
    effects = chat.submits(
        BEN, NORTH, add.replace("form:", "submit:"), {"option": f"S{CYRILLIC_A}lad"}
    )
    assert "reads the same as “Salad”" in effects[0].form.error


def test_a_look_alike_option_added_by_an_edit_is_refused(chat, database):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"')
    shown = chat.says(ASHA, NORTH, f'poll edit 1 --add-option "S{CYRILLIC_A}lad"')
    assert "reads the same as “Salad”" in shown
    with database.session() as session:
        assert len(session.exec(select(PollOption)).all()) == 2
