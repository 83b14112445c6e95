"""What the app tells a shared cache in front, and only it (issue 19): purge addresses without the
purge secret are a check."""

import pytest
from django.core.checks import run_checks

pytestmark = pytest.mark.django_db


def test_purge_addresses_without_the_purge_secret_raise_a_check(settings):
    settings.NEWSROOM_PURGE_URLS = ["http://127.0.0.1:6083/"]
    settings.NEWSROOM_PURGE_SECRET = ""
    assert "newsroom.W002" in [message.id for message in run_checks()]

    settings.NEWSROOM_PURGE_SECRET = "a-long-random-secret"
    assert "newsroom.W002" not in [message.id for message in run_checks()]
