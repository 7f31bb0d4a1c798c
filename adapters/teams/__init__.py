"""The Teams adapter: Adaptive Card rendering, the Bot Framework transport and the app package."""
