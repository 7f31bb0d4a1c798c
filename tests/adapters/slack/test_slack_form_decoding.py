"""A vote click's form body decodes exactly as the standard library decodes it, only faster."""

from __future__ import annotations

import json
from urllib.parse import quote_plus, unquote_plus, urlencode

from hypothesis import given
from hypothesis import strategies as st

from adapters.slack.form_decoding import form_unquote
from tests.stand_ins import slack_payloads as sp

# Form-encoded text as it arrives, and as it should never arrive (bare backslashes, stray
# and half escapes, escapes of bytes that are not UTF-8).
ENCODED = st.text(alphabet="AZaz09_.~-+%\\/&=é", max_size=60)


def test_a_real_click_payload_with_names_in_any_script_decodes_to_its_json() -> None:
    payload = sp.button_click("vote:7:3", user={"id": "U1", "name": 'Siân 😀 \\ "Ōta"'})
    body = urlencode({"payload": json.dumps(payload, ensure_ascii=False)})
    assert json.loads(form_unquote(body.removeprefix("payload="))) == payload


@given(st.text())
def test_any_text_form_encoded_comes_back_unchanged(text: str) -> None:
    assert form_unquote(quote_plus(text)) == text


@given(ENCODED)
def test_malformed_or_unusual_input_decodes_as_the_standard_library_does(value: str) -> None:
    assert form_unquote(value) == unquote_plus(value)


def test_escapes_that_are_not_utf_8_are_replaced_as_the_standard_library_does() -> None:
    for value in ("%ff%fe", "%C3", "a%zzb", "%4", "100%", "%5Cx41", "\\x41"):
        assert form_unquote(value) == unquote_plus(value)
