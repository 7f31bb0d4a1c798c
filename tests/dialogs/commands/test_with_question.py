"""A `poll` command asking another question, the rest as typed: how a split question's
halves keep the options and settings of the command that asked both."""

from __future__ import annotations

import pytest

from dialogs.commands.parser import parse, with_question


@pytest.mark.parametrize(
    "typed",
    [
        'poll "Pool the budget and hire?" "Yes" "No" --closes friday 17:00',
        "poll “Pool the budget and hire?” “Yes” “No” —closes friday 17:00",
        '/concord poll "Pool the budget and hire?" Yes No --closes friday 17:00',
        "Poll Pool Yes No --closes friday 17:00",
    ],
)
def test_only_the_question_changes(typed):
    before, after = parse(typed), parse(with_question(typed, "Should we pool the budget?"))
    assert after.args["question"] == "Should we pool the budget?"
    assert after.args["options"] == before.args["options"] and after.flags == before.flags


def test_the_rest_is_kept_exactly_as_typed():
    typed = 'poll "Which site?" "--closes" --type single'
    assert (
        with_question(typed, "Which site, then?")
        == 'poll "Which site, then?" "--closes" --type single'
    )
