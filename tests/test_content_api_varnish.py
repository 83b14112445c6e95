"""The content API behind the shipped Varnish (deploy/varnish/default.vcl): answers are cached per
key (`Vary: Authorization`), never served to a request without that key, purged exactly when what
they show changes, and dropped when their key is revoked."""

import pytest

from articles.models import ApiKey
from tests import test_varnish
from tests.factories import make_article, make_author, make_photo, make_section
from tests.test_varnish import get

# The same marks (committed data, skipped without varnishd) and fixtures: gunicorn behind
# varnishd running the shipped VCL, and Varnish's port with nothing cached.
pytestmark = test_varnish.pytestmark
servers = test_varnish.servers
varnish = test_varnish.varnish


def keyed(port, path, key):
    return get(port, path, Authorization=f"Api-Key {key}")


@pytest.fixture
def story():
    return make_article(
        section=make_section("World", slug="world"),
        headline="Talks resume in Cairo",
        authors=[make_author("Dana Levi", slug="dana-levi")],
        tags=["Energy"],
    )


def test_an_answer_is_cached_for_its_key_and_never_served_without_one(varnish, story):
    _, key = ApiKey.objects.create_key("App")
    _, other = ApiKey.objects.create_key("Partner")
    path = f"/api/v1/stories/{story.pk}/"
    assert keyed(varnish, path, key)[1]["X-Cache"] == "MISS"
    status, headers, body = keyed(varnish, path, key)
    assert status == 200 and headers["X-Cache"] == "HIT" and "Talks resume" in body
    assert "xkey" not in headers

    for headers in [{}, {"Authorization": "Api-Key forged.secret"}]:
        status, _, body = get(varnish, path, **headers)
        assert status == 401 and "Talks resume" not in body
    # Another key gets its own copy, made by the app (which checked that key).
    assert keyed(varnish, path, other)[1]["X-Cache"] == "MISS"


def test_a_story_change_purges_exactly_the_answers_showing_it(varnish, story):
    _, key = ApiKey.objects.create_key("App")
    bystander = make_article(headline="An unrelated story", section=make_section(slug="sport"))
    showing = [f"/api/v1/stories/{story.pk}/", "/api/v1/stories/", "/api/v1/stories/?section=world"]
    unrelated = f"/api/v1/stories/{bystander.pk}/"
    for path in [*showing, unrelated]:
        keyed(varnish, path, key)
        assert keyed(varnish, path, key)[1]["X-Cache"] == "HIT", path

    story.headline = "Talks collapse in Cairo"
    story.save()  # committed at once: the purge goes out

    for path in showing:
        _, headers, body = keyed(varnish, path, key)
        assert "Talks collapse in Cairo" in body, path
        assert headers["X-Cache"] == "MISS", path
    assert keyed(varnish, unrelated, key)[1]["X-Cache"] == "HIT"


def test_revoking_a_key_drops_its_cached_answers(varnish, story):
    api_key, key = ApiKey.objects.create_key("App")
    path = "/api/v1/stories/"
    keyed(varnish, path, key)
    assert keyed(varnish, path, key)[1]["X-Cache"] == "HIT"

    api_key.revoke()

    status, _, body = keyed(varnish, path, key)
    assert status == 401 and "Talks resume" not in body


def test_a_corrected_credit_purges_the_photo_answers_showing_it(varnish, story):
    _, key = ApiKey.objects.create_key("App")
    photo, bystander = make_photo(photographer="Dana Levi"), make_photo()
    story.lead_photo = photo
    story.save()
    make_article(lead_photo=bystander)
    showing = [f"/api/v1/photos/{photo.pk}/", "/api/v1/photos/"]
    unrelated = f"/api/v1/photos/{bystander.pk}/"
    for path in [*showing, unrelated]:
        keyed(varnish, path, key)
        assert keyed(varnish, path, key)[1]["X-Cache"] == "HIT", path

    photo.photographer = "Dana Levy"
    photo.save()  # committed at once: the purge goes out

    for path in showing:
        _, headers, body = keyed(varnish, path, key)
        assert "Dana Levy" in body and headers["X-Cache"] == "MISS", path
    assert keyed(varnish, unrelated, key)[1]["X-Cache"] == "HIT"
