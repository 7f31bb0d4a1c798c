"""The `concord` command: serve the bot, upgrade the database, recount a poll, and more.

Every failure an operator can fix — a bad setting, a database that cannot be
opened, a port already taken — ends with one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from pathlib import Path

from aiohttp import web
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from adapters.slack.manifest import as_yaml, manifest
from adapters.teams import package as teams
from bot import backup_cli, coach, group_cli
from bot.app import app_runner, create_app
from bot.logging import configure_logging
from bot.settings import ConfigError, Settings, load_settings
from bot.verify_log import verify_log
from dialogs.commands.grammar import SYNTAX
from dialogs.core.language import from_environment, speaking
from dialogs.polls import ballot_csv, committees, tally
from storage import migrate
from storage.data_map import data_map
from storage.database import Database

log = logging.getLogger("concord")

EXIT_USAGE = 2
NOT_AVAILABLE_YET = {
    "export": "the decision log export",
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "serve"
    if command == "recount":
        return recount(args.file)
    if command == "data-map":
        return _print(data_map())
    if command == "coach":
        return coach_questions(args.file)
    if command == "group":
        return group_statements(args.file, args.max_groups)
    if command == "slack-manifest":
        return slack_manifest(args.public_url, args.socket_mode, args.format)
    if command == "teams-package":
        return teams_package(args)
    if command in NOT_AVAILABLE_YET:
        return _fail(f"{command} is not available yet: arrives with {NOT_AVAILABLE_YET[command]}")
    try:
        settings = load_settings()
    except ConfigError as error:
        return _fail(f"configuration error: {error}")
    configure_logging(
        settings.concord_log_level, settings.concord_log_format, settings.secret_values()
    )
    try:
        if command in backup_cli.COMMANDS:
            return backup_cli.run(command, args.file, settings)
        if command == "verify-log":
            return verify_log(settings, args.collaborative, args.against)
        return serve(settings) if command == "serve" else upgrade_database(settings)
    except SQLAlchemyError as error:
        return _fail(f"cannot use the database at {_shown_url(settings)}: {_first_line(error)}")


def serve(settings: Settings) -> int:
    app = create_app(settings)
    if warning := exposure_warning(settings):
        print(warning, file=sys.stderr, flush=True)
        log.warning("playground exposed beyond loopback", extra={"host": settings.concord_host})
    loop = new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(_listen(app, settings))
    except (web.GracefulExit, KeyboardInterrupt):
        pass
    except OSError as error:
        where = f"{settings.concord_host}:{settings.concord_port}"
        return _fail(f"cannot listen on {where}: {error.strerror or error}")
    finally:
        _stop(loop)
    log.info("stopped")
    return 0


async def _listen(app: web.Application, settings: Settings) -> None:
    """Serve `app` until SIGINT or SIGTERM (aiohttp's run_app, with the guarded runner)."""
    runner = app_runner(app, handle_signals=True)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.concord_host, settings.concord_port).start()
        _announce(settings)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def _stop(loop: asyncio.AbstractEventLoop) -> None:
    """Let every task still running (the server, on a signal) finish its clean-up, then close."""
    tasks = asyncio.all_tasks(loop)
    for task in tasks:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop's loop where it is installed (everywhere but Windows): the same asyncio, with
    less of a request's CPU spent in the loop itself."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def upgrade_database(settings: Settings) -> int:
    database = Database(settings.database_url)
    try:
        migrate.upgrade(database)
    finally:
        database.dispose()
    print(f"The database at {_shown_url(settings)} has the newest schema.")
    return 0


def coach_questions(path: str) -> int:
    """Review JSON lines of questions (bot/coach.py); no database, no settings."""
    code, error = coach.main(path)
    return _fail(error) if code else 0


def group_statements(path: str, max_groups: int) -> int:
    """Group JSON lines of statements (bot/group_cli.py); no database, no settings."""
    code, error = group_cli.main(path, max_groups)
    return _fail(error) if code else 0


def recount(path: str) -> int:
    """Print the result of an exported ballots CSV as the bot's JSON; no database, no settings."""
    try:
        export = ballot_csv.read(Path(path).read_bytes().decode("utf-8"))
        outcome = committees.counted(
            export.type, export.options, export.ballots, export.settings, export.organisations
        )
    except OSError as error:
        return _fail(f"{path}: {error.strerror or error}")
    except UnicodeDecodeError as error:
        return _fail(
            f"{path}: not UTF-8 text (byte {error.start + 1} is {error.object[error.start]:#x})"
        )
    except ValueError as error:
        return _fail(f"{path}: {error}")
    return _print(tally.dumps(outcome) + "\n")


def slack_manifest(public_url: str | None, socket_mode: bool, output: str) -> int:
    """Print the Slack app manifest; HTTP mode needs a public https URL, Socket Mode none."""
    public_url = public_url or os.environ.get("CONCORD_PUBLIC_URL") or None
    if public_url and not public_url.startswith("https://"):
        return _fail(
            f"--public-url must start with https:// (Slack only calls https), not {public_url}"
        )
    if not public_url and not socket_mode:
        return _fail(
            "slack-manifest needs --public-url https://… (or CONCORD_PUBLIC_URL) or --socket-mode"
        )
    document = manifest(public_url, socket_mode)
    sys.stdout.write(
        as_yaml(document) if output == "yaml" else json.dumps(document, indent=2) + "\n"
    )
    return 0


