"""Writing benchmark results: one `## Section` per script in docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import re
import shlex
import sys
from datetime import UTC, datetime
from pathlib import Path

BENCHMARKS = Path("docs/benchmarks.md")
HEADER = """# Benchmarks

`make bench` runs every benchmark script in `bench/`, one after another (the Makefile
lists them; they need the local PostgreSQL at 127.0.0.1:5432, database `test`). Each
script writes its own section below, naming the machine, the date and the exact command,
and shows each figure beside a baseline measured in the same run, as a ratio. Running
one script alone rewrites its section only.
"""


def command_line() -> str:
    """The command that is running, as it would be typed from the repository's root."""
    script = Path(sys.argv[0])
    return shlex.join([".venv/bin/python", "-m", f"bench.{script.stem}", *sys.argv[1:]])


def machine() -> str:
    memory_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return (
        f"{os.cpu_count()} cores, {memory_kib / 2**20:.1f} GiB RAM, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def write_section(title: str, body: str, path: Path = BENCHMARKS) -> None:
    """Replace (or add) the section `## title`, leaving every other section as it was;
    what comes before the first section is always HEADER."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    first = re.search(r"^## ", text, re.M)
    text = HEADER.rstrip() + "\n\n" + (text[first.start() :] if first else "")
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
