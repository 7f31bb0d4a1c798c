"""The Slack adapter: Block Kit rendering and the app manifest (transport arrives separately)."""
