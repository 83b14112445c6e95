"""Newsroom run as in production (gunicorn, DEBUG off, collected static files) against real
services, for the tests of running on several machines. Import the fixtures you need."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.servers import manage, production_env

REFERENCE_PATH = "/world/blinken-heads-to-israel-as-ceasefire-talks-gain-momentum/"


def server_env(static_root: Path, root: Path, **overrides: str) -> dict[str, str]:
    """production_env for these tests: static files collected once, readers' forms sent back
    at once (COMMENTS_MIN_FILL_SECONDS=0)."""
    return production_env(root, static_root=static_root, COMMENTS_MIN_FILL_SECONDS="0", **overrides)


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> Path:
    """Static files collected once for every production-like server of the session."""
    root = tmp_path_factory.mktemp("static")
    manage(production_env(root, static_root=root), "collectstatic", "--noinput", "-v", "0")
    return root


class Reader:
    """A browser without JavaScript: keeps cookies, fills in forms as a reader would."""

    def __init__(self, host: str | None = None):
        self.host = host  # the Host header, as a proxy in front of several servers sends it
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(self, url: str, data: dict | None = None, referer: str | None = None):
        """(status, headers, body) of one request; redirects are not followed."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body)
        if self.host:
            request.add_header("Host", self.host)
        if referer:
            parts = urllib.parse.urlsplit(referer)
            request.add_header("Referer", referer)
            request.add_header("Origin", f"{parts.scheme}://{parts.netloc}")
        try:
            with self.opener.open(request, timeout=15) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def get(self, url: str):
        return self.request(url)

    def submit(self, page_url: str, form_action: str, **fields: str):
        """Load the page, take the hidden fields of the form posting to `form_action`, send it."""
        status, _, html = self.get(page_url)
        assert status == 200, f"{page_url} answered {status}"
        hidden = hidden_fields(html, form_action)
        base = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(page_url))
        return self.request(base + form_action, {**hidden, **fields}, referer=page_url)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _FormParser(HTMLParser):
    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.fields = action, False, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
        elif tag == "input" and self.inside and attrs.get("type") == "hidden":
            self.fields[attrs.get("name")] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def hidden_fields(html: str, action: str) -> dict[str, str]:
    parser = _FormParser(action)
    parser.feed(html)
    assert parser.fields or re.search(f'action="{re.escape(action)}"', html), (
        f"no form posting to {action}"
    )
    return parser.fields


def comment_action(html: str) -> str:
    match = re.search(r'action="(/comments/post/\d+/)"', html)
    assert match, "the page has no comment form"
    return match.group(1)


def post_comment(reader: Reader, base_url: str, path: str = REFERENCE_PATH, body="Well put."):
    _, _, html = reader.get(base_url + path)
    return reader.submit(
        base_url + path, comment_action(html), name="Dana", email="dana@example.com", body=body
    )
