"""Tests of the process: the dispatcher and rate limits, the scheduler, metrics, logs, charts,
recount and `concord serve`.
"""