def teams_package(args: argparse.Namespace) -> int:
    """Write the Teams app zip (manifest and icons) for the Azure Bot and say what to do next,
    in the language of the environment (LANG: Welsh for cy_GB.UTF-8)."""
    with speaking(from_environment(os.environ)):
        return _write_teams_package(args)


def _write_teams_package(args: argparse.Namespace) -> int:
    public_url = args.public_url or os.environ.get("CONCORD_PUBLIC_URL") or None
    try:
        document = teams.manifest(
            args.app_id or os.environ.get("MICROSOFT_APP_ID") or None,
            public_url,
            syntax=SYNTAX,
            name=args.name,
            version=args.app_version,
            privacy_url=args.privacy_url,
            terms_url=args.terms_url,
        )
        translated = teams.translations(args.name, SYNTAX)
        Path(args.output).write_bytes(teams.package(document, translated))
    except teams.PackageError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"cannot write {args.output}: {error.strerror or error}")
    website = document["developer"]["websiteUrl"]
    print(teams.written(document["name"]["short"], args.output, website))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="concord", description="Concord: co-create a purpose and decide by vote."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("serve", help="run the bot's web server (the default)")
    database = commands.add_parser("db", help="database maintenance")
    database.add_subparsers(dest="db_command", required=True, metavar="ACTION").add_parser(
        "upgrade", help="apply every pending migration"
    )
    recount = commands.add_parser("recount", help="recompute a poll result from its ballots CSV")
    recount.add_argument("file")
    commands.add_parser("data-map", help="print what Concord stores about people (docs/data.md)")
    coaching = commands.add_parser("coach", help="review poll and check-in questions (JSON lines)")
    coaching.add_argument("file", help="JSON lines of questions, or - for standard input")
    grouping = commands.add_parser("group", help="group statements by theme (JSON lines)")
    grouping.add_argument("file", help='JSON lines {"text": ...}, or - for standard input')
    grouping.add_argument("--max-groups", type=int, default=7, metavar="N", help="default 7")
    slack = commands.add_parser("slack-manifest", help="print the Slack app manifest")
    slack.add_argument("--socket-mode", action="store_true", help="no public URL: Socket Mode")
    slack.add_argument(
        "--public-url", help="https address Slack calls (default CONCORD_PUBLIC_URL)"
    )
    slack.add_argument("--format", choices=["json", "yaml"], default="json")
    package = commands.add_parser("teams-package", help="build the Teams app package (a zip)")
    package.add_argument(
        "--app-id", help="the Azure Bot's Microsoft App ID (default MICROSOFT_APP_ID)"
    )
    package.add_argument(
        "--public-url", help="https address the bot is served at (default CONCORD_PUBLIC_URL)"
    )
    package.add_argument("--output", default="concord-teams.zip", help="the zip to write")
    package.add_argument("--name", default=teams.DEFAULT_NAME, help="the app's name in Teams")
    package.add_argument("--app-version", help="x.y.z, higher for each update (default Concord's)")
    package.add_argument("--privacy-url", help="privacy notice (default the public URL)")
    package.add_argument("--terms-url", help="terms of use (default the public URL)")
    commands.add_parser("export", help="export a collaborative's decision log")
    for name, about in backup_cli.COMMANDS.items():
        commands.add_parser(name, help=about).add_argument("file")
    verify = commands.add_parser("verify-log", help="check the decision log was not altered")
    verify.add_argument("--collaborative", type=int, metavar="ID", help="only this one")
    verify.add_argument("--against", metavar="FILE", help="an exported copy (CSV) to compare")
    return parser


def _announce(settings: Settings) -> None:
    url = settings.listen_url
    playground = f"{url}/playground" if settings.playground_enabled else "off"
    print(f"Concord is serving on {url} — playground: {playground}", flush=True)
    log.info("serving", extra={"url": url, "playground": settings.playground_enabled})


def exposure_warning(settings: Settings) -> str | None:
    """A warning when the credential-free playground listens beyond this machine."""
    if not settings.playground_enabled or settings.listens_locally:
        return None
    return (
        f"WARNING: the playground is on while listening on {settings.concord_host}: anyone "
        "who can reach this address can act as any member. Set CONCORD_PLAYGROUND=false "
        "or CONCORD_HOST=127.0.0.1."
    )


def _shown_url(settings: Settings) -> str:
    return make_url(settings.database_url).render_as_string(hide_password=True)


def _first_line(error: SQLAlchemyError) -> str:
    cause = getattr(error, "orig", None) or error
    return str(cause).strip().splitlines()[0]


def _print(text: str) -> int:
    """Write `text` as UTF-8 whatever the terminal's encoding, so a redirect gives the file."""
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return 0


def _fail(message: str) -> int:
    print(f"concord: {message}", file=sys.stderr, flush=True)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
