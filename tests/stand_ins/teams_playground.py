"""Microsoft's Teams test client, the Microsoft 365 Agents Playground (npm
`@microsoft/m365agentsplayground@0.2.28`, run by the Node on PATH), for tests.

`running_playground(folder, bot_endpoint)` starts
`agentsplayground -e BOT_ENDPOINT -c msteams -p PORT --disable-telemetry` with
`TEAMSAPPTESTER_BROWSER=none`, waits until its web UI answers, yields the UI's
URL (`http://127.0.0.1:PORT`) and stops it afterwards. `make test` installs it
into `.cache/agents-playground/`: its licence forbids redistributing it, so it is
never committed. When it is missing the test fails under CI=true and skips
elsewhere, saying how to install it.

What it does, as far as Concord's tests rely on it:
- It emulates Teams (`channelId` `msteams`) and the Bot Framework connector the bot
  answers through: its activities carry `serviceUrl` `http://localhost:PORT/_connector`
  and no JWT, so the bot must run without a Microsoft app id.
- It listens on all interfaces (there is no flag for the host); `-p` fixes the port
  (taken if free, else it falls back to a random one, which this helper reads back).
- Once the web UI connects it waits for the bot's endpoint (any HTTP status) and sends
  `conversationUpdate` and `installationUpdate` for the personal chat it opens with.
- It writes its log to `M365_AGENTS_PLAYGROUND_LOGFILE` (default
  `./devTools/m365agentsplayground.log`) and reads a config file from its working
  folder, so it runs in an empty folder of the test's own.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.stand_ins.slack_emulator import _stop
from tests.support.installed_clients import require
from tests.support.paths import REPO
from tests.support.processes import free_port, get

ROOT = REPO
INSTALL_DIR = ROOT / ".cache" / "agents-playground"
CLI = INSTALL_DIR / "node_modules" / "@microsoft" / "m365agentsplayground" / "cli.js"
START_DEADLINE_SECONDS = 30
LISTENING = re.compile(r"^Listening on (\d+)$", re.MULTILINE)
# Settings of the playground's own (and proxies) that would change what it connects to,
# where it listens, or what it reads; it only ever talks to this machine.
PLAYGROUND_SETTINGS = re.compile(
    r"^(M365_AGENTS_PLAYGROUND_.*|TEAMSAPPTESTER_.*|TEAMS_APP_TEST_TOOL_.*|BOT_ENDPOINT"
    r"|DEFAULT_CHANNEL_ID|SEND_INSTALLATION_ACTIVITY|AUTH_CLIENT_ID|AUTH_CLIENT_SECRET"
    r"|AUTH_TENANT_ID|LOG_TOKENS|https?_proxy|HTTPS?_PROXY|no_proxy|NO_PROXY)$"
)


def playground_missing() -> str | None:
    """Why the playground cannot run here, or None."""
    if shutil.which("node") is None:
        return "Node is not on PATH, so Microsoft's Agents Playground cannot run"
    if not CLI.exists():
        path = CLI.relative_to(ROOT)
        return f"Microsoft's Agents Playground is not installed ({path} is missing)"
    return None


def require_playground() -> None:
    """Fail under CI=true, skip elsewhere, when the playground is not installed."""
    require(
        playground_missing(),
        "`make test` installs it into .cache/agents-playground/ (remove that folder to "
        "install it afresh).",
    )


@contextmanager
def running_playground(folder: Path, bot_endpoint: str) -> Iterator[str]:
    """The playground for the bot at `bot_endpoint` (Teams), its log in `folder`;
    yields the URL of its web UI."""
    require_playground()
    folder.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not PLAYGROUND_SETTINGS.match(k)}
    env["TEAMSAPPTESTER_BROWSER"] = "none"  # never open a browser of its own
    env["M365_AGENTS_PLAYGROUND_LOGFILE"] = str(folder / "playground.log")
    output = folder / "playground.out"
    command = ["node", str(CLI), "-e", bot_endpoint, "-c", "msteams"]
    with output.open("w") as out:
        process = subprocess.Popen(
            [*command, "-p", str(free_port()), "--disable-telemetry"],
            cwd=folder,  # an empty folder: no config file is picked up
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, stopped as one
        )
    try:
        yield _wait_until_answering(process, output)
    finally:
        _stop(process)


def _wait_until_answering(process: subprocess.Popen[bytes], output: Path) -> str:
    deadline = time.monotonic() + START_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"agentsplayground exited {process.returncode}:\n{_log(output)}")
        listening = LISTENING.search(output.read_text())
        if listening:
            url = f"http://127.0.0.1:{listening.group(1)}"
            try:
                if get(url)[0] == 200:
                    return url
            except OSError:
                pass
        time.sleep(0.1)
    raise RuntimeError(
        f"agentsplayground did not answer in {START_DEADLINE_SECONDS}s:\n{_log(output)}"
    )


def _log(output: Path) -> str:
    log = output.with_name("playground.log")
    return output.read_text() + (log.read_text() if log.exists() else "")
