"""The partnership itself: setup and linking channels, one-time codes, members, identities,
organisations and roles, linking one person's accounts, channels' delivery references,
participation counted by organisation without naming anyone, and the decision log read back. It
imports only `core` and `commands`, never a feature above it.
"""
