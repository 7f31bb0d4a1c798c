"""Generated playground requests: real commands and clicks with fields replaced by generated
values of any JSON type. None may answer 5xx or log a traceback (issue 16, item 3)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.adapters.playground.test_playground_http import RIVERSIDE, serving

KEYS = ["user", "name", "channel", "text", "action", "values", "question", "choice"]
LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.sampled_from(["asha", "ben", RIVERSIDE, "sandbox", "help", 'poll "Q?" "A" "B"'])
    | st.sampled_from(["vote:1:1", "vote:99999999999:1", "close:1", "--timezone Europe"])
    | st.text(max_size=8)
)


def _nested(inner: st.SearchStrategy) -> st.SearchStrategy:
    # Named, not a lambda (see tests/fuzz/json_changes.py).
    return st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(KEYS) | st.text(max_size=3), inner, max_size=4
    )


VALUES = st.recursive(LEAVES, _nested, max_leaves=20)
REAL = [
    ("command", {"user": "asha", "channel": RIVERSIDE, "text": 'poll "Lunch?" "Soup" "Salad"'}),
    ("command", {"name": "Sam", "channel": "sandbox", "text": 'setup "Mine"'}),
    ("action", {"user": "ben", "channel": RIVERSIDE, "action": "vote:1:1", "values": {}}),
]
REQUESTS = st.builds(
    lambda real, changes: (real[0], {**real[1], **changes}),
    st.sampled_from(REAL),
    st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=3),
)


def test_changed_requests_never_answer_5xx(sqlite_database, clock, caplog):
    loop = asyncio.new_event_loop()
    running = serving(sqlite_database, clock)
    client = loop.run_until_complete(running.__aenter__())

    async def send(path: str, body: dict[str, Any]) -> int:
        response = await client.post(f"/playground/api/{path}", data=json.dumps(body))
        return response.status

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(REQUESTS)
    def check(request: tuple[str, dict[str, Any]]) -> None:
        caplog.clear()
        status = loop.run_until_complete(send(*request))

        assert status < 500, request
        assert [r.getMessage() for r in caplog.records if r.exc_info] == [], request

    try:
        check()
    finally:
        loop.run_until_complete(running.__aexit__(None, None, None))
        loop.close()
