"""Token buckets and retry backoff: the arithmetic behind the dispatcher's pacing."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from adapters.slack.port import SLACK_LIMITS
from adapters.teams.port import TEAMS_LIMITS
from bot.ratelimit import BACKOFF_CAP_SECONDS, Bucket, backoff

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def calls_allowed(bucket: Bucket, now: datetime) -> tuple[int, Bucket]:
    taken = 0
    while bucket.wait(now) == 0:
        bucket, taken = bucket.take(now), taken + 1
    return taken, bucket


def test_a_full_bucket_allows_a_burst_of_its_count_then_waits_for_a_refill():
    taken, bucket = calls_allowed(Bucket.full(50, 60, T0), T0)
    assert taken == 50
    assert bucket.wait(T0) == pytest.approx(1.2)
    assert calls_allowed(bucket, at(1.2))[0] == 1
    assert calls_allowed(bucket, at(12))[0] == 10


def test_one_a_second_means_one_a_second():
    bucket = Bucket.full(1, 1, T0).take(T0)
    assert bucket.wait(at(0.25)) == pytest.approx(0.75)
    assert bucket.wait(at(1)) == 0
    assert calls_allowed(bucket, at(5))[0] == 1, "an idle bucket never holds more than its count"


def test_a_clock_that_steps_back_refills_nothing():
    bucket = Bucket.full(7, 1, T0).take(T0)
    assert bucket.level(at(-10)) == pytest.approx(6)


def test_a_bucket_survives_being_stored_and_restored():
    bucket = Bucket.full(1800, 3600, T0).take(T0).take(at(1))
    restored = Bucket.restore(1800, 3600, bucket.state(), at(2))
    assert restored == bucket
    assert Bucket.restore(7, 1, {}, T0) == Bucket.full(7, 1, T0), "no state yet: full"


def test_teams_allows_7_a_second_and_sustains_no_more_than_1800_an_hour():
    buckets = [Bucket.full(limit.count, limit.seconds, T0) for limit in TEAMS_LIMITS.limits]
    sent_at: list[int] = []
    for tick in range(2 * 3600):
        now = at(tick)
        while all(bucket.wait(now) == 0 for bucket in buckets):
            buckets = [bucket.take(now) for bucket in buckets]
            sent_at.append(tick)
    assert max(Counter(sent_at).values()) == 7
    assert sum(1 for tick in sent_at if tick >= 3600) <= 1800


def test_slack_limits_new_messages_per_channel_and_edits_per_workspace():
    posts, edits = SLACK_LIMITS.limits
    assert (posts.count, posts.seconds, posts.scope) == (1, 1.0, "lane")
    assert "update" not in posts.kinds and {"post", "notify"} <= posts.kinds
    assert (edits.count, edits.seconds, edits.scope) == (50, 60.0, "tenant")
    assert edits.kinds == {"update"}
    assert posts.name != edits.name


def test_backoff_doubles_with_jitter_and_is_capped():
    rng = random.Random(3)
    for failures, base in [(1, 1), (2, 2), (3, 4), (6, 32)]:
        delays = [backoff(failures, rng) for _ in range(200)]
        assert base * 0.8 <= min(delays) < max(delays) <= base * 1.2
    assert backoff(50, rng) <= BACKOFF_CAP_SECONDS * 1.2
