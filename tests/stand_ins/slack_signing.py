"""Signing requests the way Slack does, for tests and benchmarks that play Slack.

Slack signs `v0:{timestamp}:{raw body}` with the app's signing secret (HMAC-SHA256,
hex) and sends it as `X-Slack-Signature: v0=…` beside `X-Slack-Request-Timestamp`.
Written from Slack's documentation, independently of bolt's verifier, so a test that
passes shows the two agree (`test_slack_transport` checks it against Slack's own
worked example too).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def signature(secret: str, timestamp: str, body: str | bytes) -> str:
    raw = body if isinstance(body, bytes) else body.encode()
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + raw, hashlib.sha256)
    return "v0=" + digest.hexdigest()


def signed_headers(
    body: str | bytes,
    *,
    secret: str = SECRET,
    timestamp: int | str | None = None,
    form: bool = True,
) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": "application/x-www-form-urlencoded" if form else "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature(secret, stamp, body),
    }


def command_body(form: dict[str, str]) -> str:
    """A slash command's body: the form itself, URL-encoded."""
    return urlencode(form)


def interaction_body(payload: dict[str, Any]) -> str:
    """An interactivity body: the JSON payload in one form field, `payload`."""
    return urlencode({"payload": json.dumps(payload)})


def event_body(envelope: dict[str, Any]) -> str:
    """An Events API body: the JSON envelope itself."""
    return json.dumps(envelope)
