"""End-to-end tests: several platforms or several processes at once."""
