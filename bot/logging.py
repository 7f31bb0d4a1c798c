"""Structured logs on stderr: one JSON object a line by default, readable text on request.

Every line passes through a redactor that knows the configured secrets' values,
so a token that slips into a message, an `extra` field or a traceback is
written as `[redacted]`. Extra fields whose names say they hold a secret are
redacted whatever their value.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse

from adapters.playground.routes import POLLING_PATHS
from adapters.slack.manifest import EVENTS_PATH
from adapters.teams.package import MESSAGING_PATH
from bot.connections import CUT_SHORT

QUIET_PATHS = frozenset({"/healthz", "/metrics"})
APSCHEDULER_RUNS = "apscheduler.executors.default"
# Chatter a person at the terminal can do nothing with, at INFO: APSCHEDULER_RUNS says twice a
# second that the ticker ran; apscheduler's scheduler that it added its jobs; alembic, at every
# start, which dialect it drives (`concord db upgrade` says in one line what it did). Their
# warnings still show.
QUIET_AT_INFO = (APSCHEDULER_RUNS, "apscheduler.scheduler", "alembic.runtime.migration")
# Slack's and Teams' requests are counted and timed in /metrics; a line for each one
# answered at INFO would be a thousand lines a second in a region-wide vote, and would
# cost a click a tenth of the CPU it takes to store its vote. Refusals stay at INFO.
PLATFORM_PATHS = frozenset({EVENTS_PATH, MESSAGING_PATH})
# The playground's open pages ask for its state at every change: a line each would bury the
# serving line and every warning under a thousand lines an hour.
QUIET_WHEN_ANSWERED = PLATFORM_PATHS | POLLING_PATHS
REDACTED = "[redacted]"
SECRET_WORDS = ("token", "secret", "password", "authorization", "cookie")
MIN_SECRET_LENGTH = 4
_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class Redactor:
    def __init__(self, secrets: Iterable[str]) -> None:
        # Longest first, so a secret that contains another is replaced whole.
        known = {secret for secret in secrets if len(secret) >= MIN_SECRET_LENGTH}
        self.secrets = sorted(known, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text


class _StructuredFormatter(logging.Formatter):
    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def fields(self, record: logging.LogRecord) -> dict[str, Any]:
        extras = {k: v for k, v in vars(record).items() if k not in _RECORD_FIELDS}
        return {
            key: REDACTED if any(word in key.lower() for word in SECRET_WORDS) else value
            for key, value in extras.items()
        }

    def timestamp(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(self.render(record))

    def render(self, record: logging.LogRecord) -> str:
        raise NotImplementedError


class JsonFormatter(_StructuredFormatter):
    def render(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self.timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in self.fields(record).items():
            entry.setdefault(key, value)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(_StructuredFormatter):
    def render(self, record: logging.LogRecord) -> str:
        pairs = "".join(f" {key}={value}" for key, value in self.fields(record).items())
        line = (
            f"{self.timestamp(record)} {record.levelname:<7} {record.name}: "
            f"{record.getMessage()}{pairs}"
        )
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def configure_logging(level: str, fmt: str, secrets: Iterable[str] = ()) -> None:
    """Send every logger's records to stderr in `fmt` ("json" or "text") at `level`."""
    formatter_class = TextFormatter if fmt == "text" else JsonFormatter
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter_class(Redactor(secrets)))
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    quiet = logging.WARNING if root.getEffectiveLevel() >= logging.INFO else logging.NOTSET
    for name in QUIET_AT_INFO:
        logging.getLogger(name).setLevel(quiet)


class AccessLogger(AbstractAccessLogger):
    """One short line a request; probes, and platform and playground-polling requests that
    succeeded, only at DEBUG. A request cut short by its client says why (`CUT_SHORT`)."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        path = request.path
        quiet = path in QUIET_PATHS or (path in QUIET_WHEN_ANSWERED and response.status < 400)
        level = logging.DEBUG if quiet else logging.INFO
        if not self.logger.isEnabledFor(level):
            return
        fields = {
            "method": request.method,
            "path": path,
            "status": response.status,
            "ms": round(time * 1000, 1),
        }
        why = CUT_SHORT.get(response.status)
        if why:
            fields["why"] = why
        suffix = f": {why}" if why else ""
        method, status = request.method, response.status
        self.logger.log(level, "%s %s %s%s", method, path, status, suffix, extra=fields)
