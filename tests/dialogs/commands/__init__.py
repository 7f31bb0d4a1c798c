"""Tests of the grammar and of deadlines in words."""
