"""Tests of the benchmarks themselves: that each still imports as `make bench` runs it."""
