"""`concord teams-package`: the zip a Teams admin uploads as a custom app.

The manifest is checked against the rules of the Teams app manifest schema v1.19
(lengths, required fields, GUIDs, https URLs, command limits), the icons are
decoded here (zlib) to check their sizes and the outline icon's white-on-
transparent pixels, and the whole zip must come out byte for byte the same each
time. When Microsoft's own schema (npm `@microsoft/app-manifest`, which ships the
schema files) is installed under .cache/teams-manifest, the manifest is validated
against it too; nothing is downloaded at test time.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from adapters.teams import package as teams
from adapters.teams.package import (
    MANIFEST_VERSION,
    MENU,
    PackageError,
    commands,
    compose_command,
    messaging_endpoint,
    package,
)
from bot.cli import main
from dialogs.commands.grammar import SYNTAX
from dialogs.core.language import speaking
from tests.support.installed_clients import require
from tests.support.paths import REPO
from tests.support.processes import concord_env


def manifest(app_id, public_url, **given):
    """The manifest as `concord teams-package` builds it: worded from Concord's grammar."""
    return teams.manifest(app_id, public_url, syntax=SYNTAX, **given)


def built(**given) -> bytes:
    """The zip as `concord teams-package` writes it, with its Welsh."""
    document = manifest(APP_ID, PUBLIC, **given)
    return package(document, teams.translations(document["name"]["short"], SYNTAX))


ROOT = REPO
APP_ID = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"
PUBLIC = "https://concord.example.nhs.uk"
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
SCHEMA_PACKAGE = ROOT / ".cache" / "teams-manifest" / "node_modules"
SCHEMAS = (
    SCHEMA_PACKAGE / "@microsoft/app-manifest/build/json-schemas/teams" / f"v{MANIFEST_VERSION}"
)
SCHEMA = SCHEMAS / "MicrosoftTeams.schema.json"
LOCALIZATION_SCHEMA = SCHEMAS / "MicrosoftTeams.Localization.schema.json"


def run_cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "teams-package", *args],
        cwd=cwd,
        env=concord_env(PYTHONPATH=str(ROOT), **env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def unpack(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


# PNG reading, independent of the writer -------------------------------------


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r}"
        chunks.append((kind, body))
        at += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1] == (b"IEND", b"")
    return chunks


def png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png_chunks(data)[0][1][:8])
    return width, height


def png_pixels(data: bytes) -> list[tuple[int, int, int, int]]:
    """Every pixel of an 8-bit RGBA, non-interlaced PNG, all five row filters undone."""
    chunks = png_chunks(data)
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, colour, interlace) == (8, 6, 0), "expected 8-bit RGBA, not interlaced"
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride, previous, pixels = width * 4, bytearray(width * 4), []
    for row in range(height):
        kind, line = raw[row * (stride + 1)], bytearray(raw[row * (stride + 1) + 1 :][:stride])
        for i in range(stride):
            left = line[i - 4] if i >= 4 else 0
            up, corner = previous[i], previous[i - 4] if i >= 4 else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                line[i] = (line[i] + paeth(left, up, corner)) & 0xFF
            else:
                assert kind == 0, f"unknown PNG filter {kind}"
        pixels += [tuple(line[i : i + 4]) for i in range(0, stride, 4)]
        previous = line
    return pixels


def paeth(left: int, up: int, corner: int) -> int:
    guess = left + up - corner
    to_left, to_up, to_corner = abs(guess - left), abs(guess - up), abs(guess - corner)
    if to_left <= to_up and to_left <= to_corner:
        return left
    return up if to_up <= to_corner else corner


# The manifest ---------------------------------------------------------------


def test_the_manifest_has_every_field_teams_requires_within_its_limits():
    app = manifest(APP_ID, PUBLIC)

    assert app["$schema"].endswith(f"/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json")
    assert app["manifestVersion"] == MANIFEST_VERSION
    assert tuple(int(n) for n in MANIFEST_VERSION.split(".")) >= (1, 17)
    assert re.fullmatch(r"\d+\.\d+\.\d+", app["version"])
    assert GUID.match(app["id"])
    developer = app["developer"]
    assert 0 < len(developer["name"]) <= 32
    for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert developer[key].startswith("https://") and len(developer[key]) <= 2048
    assert 0 < len(app["name"]["short"]) <= 30 and 0 < len(app["name"]["full"]) <= 100
    assert 0 < len(app["description"]["short"]) <= 80
    assert 0 < len(app["description"]["full"]) <= 4000
    assert app["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", app["accentColor"])
    assert set(app["permissions"]) <= {"identity", "messageTeamMembers"}
    assert app["validDomains"] == ["concord.example.nhs.uk"]


