"""The Slack adapter: signed HTTP requests and Socket Mode in, Block Kit out, OAuth installs, the
app manifest and the vote-click fast path; it reaches the engine only through the
`Concord` port of `dialogs.core.ports`.
"""
