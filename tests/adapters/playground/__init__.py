"""Tests of the playground: its HTTP routes, rendering, port and the browser."""
