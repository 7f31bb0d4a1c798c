"""The words people type, the same on every platform: the grammar as data (`syntax`), the parser
that turns text into a `Command`, the value readers (counts, durations, time zones), `when` for
deadlines, `recurrence` for repeating times, and `help`. It imports only `dialogs.core`.
"""
