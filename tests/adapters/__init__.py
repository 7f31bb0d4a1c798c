"""Tests of each platform adapter against its local stand-in."""
