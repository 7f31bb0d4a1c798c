"""`concord teams-package` speaks the language of the environment (LANG), as a shell does."""

from __future__ import annotations

import pytest

from bot.cli import main
from dialogs.core.language import from_environment

APP_ID = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def shell(monkeypatch, tmp_path):
    """main() in an empty folder, with no locale, Microsoft app id or public URL set."""
    monkeypatch.chdir(tmp_path)
    for name in ("MICROSOFT_APP_ID", "CONCORD_PUBLIC_URL", *LOCALE_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANG": "cy_GB.UTF-8"}, "cy"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LC_ALL": "cy_GB.UTF-8", "LANG": "en_GB.UTF-8"}, "cy"),
        ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "cy_GB.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_first_locale_variable_set_decides(environment, expected):
    assert from_environment(environment) == expected


def test_a_missing_app_id_is_told_in_welsh_under_a_welsh_locale(shell, capsys):
    shell.setenv("LANG", "cy_GB.UTF-8")

    assert main(["teams-package", "--public-url", "https://concord.example.nhs.uk"]) == 2
    assert capsys.readouterr().err == (
        "concord: mae teams-package angen --app-id GUID (neu MICROSOFT_APP_ID): "
        "Microsoft App ID yr Azure Bot\n"
    )


def test_a_plain_http_address_is_refused_in_welsh(shell, capsys):
    shell.setenv("LANG", "cy_GB.UTF-8")

    assert main(["teams-package", "--app-id", APP_ID, "--public-url", "http://10.0.0.5"]) == 2
    assert capsys.readouterr().err == (
        "concord: rhaid i --public-url fod yn gyfeiriad https:// ag enw gwesteiwr, "
        "nid http://10.0.0.5\n"
    )


def test_the_package_is_the_same_and_the_next_steps_are_welsh(shell, capsys, tmp_path):
    shell.setenv("LANG", "cy_GB.UTF-8")
    address = ["--app-id", APP_ID, "--public-url", "https://concord.example.nhs.uk"]

    assert main(["teams-package", *address, "--output", "cy.zip"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Wedi ysgrifennu pecyn ap Teams Concord i cy.zip\nNesaf: ")
    assert "https://concord.example.nhs.uk/api/messages" in said
    shell.setenv("LANG", "en_GB.UTF-8")
    assert main(["teams-package", *address, "--output", "en.zip"]) == 0
    assert capsys.readouterr().out.startswith("Wrote the Teams app package for Concord to en.zip")
    assert (tmp_path / "cy.zip").read_bytes() == (tmp_path / "en.zip").read_bytes()
