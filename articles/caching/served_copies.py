"""Cache hits answered before Django handles the request at all.

A page cache hit (pages.reader_page) still costs a whole trip through Django: the request
object, the signals, the middleware stack (sessions, CSRF, authentication, messages, security
headers, CSP, gzip), URL resolving, the response object. For a plain anonymous read, whose answer
depends on nothing but the address and whether the reader accepts gzip, that work gives the same
bytes every time. So the WSGI application (newsroom/wsgi.py) is wrapped in `ServedCopies`: the
first time the stack answers from a fresh copy, the finished answer (status, headers, and the body
as sent: compressed once per copy, not once per hit) is kept beside it, and the next readers get
it straight away for as long as that copy itself is fresh, by the same rule (pages.is_fresh:
same versions, same age limit, same end), so it never outlives the copy it came from.

Only a copy the stack served is kept, so only an address the stack accepted (a known host) ever
has an answer. Answers are kept under the page's own address (addresses.py): behind a trusted
proxy, what it says of the original request (X-Forwarded-Proto, -Host, -Port: the scheme and host
of the page's absolute links) is part of it; no other header, and no query parameter the page
does not read, is. Anything else takes the whole stack: requests
carrying cookies (staff, sessions, CSRF), conditional requests (ETag / 304), ranges, HEAD and
POST, and stale copies served while Postgres is away.
"""

import contextlib
import functools
import time
from dataclasses import dataclass
from itertools import repeat
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import get_path_info, get_script_name, get_str_from_wsgi
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.middleware.gzip import re_accepts_gzip
from django.urls import Resolver404, resolve
from django.utils.datastructures import MultiValueDict

from .addresses import PARAMS_ATTRIBUTE, page_address
from .pages import COPY_SERVED, is_fresh
from .versions import read_with_versions, stores

_TAKES_THE_STACK = ("HTTP_COOKIE", "HTTP_IF_", "HTTP_RANGE")


class _Address(HttpRequest):
    """A request's address read as Django reads it (HttpRequest's own scheme and get_host, so the
    same settings decide which forwarded headers count), without building a whole WSGIRequest
    or changing the environ, which the stack reads next. Its query is read by answer_key."""

    def __init__(self, environ):  # not HttpRequest's: its empty dictionaries are never read here
        script_name = get_script_name(environ)
        self.path_info = get_path_info(environ) or "/"
        self.path = f"{script_name.rstrip('/')}/{self.path_info.replace('/', '', 1)}"
        self.META = environ

    def _get_scheme(self):
        return self.META.get("wsgi.url_scheme", "http")


@dataclass
class _Answer:
    versions: dict
    stored_at: float
    status: str
    headers: list  # as sent, without Age
    body: bytes
    until: float | None = None


def answer_key(environ) -> str | None:
    """The key of a plain read's answer, or None for a request that takes the whole stack.

    The page's address as the stack keeps its copy (addresses.py): scheme and host as Django
    reads them (forwarded ones only from a trusted proxy), the path, and only the query
    parameters the page reads, which the URL resolver finds on its view.
    """
    if environ.get("REQUEST_METHOD") != "GET" or (
        any(map(str.startswith, environ, repeat(_TAKES_THE_STACK)))
        and any(name.startswith(_TAKES_THE_STACK) and value for name, value in environ.items())
    ):
        return None
    inputs = tuple(map(environ.get, _location_inputs()))
    long_path = len(environ.get("PATH_INFO", "")) > _REMEMBERED_PATH_LENGTH
    where = (_location.__wrapped__ if long_path else _location)(*inputs)
    if where is None:
        return None  # not a reader page, an unknown host, not as a WSGI server sends it
    location, params, plain_key = where
    query = environ.get("QUERY_STRING")
    if not params or not query:
        return plain_key  # no parameter the page reads: the one copy of its address
    # Parsed as QueryDict parses (UTF-8, blank values kept), keeping only what the page reads.
    read = MultiValueDict()
    for name, value in parse_qsl(
        get_str_from_wsgi(environ, "QUERY_STRING", ""), keep_blank_values=True
    ):
        if name in params:
            read.appendlist(name, value)
    return _key(page_address(*location, read, params), environ) if read else plain_key


def _key(address: str, environ) -> str:
    # GZipMiddleware's own test: the answer differs only by whether gzip is accepted.
    gzip = "gzip" if re_accepts_gzip.search(environ.get("HTTP_ACCEPT_ENCODING", "")) else "identity"
    return f"articles:answer:{address}:{gzip}"


# What of the environ the scheme, host and path are read from (HttpRequest.scheme, get_host,
# Django's get_script_name and get_path_info); with the header a trusted proxy names the scheme in.
_LOCATION_INPUTS = (
    "wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT", "SCRIPT_NAME", "SCRIPT_URL", "REDIRECT_URL", "PATH_INFO",
    "HTTP_ACCEPT_ENCODING",
)  # fmt: skip


