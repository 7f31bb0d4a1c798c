"""Generated activities sent to the real Teams transport: real activities with a few fields
replaced by generated values of any JSON type, at the top and one level in. None may answer
5xx or log a traceback, but for a reply the stand-in connector couldn't deliver (issue 16,
item 3)."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.adapters.teams.harness import TeamsHarness
from tests.fuzz.json_changes import changes
from tests.stand_ins import teams_activities as teams

KEYS = [
    "type", "id", "name", "text", "value", "from", "conversation", "recipient", "channelData",
    "entities", "attachments", "membersAdded", "membersRemoved", "action", "replyToId",
    "locale", "textFormat", "aadObjectId", "tenant", "team", "tenantId", "conversationType",
    "isGroup", "mentioned", "data", "verb", "trigger", "msteams", "choice", "channel",
    "commandId", "commandContext", "context",
]  # fmt: skip
WORDS = ["", "message", "invoke", "adaptiveCard/action", "task/fetch", "vote:1:1", "help"]
CHANGES = changes(KEYS, [*WORDS, "composeExtension/submitAction", "form:poll", "createPoll"])
INNER = ["from", "conversation", "recipient", "channelData", "value"]


def real(service_url: str) -> list[dict[str, Any]]:
    return [
        teams.message(service_url, "help"),
        teams.message(service_url, "help", kind="personal"),
        teams.submit(service_url, {"action": "vote:1:1"}),
        teams.execute(service_url, {"action": "vote:1:1"}),
        teams.task_fetch(service_url, {"msteams": {"type": "task/fetch"}, "action": "form:poll"}),
        teams.task_submit(service_url, {"action": "submit:ballot:1", "rank0": "0"}),
        teams.compose_fetch(service_url),
        teams.compose_submit(service_url, {"action": "submit:poll", "question": "Lunch?"}),
        teams.bot_added(service_url),
        teams.member_added(service_url),
        teams.installation_added(service_url),
    ]


def changed(activity: dict[str, Any], top: dict, where: str, inner: dict) -> dict[str, Any]:
    """`activity` with `inner` merged into its object `where`, then `top`."""
    activity = copy.deepcopy(activity)
    if isinstance(activity.get(where), dict):
        activity[where].update(inner)
    return {**activity, **top}


def test_changed_activities_never_answer_5xx(teams_harness, stub, caplog):
    loop = asyncio.new_event_loop()

    async def started() -> TeamsHarness:
        return await teams_harness().__aenter__()

    harness = loop.run_until_complete(started())
    activities = st.builds(
        changed, st.sampled_from(real(stub.service_url)), CHANGES, st.sampled_from(INNER), CHANGES
    )

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(activities)
    def check(activity: dict[str, Any]) -> None:
        caplog.clear()
        response = loop.run_until_complete(harness.send(activity))

        assert response.status < 500, activity
        # (Sending to a conversation the stand-in connector doesn't know fails: one line.)
        crashes = [r for r in caplog.records if r.exc_info]
        assert crashes == [], activity

    try:
        check()
    finally:
        loop.run_until_complete(harness.__aexit__())
        loop.close()
