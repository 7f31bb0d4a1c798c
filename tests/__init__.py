"""The test suite, laid out like the code: `dialogs/`, `adapters/`, `storage/`, `bot/`, `e2e/`
(several processes or platforms at once), `support/` (fakes, conversations, processes) and
`stand_ins/` (local Slack, Teams and Adaptive Cards stand-ins), which `bench/` imports as
packages. Only `conftest.py` and `test_layers.py` live at the root.
"""
