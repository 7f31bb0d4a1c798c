"""Tests of the question coach (dialogs/coach), with the labelled questions in tests/data/."""