def test_the_bot_is_the_azure_bot_in_chats_and_channels_and_converses():
    (bot,) = manifest(APP_ID, f"{PUBLIC}/")["bots"]

    assert bot["botId"] == APP_ID == manifest(APP_ID, PUBLIC)["id"]
    assert bot["scopes"] == ["personal", "team", "groupChat"]
    assert bot["supportsFiles"] is False and bot["isNotificationOnly"] is False
    (menu,) = bot["commandLists"]
    assert menu["scopes"] == bot["scopes"]
    assert menu["commands"] == commands(SYNTAX)


def test_the_command_menu_is_concords_grammar_within_teams_limits():
    menu = commands(SYNTAX)
    grammar = {" ".join(syntax.words): syntax for syntax in SYNTAX}

    assert [each["title"] for each in menu] == [
        "help",
        "poll",
        "poll list",
        "purpose status",
        "checkin list",
        "decisions",
        "org join",
        "link",
        "me link",
        "setup",
    ]
    assert len(menu) == len(MENU) <= 10
    for each in menu:
        assert each["title"] in grammar  # a real command: choosing it types words that work
        assert 0 < len(each["title"]) <= 32 and 0 < len(each["description"]) <= 128
        assert each["description"].lower().find(grammar[each["title"]].summary.lower()) >= 0
    assert menu[1]["description"].startswith("Coordinators: start a poll")


def test_create_a_poll_is_an_action_in_the_compose_box_answered_by_the_bot():
    app = manifest(APP_ID, PUBLIC)

    (extension,) = app["composeExtensions"]
    assert extension["botId"] == APP_ID == app["bots"][0]["botId"]
    assert extension["commands"] == [
        {
            "id": "createPoll",
            "type": "action",
            "title": "Create a poll",
            "description": "Coordinators: start a poll here and in the collaborative's other "
            "channels",
            "context": ["compose"],
            "fetchTask": True,
        }
    ]
    command = extension["commands"][0]
    assert len(command["title"]) <= 32 and len(command["description"]) <= 128


def test_names_versions_and_extra_links_are_passed_through():
    app = manifest(
        APP_ID,
        PUBLIC,
        name="ICS Partnership",
        version="2.3.4",
        privacy_url="https://trust.example.nhs.uk/privacy",
        terms_url="https://trust.example.nhs.uk/terms",
    )

    assert app["name"]["short"] == app["developer"]["name"] == "ICS Partnership"
    assert app["version"] == "2.3.4"
    assert app["developer"]["privacyUrl"] == "https://trust.example.nhs.uk/privacy"
    assert app["developer"]["termsOfUseUrl"] == "https://trust.example.nhs.uk/terms"
    assert "@ICS Partnership" in app["description"]["full"]
    assert messaging_endpoint(f"{PUBLIC}/") == f"{PUBLIC}/api/messages"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"app_id": None}, "needs --app-id GUID (or MICROSOFT_APP_ID)"),
        ({"app_id": "concord-bot"}, "--app-id must be a GUID"),
        ({"public_url": None}, "needs --public-url https://… (or CONCORD_PUBLIC_URL)"),
        ({"public_url": "http://concord.example.nhs.uk"}, "--public-url must be an https://"),
        ({"public_url": "https://"}, "--public-url must be an https://"),
        ({"name": " "}, "--name must be 1 to 30 characters"),
        ({"name": "N" * 31}, "--name must be 1 to 30 characters"),
        ({"version": "1.0"}, "--app-version must be three numbers"),
        ({"privacy_url": "http://x.example"}, "--privacy-url must be an https://"),
    ],
)
def test_inputs_teams_would_reject_are_refused_with_what_to_pass(change, expected):
    given = {"app_id": APP_ID, "public_url": PUBLIC, **change}
    app_id, public_url = given.pop("app_id"), given.pop("public_url")

    with pytest.raises(PackageError, match=re.escape(expected)):
        manifest(app_id, public_url, **given)


CHECK = (
    "const fs = require('fs');"
    "const Ajv = require('ajv-draft-04'); const formats = require('ajv-formats');"
    # Not unicode regular expressions: a pattern of the localisation schema has a lone "]",
    # which only the plain kind accepts.
    "const ajv = new Ajv({allErrors: true, strict: false, unicodeRegExp: false}); formats(ajv);"
    "const validate = ajv.compile(JSON.parse(fs.readFileSync(process.argv[1], 'utf8')));"
    "const ok = validate(JSON.parse(fs.readFileSync(process.argv[2], 'utf8')));"
    "console.log(ok ? 'valid' : JSON.stringify(validate.errors)); process.exit(ok ? 0 : 1);"
)


