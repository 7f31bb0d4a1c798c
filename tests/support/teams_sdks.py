"""The Teams transports (CONCORD_TEAMS_SDK's values) every Teams test runs on: the
`teams_sdk` fixture (tests/conftest.py) is parametrised by them."""

TEAMS_SDKS = ("botbuilder", "agents")
