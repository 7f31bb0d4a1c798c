"""A local Bot Framework token service for tests: an OpenID configuration and its signing keys
on 127.0.0.1, and the tokens the Bot Connector would send, signed with a key of our own.

`running_token_service()` serves, from its own thread and event loop:
- `GET /v1/.well-known/openidconfiguration` — the issuer and `jwks_uri`, as
  login.botframework.com has them;
- `GET /v1/.well-known/keys` — one RSA key (`KEY_ID`), endorsed for `msteams`.
`TokenService.token(...)` makes a Bearer token as Teams' channel sends it (`iss`
`https://api.botframework.com`, `aud` the bot's app id, `serviceurl`); each keyword changes
one thing, so a test can make a token that is wrong in exactly one way. A transport under
test is pointed at `metadata_url` (or `keys_url`) instead of Microsoft's.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.stand_ins.slack_api import serving_in_thread

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
KEY_ID = "concord-test-signing-key"
LIFETIME_SECONDS = 3600


class TokenService:
    def __init__(self) -> None:
        self.url = ""
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.key_fetches = 0  # how often a transport asked for the keys

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/v1/.well-known/openidconfiguration"

    @property
    def keys_url(self) -> str:
        return f"{self.url}/v1/.well-known/keys"

    def token(
        self,
        app_id: str,
        service_url: str,
        *,
        issuer: str = BOT_FRAMEWORK_ISSUER,
        audience: str | None = None,
        expires_in: float = LIFETIME_SECONDS,
        signed_by: rsa.RSAPrivateKey | None = None,
    ) -> str:
        """A channel token for the bot `app_id`; `expires_in` < 0 is one that has expired,
        `signed_by` another key is one this service never published."""
        now = int(time.time())  # the transports check `exp` against the wall clock
        claims: dict[str, Any] = {
            "iss": issuer,
            "aud": app_id if audience is None else audience,
            "serviceurl": service_url,
            "nbf": now - 60,
            "iat": now - 60,
            "exp": int(now + expires_in),
        }
        key = signed_by or self._key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KEY_ID})

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._configuration)
        app.router.add_get("/v1/.well-known/keys", self._keys)
        return app

    async def _configuration(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "issuer": BOT_FRAMEWORK_ISSUER,
                "jwks_uri": self.keys_url,
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def _keys(self, request: web.Request) -> web.Response:
        self.key_fetches += 1
        public = json.loads(RSAAlgorithm.to_jwk(self._key.public_key()))
        key = {**public, "kid": KEY_ID, "use": "sig", "alg": "RS256", "endorsements": ["msteams"]}
        return web.json_response({"keys": [key]})


def another_key() -> rsa.RSAPrivateKey:
    """A key nobody published: what a forger would sign with."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@contextmanager
def running_token_service() -> Iterator[TokenService]:
    service = TokenService()
    with serving_in_thread(service.app(), "teams-token-service") as (port, _loop):
        service.url = f"http://127.0.0.1:{port}"
        yield service
