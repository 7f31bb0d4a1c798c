"""Tests of recurring check-ins in time."""
