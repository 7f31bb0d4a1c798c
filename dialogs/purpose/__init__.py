"""Purpose rounds: gathering proposals, grouping them into themes (`grouping/`), the shortlist,
ranking and consent polls, nudges and the adopted purpose. It builds on `polls` and reacts to
`PollClosed`; nothing below imports it.
"""
