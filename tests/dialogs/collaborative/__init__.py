"""Tests of setup, linking, organisations, roles and linked accounts."""
