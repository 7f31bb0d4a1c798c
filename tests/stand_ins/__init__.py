"""Local stand-ins for what tests can't reach: Slack's Web API, Socket Mode server, signed
requests and payloads, the Slack emulator, the Bot Connector and Teams activities, Microsoft's
Teams test client and the Adaptive Cards parser. Imported by tests and by `bench/`.
"""
