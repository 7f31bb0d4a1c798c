"""Fuzz tests (Hypothesis): generated commands and clicks through the engine, generated
unsigned and malformed requests to every endpoint; nothing may answer a 5xx, log a traceback
or change stored data when it refuses.

By default each test is derandomized and bounded (`bounded`), so `make test` runs the same
examples every time, in under two minutes together. `--hypothesis-profile=explore` (with a
`--hypothesis-seed` of your own) lifts both limits and searches further.
"""

from hypothesis import HealthCheck, settings

_QUIET = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("explore", max_examples=2000, deadline=None)


def bounded(max_examples: int) -> settings:
    """The settings of one fuzz test: `max_examples`, the same ones every run, no deadline;
    under a profile chosen on the command line, that profile's."""
    if settings.get_current_profile_name() != "default":
        return settings(deadline=None, suppress_health_check=_QUIET)
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=_QUIET,
    )
