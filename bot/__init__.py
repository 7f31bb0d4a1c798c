"""The process: settings, the aiohttp app and its routes, the CLI, logging, metrics, charts, the
scheduler and the outbox dispatcher. It composes the adapters and the engine and may import
both; it asks the engine only through `dialogs.runner` and the audit kernel
(`dialogs.polls.tally`, `dialogs.polls.ballot_csv`), never a feature's insides.
"""
