"""Tests of purpose rounds and of grouping proposals (with the labelled statements in `data/`)."""
