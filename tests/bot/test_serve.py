"""`concord serve` as an operator meets it: start, answer, stop; refuse bad settings clearly.

The server runs as a real subprocess on a free loopback port with a SQLite file
of its own. Settings are tested in a clean environment so a developer's shell
or `.env` cannot change the outcome.
"""

from __future__ import annotations

import json
import signal
import subprocess

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import DATABASE, ENGINE, MAX_BODY_BYTES, create_app
from bot.cli import exposure_warning, main, new_event_loop
from bot.settings import ConfigError, load_settings
from tests.support.paths import REPO
from tests.support.processes import SETTING_NAMES, Server, concord_command, concord_env, get

STOP_DEADLINE_SECONDS = 10


@pytest.fixture
def server(tmp_path):
    running = Server(tmp_path)
    yield running
    running.stop()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_then_stops_cleanly_on_a_signal(server, stop_signal):
    server.wait_until_healthy()

    status, body = get(f"{server.url}/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    assert get(f"{server.url}/playground")[0] == 200
    assert server.stdout.read_text().splitlines()[0] == (
        f"Concord is serving on {server.url} — playground: {server.url}/playground"
    )

    server.process.send_signal(stop_signal)
    assert server.process.wait(timeout=STOP_DEADLINE_SECONDS) == 0
    log = server.log()  # every line is one JSON object
    assert all({"ts", "level", "logger", "msg"} <= entry.keys() for entry in log)
    assert log[-1]["msg"] == "stopped"


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("DATABASE_URL", "not a url"),
        ("CONCORD_TIMEZONE", "Mars/Olympus"),
        ("CONCORD_TIMEZONE", "Europe"),  # a directory of zones: IsADirectoryError, a traceback
    ],
)
def test_a_bad_setting_stops_serve_with_one_line_naming_it(tmp_path, setting, value):
    result = subprocess.run(
        [*concord_command(), "serve"],
        cwd=tmp_path,
        env=concord_env(**{setting: value}),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"concord: configuration error: {setting}: ")


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////nonexistent-folder/concord.db",
        "postgresql+psycopg://postgres:hunter2@127.0.0.1:1/test",
    ],
)
def test_a_database_that_cannot_be_opened_stops_start_up_with_one_line(tmp_path, url):
    result = subprocess.run(
        [*concord_command(), "db", "upgrade"],
        cwd=tmp_path,
        env=concord_env(DATABASE_URL=url),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("concord: cannot use the database at ")
    assert "hunter2" not in result.stderr


def test_db_upgrade_creates_the_schema_and_can_run_again(tmp_path):
    env = concord_env(DATABASE_URL=f"sqlite:///{tmp_path / 'concord.db'}")
    for _ in range(2):
        result = subprocess.run(
            [*concord_command(), "db", "upgrade"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert "newest schema" in result.stdout


def test_serve_runs_on_uvloop_where_it_is_installed():
    import uvloop  # a dependency everywhere but Windows

    loop = new_event_loop()
    try:
        assert isinstance(loop, uvloop.Loop)
    finally:
        loop.close()


@pytest.mark.parametrize("command", ["export"])
def test_commands_still_to_come_say_so(command, capsys):
    assert main(command.split()) == 2
    assert "not available yet: arrives with" in capsys.readouterr().err


# Settings -------------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env here unless a test writes one
    return monkeypatch


def test_defaults_serve_sqlite_on_loopback_with_the_playground(clean_env):
    settings = load_settings()

    assert settings.database_url == "sqlite:///./concord.db"
    assert (settings.concord_host, settings.concord_port) == ("127.0.0.1", 3978)
    assert settings.concord_timezone == "Europe/London"
    assert settings.concord_log_format == "json"
    assert settings.playground_enabled


def test_a_configured_platform_turns_the_playground_off_unless_asked_for(clean_env):
    clean_env.setenv("SLACK_BOT_TOKEN", "xoxb-not-a-real-token")
    clean_env.setenv("SLACK_SIGNING_SECRET", "not-a-real-secret")
    assert not load_settings().playground_enabled

    clean_env.setenv("CONCORD_PLAYGROUND", "true")
    assert load_settings().playground_enabled


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_SIGNING_SECRET": "s"}, "SLACK_CLIENT_SECRET"),
        (
            {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c", "SLACK_SIGNING_SECRET": "s"},
            "CONCORD_PUBLIC_URL",
        ),
    ],
)
def test_slack_settings_that_could_not_work_are_refused_at_start(clean_env, settings, named):
    for name, value in settings.items():
        clean_env.setenv(name, value)
    with pytest.raises(ConfigError, match=named):
        load_settings()


def test_socket_mode_needs_no_signing_secret(clean_env):
    clean_env.setenv("SLACK_APP_TOKEN", "xapp-1")
    clean_env.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert load_settings().slack_configured


def test_teams_alone_also_turns_the_playground_off(clean_env):
    clean_env.setenv("MICROSOFT_APP_ID", "00000000-0000-0000-0000-000000000000")
    assert not load_settings().playground_enabled


def test_settings_come_from_dot_env_and_empty_values_mean_unset(clean_env, tmp_path):
    (tmp_path / ".env").write_text("CONCORD_PORT=4000\nSLACK_BOT_TOKEN=\n")

    settings = load_settings()

    assert settings.concord_port == 4000
    assert settings.slack_bot_token is None
    assert settings.playground_enabled


def test_secrets_are_hidden_in_reprs_but_known_to_the_log_redactor(clean_env):
    clean_env.setenv("SLACK_BOT_TOKEN", "xoxb-secret-value")
    clean_env.setenv("SLACK_SIGNING_SECRET", "signing-secret")
    clean_env.setenv("DATABASE_URL", "postgresql+psycopg://concord:pw-secret@127.0.0.1/db")

    settings = load_settings()

    assert "xoxb-secret-value" not in repr(settings)
    assert set(settings.secret_values()) == {"xoxb-secret-value", "signing-secret", "pw-secret"}


def test_single_tenant_teams_needs_a_tenant_id(clean_env):
    clean_env.setenv("MICROSOFT_APP_TYPE", "SingleTenant")
    with pytest.raises(ConfigError, match="MICROSOFT_APP_TENANT_ID"):
        load_settings()


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("DATABASE_URL", "mysql://root@127.0.0.1/concord"),
        ("CONCORD_PORT", "99999"),
        ("CONCORD_PLAYGROUND", "perhaps"),
        ("CONCORD_LOG_FORMAT", "xml"),
        ("SLACK_API_URL", "slack.com/api"),
    ],
)
def test_every_bad_setting_is_one_line_naming_it(clean_env, capsys, setting, value):
    clean_env.setenv(setting, value)

    assert main(["serve"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1, error
    assert error.startswith(f"concord: configuration error: {setting}: ")


# Read only from the environment, where the Agents SDK reads its own variables: .env.example
# names it in a comment, never as a line to fill in.
ENVIRONMENT_ONLY = {"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID"}


def test_env_example_documents_every_setting():
    example = (REPO / ".env.example").read_text()
    listed = {line.split("=")[0] for line in example.splitlines() if line and line[0] != "#"}
    assert listed == set(SETTING_NAMES) - ENVIRONMENT_ONLY
    assert "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID" in example


def test_an_operator_sets_the_limits_people_meet(clean_env, tmp_path):
    clean_env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'concord.db'}")
    clean_env.setenv("CONCORD_POLLS_PER_COORDINATOR_HOUR", "200")
    clean_env.setenv("CONCORD_CODES_OUTSTANDING", "2")
    app = create_app(load_settings())

    limits = app[ENGINE].limits
    assert (limits.polls_per_coordinator_hour, limits.codes_outstanding) == (200, 2)
    assert limits.polls_per_collaborative_hour == 60
    app[DATABASE].dispose()


def test_a_limit_below_one_is_refused_naming_its_variable(clean_env):
    clean_env.setenv("CONCORD_POLLS_PER_COLLABORATIVE_HOUR", "0")
    with pytest.raises(ConfigError, match="CONCORD_POLLS_PER_COLLABORATIVE_HOUR"):
        load_settings()


@pytest.mark.parametrize(
    ("host", "warned"),
    [("127.0.0.1", False), ("localhost", False), ("::1", False), ("0.0.0.0", True)],
)
def test_the_playground_beyond_loopback_is_warned_about(clean_env, host, warned):
    clean_env.setenv("CONCORD_HOST", host)
    assert (exposure_warning(load_settings()) is not None) == warned


# The app's error handling ----------------------------------------------------


@pytest.fixture
async def client(clean_env, tmp_path):
    clean_env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'concord.db'}")
    app = create_app(load_settings())

    async def boom(request: web.Request) -> web.Response:
        raise RuntimeError("the secret internals")

    async def upload(request: web.Request) -> web.Response:
        return web.json_response({"bytes": len(await request.read())})

    app.router.add_get("/boom", boom)
    app.router.add_post("/upload", upload)
    async with TestClient(TestServer(app, host="127.0.0.1")) as test_client:
        yield test_client


async def test_an_unexpected_error_is_a_json_500_whose_id_is_in_the_log(client, caplog):
    response = await client.get("/boom")

    body = await response.json()
    assert response.status == 500
    assert body == {"error": "internal error", "id": body["id"]}
    logged = [r for r in caplog.records if getattr(r, "error_id", None) == body["id"]]
    assert logged and logged[0].exc_info, "the traceback is logged with the error id"


async def test_unknown_routes_answer_json_not_html(client):
    response = await client.get("/no-such-page")

    assert response.status == 404
    assert await response.json() == {"error": "Not Found"}


async def test_bodies_over_a_megabyte_are_refused_with_json(client):
    assert (await client.post("/upload", data=b"x" * 1000)).status == 200

    response = await client.post("/upload", data=b"x" * (MAX_BODY_BYTES + 1))

    assert response.status == 413
    assert "error" in await response.json()


async def test_healthz_says_503_when_the_database_does_not_answer(client, monkeypatch):
    monkeypatch.setattr(client.app[DATABASE], "is_healthy", lambda: False)

    response = await client.get("/healthz")

    assert response.status == 503
