"""Single- and multiple-choice tallies: exact, order-independent, strict about bad ballots."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogs.tally import InvalidBallot, tally_multi, tally_single


def test_the_most_chosen_option_wins():
    result = tally_single([[0], [1], [1]], 3)
    assert result.counts == (1, 2, 0)
    assert result.winners == (1,)
    assert result.voters == 3
    assert [result.percent(i) for i in range(3)] == [33, 67, 0]


def test_a_tie_names_every_leader_and_no_votes_names_nobody():
    assert tally_single([[0], [1]], 2).winners == (0, 1)
    assert tally_single([], 2).winners == ()
    assert tally_single([], 2).percent(0) == 0


def test_several_choices_count_once_each_per_voter():
    result = tally_multi([[0, 1], [1], [1, 2]], 3, most=2)
    assert result.counts == (1, 3, 1)
    assert result.voters == 3


@pytest.mark.parametrize(
    ("ballot", "method"),
    [([], "single"), ([0, 1], "single"), ([3], "single"), ([0, 0], "multi"), ([0, 1, 2], "multi")],
)
def test_malformed_ballots_are_rejected(ballot, method):
    with pytest.raises(InvalidBallot):
        if method == "single":
            tally_single([ballot], 3)
        else:
            tally_multi([ballot], 3, most=2)


single_ballots = st.lists(st.integers(0, 4).map(lambda i: [i]), max_size=200)
multi_ballots = st.lists(
    st.lists(st.integers(0, 4), min_size=1, max_size=3, unique=True), max_size=200
)


@given(single_ballots, st.randoms())
def test_reordering_ballots_never_changes_a_result(ballots, random):
    shuffled = list(ballots)
    random.shuffle(shuffled)
    assert tally_single(ballots, 5) == tally_single(shuffled, 5)


@given(multi_ballots)
def test_every_choice_is_counted_exactly_once(ballots):
    result = tally_multi(ballots, 5, most=3)
    assert sum(result.counts) == sum(len(b) for b in ballots)
    assert result.voters == len(ballots)
    if ballots:
        assert all(result.counts[w] == max(result.counts) for w in result.winners)


@given(single_ballots)
def test_an_absolute_majority_always_wins_alone(ballots):
    result = tally_single(ballots, 5)
    for option, count in enumerate(result.counts):
        if count * 2 > result.voters:
            assert result.winners == (option,)
