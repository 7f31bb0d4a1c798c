"""Log records that mean something went wrong: ERROR or worse, or any traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


class _Faults(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.records.append(record)


def described(record: logging.LogRecord) -> str:
    where = f"{record.name}:{record.levelname}: {record.getMessage()}"
    if record.exc_info and record.exc_info[1] is not None:
        return f"{where} ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
    return where


@contextmanager
def faults() -> Iterator[list[logging.LogRecord]]:
    """The faulty records logged (anywhere) while the block runs."""
    handler = _Faults()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)
