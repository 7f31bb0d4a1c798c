"""Tests of the neutral engine, one folder per feature package, mostly conversations with a real
database.
"""