def validate(schema: Path, path: Path) -> subprocess.CompletedProcess[str]:
    """Microsoft's schema `schema` judges the JSON at `path` (ajv, as the schema's package does)."""
    require(
        None if shutil.which("node") and schema.exists() else "Microsoft's schema is not installed",
        "`make test` installs it into .cache/teams-manifest/",
    )
    return subprocess.run(
        [str(shutil.which("node")), "-e", CHECK, str(schema), str(path)],
        env={**os.environ, "NODE_PATH": str(SCHEMA_PACKAGE)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_manifest_validates_against_microsofts_own_schema(tmp_path):
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    app = manifest(APP_ID, PUBLIC, name="N" * 30)
    assert app["composeExtensions"][0]["commands"][0]["type"] == "action"  # validated too
    assert app["localizationInfo"]["additionalLanguages"]  # …and the languages
    good.write_text(json.dumps(app))
    bad.write_text(json.dumps({**manifest(APP_ID, PUBLIC), "id": "concord-bot"}))
    wrong_context = tmp_path / "wrong_context.json"
    command = {**compose_command(), "context": ["everywhere"]}
    extension = {**app["composeExtensions"][0], "commands": [command]}
    wrong_context.write_text(json.dumps({**app, "composeExtensions": [extension]}))

    accepted, refused = validate(SCHEMA, good), validate(SCHEMA, bad)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert refused.returncode == 1 and "/id" in refused.stdout  # the check can fail
    refused = validate(SCHEMA, wrong_context)
    assert refused.returncode == 1 and "/composeExtensions/0/commands/0/context" in refused.stdout


# The app in Welsh -----------------------------------------------------------


def test_the_manifest_is_british_english_and_names_its_welsh():
    assert manifest(APP_ID, PUBLIC)["localizationInfo"] == {
        "defaultLanguageTag": "en-gb",
        "additionalLanguages": [{"languageTag": "cy", "file": "cy.json"}],
    }
    with speaking("cy"):  # whoever builds it, manifest.json's own words are English
        assert manifest(APP_ID, PUBLIC) == manifest(APP_ID, PUBLIC)
        assert manifest(APP_ID, PUBLIC)["composeExtensions"][0]["commands"][0]["title"] == (
            "Create a poll"
        )


def test_the_welsh_file_words_the_app_in_welsh_with_the_same_commands():
    welsh = json.loads(unpack(built())["cy.json"])
    app = manifest(APP_ID, PUBLIC)

    assert welsh["name.short"] == "Concord"
    assert welsh["name.full"] == "Concord: diben ar y cyd, penderfyniadau a gwiriadau"
    assert welsh["description.short"].startswith("Cytuno ar ddiben ar y cyd")
    assert welsh["description.full"].startswith("Mae Concord yn helpu partneriaeth")
    assert "Soniwch am @Concord" in welsh["description.full"]
    assert welsh["composeExtensions[0].commands[0].title"] == "Creu pôl"
    assert welsh["bots[0].commandLists[0].commands[1].description"].startswith("Cydlynwyr: ")
    assert (
        'Enghraifft: poll "Cwestiwn?" "Dewis" "Dewis"'
        in (welsh["bots[0].commandLists[0].commands[1].description"])
    )
    menu = app["bots"][0]["commandLists"][0]["commands"]
    for n, command in enumerate(menu):  # the words people type stay English
        assert welsh[f"bots[0].commandLists[0].commands[{n}].title"] == command["title"]
    for key, text in welsh.items():  # every key names a text of the manifest
        if key != "$schema":
            assert isinstance(_at(app, key), str) and text != "", key


def test_the_welsh_file_validates_against_microsofts_localization_schema(tmp_path):
    good, long_name = tmp_path / "cy.json", tmp_path / "long.json"
    welsh = teams.translations("N" * 30, SYNTAX)["cy.json"]
    good.write_text(json.dumps(welsh, ensure_ascii=False))
    long_name.write_text(json.dumps({**welsh, "name.short": "N" * 31}))

    accepted, refused = (
        validate(LOCALIZATION_SCHEMA, good),
        validate(LOCALIZATION_SCHEMA, long_name),
    )
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert refused.returncode == 1 and "name.short" in refused.stdout  # the check can fail


def _at(document: Any, key: str) -> Any:
    """The value a localisation key ("bots[0].commandLists[0].commands[2].title") names."""
    for part in key.split("."):
        name, *indexes = part.replace("]", "").split("[")
        document = document[name]
        for index in indexes:
            document = document[int(index)]
    return document


# The zip and its icons ------------------------------------------------------


def test_the_zip_holds_exactly_the_manifest_its_welsh_and_two_icons_at_its_root():
    files = unpack(built())

    assert sorted(files) == ["color.png", "cy.json", "manifest.json", "outline.png"]
    assert json.loads(files["manifest.json"].decode("utf-8")) == manifest(APP_ID, PUBLIC)
    assert not files["manifest.json"].startswith(b"\xef\xbb\xbf")  # no byte-order mark
    assert not files["cy.json"].startswith(b"\xef\xbb\xbf")


def test_the_icons_are_the_sizes_teams_requires():
    files = unpack(built())

    assert png_size(files["color.png"]) == (192, 192)
    assert png_size(files["outline.png"]) == (32, 32)
    for name, size in (("color.png", (192, 192)), ("outline.png", (32, 32))):
        with Image.open(io.BytesIO(files[name])) as image:  # a second, independent decoder
            image.load()
            assert (image.format, image.size, image.mode) == ("PNG", size, "RGBA")


def test_the_png_reader_here_agrees_with_pillow_on_every_row_filter():
    ours = unpack(built())["color.png"]
    with Image.open(io.BytesIO(ours)) as image:
        again = io.BytesIO()
        image.save(again, "PNG")  # Pillow picks per-row filters (Sub, Up, Paeth, …)

    assert png_pixels(again.getvalue()) == png_pixels(ours)


def test_the_outline_icon_is_white_on_transparent_with_a_visible_mark():
    pixels = png_pixels(unpack(built())["outline.png"])

    assert len(pixels) == 32 * 32
    assert all(pixel[:3] == (255, 255, 255) for pixel in pixels)
    alphas = [alpha for *_, alpha in pixels]
    assert sum(alpha == 0 for alpha in alphas) > len(pixels) / 2  # mostly transparent
    assert sum(alpha == 255 for alpha in alphas) > 40  # and a solid mark
    assert alphas[0] == alphas[31] == alphas[-1] == 0  # corners clear


def test_the_colour_icon_is_an_opaque_mark_on_the_accent_colour():
    app = manifest(APP_ID, PUBLIC)
    pixels = png_pixels(unpack(built())["color.png"])
    accent = tuple(int(app["accentColor"][i : i + 2], 16) for i in (1, 3, 5))

    assert len(pixels) == 192 * 192 and all(alpha == 255 for *_, alpha in pixels)
    assert pixels[0][:3] == accent  # the background
    assert pixels[192 * 96 + 96][:3] == accent  # the centre of the ring
    assert sum(pixel[:3] == (255, 255, 255) for pixel in pixels) > 2000  # the white mark


def test_two_builds_give_identical_bytes():
    assert built() == built()
    assert built() != built(name="Other")


# The command ----------------------------------------------------------------


def test_the_command_writes_the_zip_and_says_what_to_do_next(tmp_path):
    result = run_cli("--app-id", APP_ID, "--public-url", PUBLIC, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    written = tmp_path / "concord-teams.zip"
    assert written.read_bytes() == built()
    assert "concord-teams.zip" in result.stdout and "Teams admin center" in result.stdout
    assert f"{PUBLIC}/api/messages" in result.stdout and result.stderr == ""


@pytest.fixture
def in_tmp(monkeypatch, tmp_path):
    """main() run in an empty folder, with no Microsoft app id, public URL or locale set."""
    monkeypatch.chdir(tmp_path)
    for name in ("MICROSOFT_APP_ID", "CONCORD_PUBLIC_URL", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_the_command_takes_the_app_id_and_url_from_the_environment(in_tmp, monkeypatch):
    monkeypatch.setenv("MICROSOFT_APP_ID", APP_ID)
    monkeypatch.setenv("CONCORD_PUBLIC_URL", PUBLIC)
    out = in_tmp / "out" / "team.zip"
    out.parent.mkdir()

    assert main(["teams-package", "--output", str(out), "--name", "Partnership"]) == 0
    app = json.loads(unpack(out.read_bytes())["manifest.json"])
    assert (app["id"], app["name"]["short"]) == (APP_ID, "Partnership")
    assert app["validDomains"] == ["concord.example.nhs.uk"]


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (("--public-url", PUBLIC), {}, "needs --app-id GUID (or MICROSOFT_APP_ID)"),
        (("--app-id", "not-a-guid", "--public-url", PUBLIC), {}, "must be a GUID"),
        ((), {"MICROSOFT_APP_ID": APP_ID}, "needs --public-url https://…"),
        (("--public-url", "http://10.0.0.5:3978"), {"MICROSOFT_APP_ID": APP_ID}, "https://"),
        (
            ("--app-id", APP_ID, "--public-url", PUBLIC, "--output", "missing/dir/app.zip"),
            {},
            "cannot write missing/dir/app.zip",
        ),
    ],
)
def test_unusable_input_ends_with_one_line_and_exit_2(
    in_tmp, monkeypatch, capsys, args, env, expected
):
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    assert main(["teams-package", *args]) == 2
    shown = capsys.readouterr()
    assert shown.out == "" and shown.err.count("\n") == 1 and expected in shown.err
    assert shown.err.startswith("concord: ")
    assert list(in_tmp.iterdir()) == []  # nothing half-written
