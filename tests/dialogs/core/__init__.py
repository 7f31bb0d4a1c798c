"""Tests of the engine's vocabulary: the action codec and message keys."""