@functools.cache
def _location_inputs() -> tuple[str, ...]:
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    return _LOCATION_INPUTS + ((proxy_header[0],) if proxy_header else ())


@functools.lru_cache(maxsize=4096)
def _location(*inputs):
    """The scheme, host and path a request with these `inputs` (_location_inputs) is for, the
    parameters the page there reads, and its answer's key when none of them is given; None for
    a request no answer is kept for. The same few addresses are asked for all day: read once each."""
    environ = {
        name: value
        for name, value in zip(_location_inputs(), inputs, strict=True)
        if value is not None
    }
    try:
        request = _Address(environ)
    except UnicodeError:
        return None  # not as a WSGI server sends it: the stack answers
    params = _params_read_at(request.path_info)
    if params is None:
        return None  # not a reader page: never kept
    try:
        location = (request.scheme, request.get_host(), request.path)
    except SuspiciousOperation:
        return None  # an unknown host: the stack answers 400
    return location, params, _key(page_address(*location, MultiValueDict(), params), environ)


# Paths longer than this are resolved each time rather than remembered.
_REMEMBERED_PATH_LENGTH = 300


@functools.lru_cache(maxsize=4096)
def _remembered_params(path_info: str):
    try:
        return getattr(resolve(path_info).func, PARAMS_ATTRIBUTE, None)
    except Resolver404:
        return None


def _params_read_at(path_info: str) -> tuple[str, ...] | None:
    """The parameters the reader page at `path_info` reads, or None for any other path. The
    same few paths are asked for all day: resolving each time was most of a kept answer's cost."""
    if len(path_info) > _REMEMBERED_PATH_LENGTH:
        return _remembered_params.__wrapped__(path_info)
    return _remembered_params(path_info)


@receiver(setting_changed)
def _forget_params(setting, **kwargs):
    # Hosts, proxies and URLs are read from the settings once per address, not per request.
    if setting == "ROOT_URLCONF":
        _remembered_params.cache_clear()
    _location.cache_clear()
    _location_inputs.cache_clear()
    _recent.clear()  # answers kept with other settings (tests: another cache) are not read again


# The answers this process served last, by key: a hit then reads only the versions (a kept
# answer is served by the same rule wherever it is read from: is_fresh). Another process's newer
# answer replaces one only once it is no longer fresh, which this one then is not either.
_recent: dict = {}
_RECENT_ANSWERS = 256


def _remember(key, answer) -> None:
    if key not in _recent and len(_recent) >= _RECENT_ANSWERS:
        # Another thread of the worker may change them meanwhile: then there is room enough.
        with contextlib.suppress(KeyError, RuntimeError, StopIteration):
            del _recent[next(iter(_recent))]  # the first remembered
    _recent[key] = answer


class ServedCopies:
    """WSGI middleware: answers plain reads from kept answers, and keeps new ones."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
        key = answer_key(environ) if seconds > 0 else None
        if key is None:
            return self.application(environ, start_response)
        answer = _recent.get(key)
        if answer is None or not is_fresh(answer, seconds):
            answer, versions = read_with_versions(key)
            if answer is None or not is_fresh(answer, seconds, versions):
                _recent.pop(key, None)
                return self._answer_and_keep(key, environ, start_response, seconds)
            _remember(key, answer)
        age = str(int(time.time() - answer.stored_at))
        start_response(answer.status, [*answer.headers, ("Age", age)])
        return [answer.body]

    def _answer_and_keep(self, key, environ, start_response, seconds):
        result, sent = read_answer(
            self.application, environ, start_response, lambda: environ.get(COPY_SERVED)
        )
        if sent is not None:
            copy = environ[COPY_SERVED]
            status, headers, body = sent
            headers = [(name, value) for name, value in headers if name.lower() != "age"]
            answer = _Answer(copy.versions, copy.stored_at, status, headers, body, copy.until)
            stores()[0].set(key, answer, seconds)
            _remember(key, answer)
        return result


def read_answer(application, environ, start_response, made_from_copy):
    """The stack's answer to `environ`, and, when it is one that can be kept in front of the
    stack (a whole 200 without a cookie, made from a copy: `made_from_copy()` after the stack
    ran), its status, headers and body, read once (the answer is then that body)."""
    sent = []

    def remember(status, headers, exc_info=None):
        sent[:] = [status, headers]
        return start_response(status, headers, exc_info)

    result = application(environ, remember)
    if (
        not made_from_copy()
        or not sent
        or not sent[0].startswith("200 ")
        or getattr(result, "streaming", True)
        or any(name.lower() == "set-cookie" for name, _ in sent[1])
    ):
        return result, None
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()  # Django's request_finished
    return [body], (sent[0], sent[1], body)
