"""Tests of the question coach (dialogs/polls/coach), with the labelled questions in tests/data/."""
