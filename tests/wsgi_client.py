"""Requests through the WSGI application gunicorn serves (newsroom.wsgi.application), answers
kept by articles.caching.served_copies included, which Django's test client never reaches."""

from contextlib import contextmanager
from dataclasses import dataclass

from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from newsroom.wsgi import application


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes
    handled_by_django: bool


@contextmanager
def _test_transaction_kept():
    # As Django's test client does: closing "old" connections would end the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def wsgi_get(url: str, **headers: str) -> Answer:
    environ = RequestFactory().get(url, headers=headers).environ
    # As a WSGI server sends it (PEP 3333): the path's bytes read as ISO-8859-1, not the text
    # the request object decoded into the same dictionary.
    environ["PATH_INFO"] = environ["PATH_INFO"].encode().decode("iso-8859-1")
    sent, started = [], []

    def start_response(status, response_headers, exc_info=None):
        sent[:] = [status, response_headers]

    def handled(**kwargs):
        started.append(True)

    request_started.connect(handled)
    with _test_transaction_kept():
        try:
            result = application(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        finally:
            request_started.disconnect(handled)
    status, response_headers = sent
    return Answer(int(status.split()[0]), dict(response_headers), body, bool(started))
