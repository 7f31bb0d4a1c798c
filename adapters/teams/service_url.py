"""Which `serviceUrl`s Concord will call: the check every Bot Connector address passes first.

An activity's `serviceUrl` (and the conversation reference stored from it) is where
Concord sends its replies, posts and updates, so an unchecked one would let whoever
sends an activity make Concord call any host. `problem` refuses anything whose host
is in doubt: a user name or password (`@`), a backslash, whitespace or control
characters, a scheme other than http(s), a query or fragment, and any URL that the
parsers on the way read differently. `urllib.parse` is what a check would naturally
use; `urllib3` is what the connector's HTTP client (msrest → requests → urllib3)
connects with; `yarl` is aiohttp's. `http://other:81\\@127.0.0.1:82/` is the
classic case: `urllib.parse` sees 127.0.0.1, `urllib3` connects to `other`.

Without Microsoft credentials (`local`, CONCORD_TEAMS_LOCAL) the host must be this
machine; with them the URL must be https, as every Teams `serviceUrl` is.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url
from yarl import URL

Address = tuple[str, int | None]
LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
HOST_NAME = re.compile(rf"{LABEL}(?:\.{LABEL})*\.?")
REMEMBERED_LENGTH = 200


def problem(url: str, *, local: bool) -> str | None:
    """Why Concord won't call `url`, in words for a log line or a 400; None when it will."""
    # Every activity is checked, and a conversation's activities all name the same few
    # URLs: the answer for each (pure, from the URL alone) is kept, for short ones only.
    if len(url) <= REMEMBERED_LENGTH:
        return _remembered(url, local)
    return _problem(url, local)


def _problem(url: str, local: bool) -> str | None:
    if bad := _bad_characters(url):
        return bad
    try:
        parts = urlsplit(url)
        readings = {_by_urllib(url), _by_urllib3(url), _by_yarl(url)}
    except (ValueError, LocationParseError):
        return "it cannot be read as a URL"  # i18n: not for readers
    if parts.scheme not in ("http", "https"):
        return "it is not an http or https URL"  # i18n: not for readers
    if parts.query or parts.fragment:
        return "it has a query or fragment"  # i18n: not for readers
    if len(readings) > 1:
        return "URL parsers disagree on its host or port"  # i18n: not for readers
    ((host, _port),) = readings
    if not _is_host(host):
        return "its host is not a host name or IP address"  # i18n: not for readers
    if local and not is_loopback(host):
        return f"CONCORD_TEAMS_LOCAL only calls this machine, not {host}"  # i18n: not for readers
    if not local and parts.scheme != "https":
        return "with Microsoft credentials it must be https"  # i18n: not for readers
    return None


_remembered = functools.lru_cache(maxsize=256)(_problem)


def is_loopback(host: str | None) -> bool:
    """`127.0.0.1`, `::1`, `localhost` and the like; False for anything else or nothing."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bad_characters(url: str) -> str | None:
    if not url.isascii():
        return "it has characters beyond ASCII"  # i18n: not for readers
    if any(c.isspace() or unicodedata.category(c) == "Cc" for c in url):  # i18n: not for readers
        return "it has whitespace or control characters"  # i18n: not for readers
    if "\\" in url:
        return "it has a backslash"  # i18n: not for readers
    if "@" in url:
        return "it has a user name or password (@)"  # i18n: not for readers
    return None


def _is_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return HOST_NAME.fullmatch(host) is not None
    return True


def _by_urllib(url: str) -> Address:
    parts = urlsplit(url)
    return _normal(parts.hostname), parts.port


def _by_urllib3(url: str) -> Address:
    parts = parse_url(url)
    return _normal(parts.host), parts.port


def _by_yarl(url: str) -> Address:
    parts = URL(url)
    return _normal(parts.host), parts.explicit_port


def _normal(host: str | None) -> str:
    """The host as a comparable string: lower case, an IP address in its shortest form."""
    host = (host or "").strip("[]").lower()
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host
