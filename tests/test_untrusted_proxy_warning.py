"""Behind a proxy that the settings do not trust, the operator is warned: in the log at the
first such request, and by a system check afterwards."""

import logging

import pytest
from django.core.checks import run_checks
from django.test import Client

from comments.models import Comment
from tests.factories import make_article
from tests.factories_comments import form_data, post_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_middleware(settings):
    # A new middleware chain: the one-time warning is per process (per handler).
    settings.MIDDLEWARE = [*settings.MIDDLEWARE]


def warnings_now():
    return [message for message in run_checks() if message.id == "newsroom.W001"]


def test_a_forwarded_request_with_no_trusted_proxy_is_logged_once_and_raises_a_check(
    fresh_middleware, caplog, settings
):
    settings.COMMENTS_TRUSTED_PROXIES = 0
    assert warnings_now() == []
    client = Client()

    with caplog.at_level(logging.WARNING, logger="newsroom.proxies"):
        client.get("/robots.txt", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
        client.get("/robots.txt", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.8")

    logged = [r for r in caplog.records if r.name == "newsroom.proxies"]
    assert len(logged) == 1
    assert "COMMENTS_TRUSTED_PROXIES is 0" in logged[0].getMessage()
    [warning] = warnings_now()
    assert "10.0.0.2" in warning.msg
    assert "COMMENTS_TRUSTED_PROXIES" in warning.hint


def test_no_warning_once_the_proxy_is_trusted(fresh_middleware, caplog, settings):
    settings.COMMENTS_TRUSTED_PROXIES = 1

    with caplog.at_level(logging.WARNING, logger="newsroom.proxies"):
        Client().get("/robots.txt", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert not [r for r in caplog.records if r.name == "newsroom.proxies"]
    assert warnings_now() == []


def test_with_the_proxy_trusted_readers_behind_it_are_told_apart(settings):
    settings.COMMENTS_TRUSTED_PROXIES = 1
    settings.COMMENTS_RATE_LIMIT_PER_MINUTE = 1
    article = make_article()
    for n in range(3):
        response = Client().post(
            post_url(article),
            form_data(article, body=f"Comment {n}", email=f"r{n}@example.com"),
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}",
        )
        assert response.status_code == 303
    assert sorted(Comment.objects.values_list("ip_address", flat=True)) == [
        "198.51.100.1", "198.51.100.2", "198.51.100.3",
    ]  # fmt: skip
