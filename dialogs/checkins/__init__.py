"""Recurring check-ins: schedules and their commands, recurrence in the collaborative's time zone,
runs opened once per occurrence (and the ticker's catch-up rules), answers, and the summary and
trend. It is the top feature: it quotes the adopted purpose, so it may import `purpose`.
"""
