"""Fuzz tests (Hypothesis): generated commands and clicks through the engine, generated
unsigned and malformed requests to every endpoint; nothing may answer a 5xx, log a traceback
or change stored data when it refuses.

By default each test is derandomized and bounded (`bounded`), so `make test` runs the same
examples every time, in under two minutes together. To search further, set
`FUZZ_EXAMPLES=2000` (examples per test): the examples are then random, and
`--hypothesis-seed=N` repeats a run.
"""

import os

from hypothesis import HealthCheck, Phase, settings

_QUIET = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
# Shrunk, but not explained: explaining a failure reruns it hundreds of times (a minute and more).
_PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]


def bounded(max_examples: int) -> settings:
    """The settings of one fuzz test: `max_examples`, the same ones every run, no deadline
    (or, with FUZZ_EXAMPLES set, that many random ones)."""
    if explore := int(os.environ.get("FUZZ_EXAMPLES", "0")):
        return settings(
            max_examples=explore, deadline=None, suppress_health_check=_QUIET, phases=_PHASES
        )
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=_QUIET,
        phases=_PHASES,
    )
