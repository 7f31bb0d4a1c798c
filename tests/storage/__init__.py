"""Tests of the schema, its indexes and votes under concurrency and at scale, on SQLite and
PostgreSQL.
"""
