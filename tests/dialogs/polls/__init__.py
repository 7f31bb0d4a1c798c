"""Tests of poll types, tallies, fairness, the audit file, deadlines and vote batches."""
