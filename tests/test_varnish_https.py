"""Varnish between the TLS proxy and an app that sends plain-HTTP readers to HTTPS
(DJANGO_HTTPS=1), with the shipped VCL: the redirect is never served to readers already on
HTTPS (issue 19, 4), and only the TLS proxy says which scheme a reader used."""

import shutil

import pytest

from tests.factories import make_article, make_section
from tests.servers import gunicorn, manage, production_env
from tests.varnish_servers import DIRECT_CLIENT, TLS_PROXY, Cache, request_from, varnishd

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        shutil.which("varnishd") is None, reason="varnishd is not installed (make test installs it)"
    ),
]


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory):
    """gunicorn with production's HTTPS settings behind varnishd, whose trusted proxy is TLS_PROXY.
    Yields the Cache (ports, purge secret)."""
    from django.db import connection

    root = tmp_path_factory.mktemp("varnish-https-site")
    database_url = f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}"
    cache = Cache()
    env = production_env(root, database_url, **cache.app_env(), DJANGO_HTTPS="1")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    with gunicorn(env, root) as app, varnishd(app, cache, trusted_proxy=TLS_PROXY):
        yield cache
    with django_db_blocker.unblock():
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


@pytest.fixture
def varnish(servers):
    """Varnish's port for readers, with nothing cached."""
    headers = {"xkey-purge": "site", "Purge-Secret": servers.secret}
    assert request_from(DIRECT_CLIENT, servers.purge_port, "PURGE", "/", headers=headers)[0] == 200
    make_article(section=make_section("World", slug="world"))
    return servers.port


def through_the_proxy(port, path, scheme):
    """A reader's request as the TLS proxy passes it on."""
    headers = {"X-Forwarded-Proto": scheme, "X-Forwarded-For": "198.51.100.7"}
    return request_from(TLS_PROXY, port, "GET", path, headers=headers)


def test_the_redirect_to_https_is_never_served_to_readers_on_https(varnish):
    status, headers, _ = through_the_proxy(varnish, "/world/", "http")
    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1:{varnish}/world/"

    status, headers, _ = through_the_proxy(varnish, "/world/", "https")
    assert status == 200

    status, headers, _ = through_the_proxy(varnish, "/world/", "https")
    assert (status, headers["X-Cache"]) == (200, "HIT")


def test_the_redirect_to_https_is_kept_by_no_cache(varnish):
    for _ in range(2):
        status, headers, _ = through_the_proxy(varnish, "/world/", "http")
        assert (status, headers["X-Cache"]) == (301, "MISS")
        assert {"private", "no-store"} <= {
            word.strip() for word in headers["Cache-Control"].split(",")
        }


def test_a_client_reaching_varnish_directly_is_not_taken_to_be_on_https(varnish):
    status, headers, _ = request_from(
        DIRECT_CLIENT, varnish, "GET", "/world/", headers={"X-Forwarded-Proto": "https"}
    )
    assert status == 301
    assert headers["Location"].startswith("https://")
