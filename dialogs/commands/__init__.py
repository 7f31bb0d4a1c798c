"""The words people type, the same on every platform: the grammar as data (`syntax`), the parser
that turns text into a `Command`, the value readers (counts, durations, time zones), `when` for
deadlines, and `help`. It imports only `dialogs.core`.
"""
