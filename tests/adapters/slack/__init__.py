"""Tests of the Slack adapter: signed requests, Socket Mode, rendering, the manifest and the
emulator.
"""
