"""Benchmarks, each measured beside a baseline in the same run and written to docs/benchmarks.md;
run as modules (`python -m bench.votes`) from the repository's root, as `make bench` does.
"""
