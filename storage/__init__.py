"""The database: SQLModel tables, the `Database` (one transaction per unit of work, retried on
conflict), the outbox's queries, processed-event ids and migrations. It imports nothing from
`dialogs/`, `adapters/` or `bot/`, and holds no rule about polls, rounds or check-ins.
"""
