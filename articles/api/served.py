"""Kept API answers served before Django handles the request, as reader pages' are
(caching/served_copies.py): a kept answer then costs what a kept page costs.

The app's copy of an answer (api/copies.py) is served only at the end of a whole trip through
Django: the middleware stack, DRF's request, authentication, throttle and content negotiation.
For a plain read with a valid key, whose answer depends on nothing but the address, the Accept
header, the key's consumer class and whether gzip is accepted, that trip gives the same bytes
every time. So the WSGI application (newsroom/wsgi.py) is wrapped in `ServedAnswers`: the first
time the stack answers 200 from a copy, the finished answer is kept beside it, and the next
requests get it straight away while that copy is fresh (same versions, same age limit).

A request is answered here only with a key found in its kept entry (ApiKey.objects.authenticate:
no query), active, whose secret matches, and within its rate (counted here, once: the stack is
told so when it answers instead). Anything else takes the whole stack, which refuses, counts and
answers as ever: no key, a wrong, revoked or unknown one, conditions other than If-None-Match
(which is answered here, 304 when it names the answer's ETag), ranges, cookies, HEAD. Answers are told apart by the consumer class of the key they were made
for, and name the asking key (`api-key-<id>`) as the stack's do, so revoking it purges them in
front.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.middleware.gzip import re_accepts_gzip
from django.utils.http import parse_etags

from articles import caching
from articles.caching.served_copies import read_answer
from articles.models import ApiKey

from .keys import KEYWORD, RATE_COUNTED, count_request, over_rate

# Where the stack says which copy it answered from (for the answer to be kept beside it), and
# where this layer says it has counted the request toward its key's rate already.
ANSWER_SERVED = "newsroom.api_copy"
PREFIX = "/api/v1/"
KEY_NAME_PREFIX = "api-key-"
# If-None-Match is answered here (it outweighs If-Modified-Since, as in Django); any other
# condition, ranges and cookies take the stack.
_TAKES_THE_STACK = (
    "HTTP_COOKIE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE", "HTTP_IF_RANGE", "HTTP_RANGE",
)  # fmt: skip
# What a 304 does not carry: it has no body.
_BODY_HEADERS = {"content-type", "content-length", "content-encoding"}
# Everything of the request the answer is made from: the address as Django reads it (with the
# forwarded headers a trusted proxy may send) and the format asked for.
_ADDRESS = (
    "wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT", "SCRIPT_NAME", "PATH_INFO",
    "QUERY_STRING", "HTTP_ACCEPT",
)  # fmt: skip
# An answer varying on anything else is never kept here.
_VARIES_ON = {"authorization", "accept", "accept-encoding"}


@dataclass
class _Answer:
    versions: dict
    stored_at: float
    status: str
    headers: list  # as sent, without Age and xkey
    shows: str  # the xkey header, without the key it was made for
    body: bytes


def kept_key(environ) -> ApiKey | None:
    """The active key the request carries, from its kept entry only (no query), or None."""
    keyword, _, presented = environ.get("HTTP_AUTHORIZATION", "").strip().partition(" ")
    if keyword.lower() != KEYWORD.lower() or not presented.strip():
        return None
    return ApiKey.objects.authenticate(presented.strip(), kept_only=True)


def answer_key(environ, key: ApiKey) -> str:
    gzip = "gzip" if re_accepts_gzip.search(environ.get("HTTP_ACCEPT_ENCODING", "")) else "identity"
    address = "\n".join([key.consumer_class, gzip, *(str(environ.get(n, "")) for n in _ADDRESS)])
    return f"articles:api-answer:{hashlib.sha256(address.encode()).hexdigest()[:32]}"


def _is_plain_read(environ) -> bool:
    return (
        environ.get("REQUEST_METHOD") == "GET"
        and environ.get("PATH_INFO", "").startswith(PREFIX)
        and not any(name.startswith(_TAKES_THE_STACK) and value for name, value in environ.items())
        and (environ.get("HTTP_IF_NONE_MATCH") or not environ.get("HTTP_IF_MODIFIED_SINCE"))
    )


def _not_modified(environ, headers) -> bool:
    """Whether the request's If-None-Match names the answer's ETag (weakly, as Django does)."""
    asked = environ.get("HTTP_IF_NONE_MATCH")
    if not asked:
        return False
    etags = parse_etags(asked)
    etag = next((v for n, v in headers if n.lower() == "etag"), None)
    return "*" in etags or (
        etag is not None and etag.removeprefix("W/") in (e.removeprefix("W/") for e in etags)
    )


class ServedAnswers:
    """WSGI middleware: answers plain API reads with a valid key from kept answers."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
        if seconds <= 0 or not _is_plain_read(environ):
            return self.application(environ, start_response)
        key = kept_key(environ)
        if key is None:
            return self.application(environ, start_response)
        name = answer_key(environ, key)
        answer = cache.get(name)
        if answer is None or not caching.is_fresh(answer, seconds):
            return self._answer_and_keep(name, environ, start_response)
        counted = count_request(key)
        if over_rate(counted):
            environ[RATE_COUNTED] = counted  # the stack answers 429 without counting again
            return self.application(environ, start_response)
        shows = f"{answer.shows} {KEY_NAME_PREFIX}{key.pk}".strip()
        age = str(int(time.time() - answer.stored_at))
        if _not_modified(environ, answer.headers):
            headers = [(n, v) for n, v in answer.headers if n.lower() not in _BODY_HEADERS]
            start_response("304 Not Modified", [*headers, ("xkey", shows), ("Age", age)])
            return [b""]
        start_response(answer.status, [*answer.headers, ("xkey", shows), ("Age", age)])
        return [answer.body]

    def _answer_and_keep(self, name, environ, start_response):
        result, sent = read_answer(
            self.application, environ, start_response, lambda: environ.get(ANSWER_SERVED)
        )
        if sent is None or not _varies_only_on_what_is_keyed(sent[1]):
            return result
        status, sent_headers, body = sent
        copy = environ[ANSWER_SERVED]
        headers = [(n, v) for n, v in sent_headers if n.lower() not in ("age", "xkey")]
        shows = " ".join(
            word
            for n, v in sent_headers
            if n.lower() == "xkey"
            for word in v.split()
            if not word.startswith(KEY_NAME_PREFIX)
        )
        kept = _Answer(copy.versions, copy.stored_at, status, headers, shows, body)
        cache.set(name, kept, settings.NEWSROOM_PAGE_CACHE_SECONDS)
        return result


def _varies_only_on_what_is_keyed(headers) -> bool:
    varies = {
        word.strip().lower() for n, v in headers if n.lower() == "vary" for word in v.split(",")
    }
    return varies <= _VARIES_ON
