"""Test helpers that are not a platform: the fake clock and platform, conversations with the
engine, planted due work, server processes, the browser, installed npm clients and the
repository's paths.
"""
