"""Polls from the type list to the close: poll types as data, the pure tally (a published API) and
the ballots file `concord recount` reads, results and what a poll shows, creating a poll,
voting by button, form and batch, and its lifecycle. It never imports purpose rounds or check-
ins: a close is announced as `PollClosed` for whoever reacts.
"""
