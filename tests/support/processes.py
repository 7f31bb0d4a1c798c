"""`concord serve` as a real subprocess on a free loopback port, for tests and benchmarks."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bot.settings import Settings

START_DEADLINE_SECONDS = 30
SETTING_NAMES = [name.upper() for name in Settings.model_fields]
# Loopback only, and never through a proxy from the developer's environment.
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def concord_command() -> list[str]:
    script = Path(sys.executable).with_name("concord")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def concord_env(**settings: str) -> dict[str, str]:
    """This environment without any Concord setting, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    return {**env, **settings}


def get(url: str) -> tuple[int, bytes]:
    try:
        with LOCAL.open(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Server:
    """`concord serve` in a subprocess, its output captured in files under `folder`."""

    def __init__(self, folder: Path, database_url: str | None = None, **settings: str):
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.stdout = folder / "stdout.txt"
        self.stderr = folder / "stderr.txt"
        env = concord_env(
            DATABASE_URL=database_url or f"sqlite:///{folder / 'concord.db'}",
            CONCORD_HOST="127.0.0.1",
            CONCORD_PORT=str(self.port),
            **settings,
        )
        with self.stdout.open("w") as out, self.stderr.open("w") as err:
            self.process = subprocess.Popen(
                [*concord_command(), "serve"],
                cwd=folder,
                env=env,
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
            )

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_DEADLINE_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"concord serve exited {self.process.returncode}:\n{self.errors()}"
                )
            try:
                if get(f"{self.url}/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(
            f"/healthz did not answer 200 in {START_DEADLINE_SECONDS}s:\n{self.errors()}"
        )

    def errors(self) -> str:
        return self.stderr.read_text()

    def log(self) -> list[dict]:
        return [json.loads(line) for line in self.errors().splitlines() if line.startswith("{")]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
