"""Through Varnish with the shipped VCL: a "not found" is kept only briefly, and publishing a
story at that address purges it, so the story shows at once (issue 19, finding 12)."""

import shutil

import pytest

from articles.models import Article
from tests.factories import make_article, make_section
from tests.servers import request
from tests.test_varnish import servers, varnish  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        shutil.which("varnishd") is None, reason="varnishd is not installed (make test installs it)"
    ),
]


def test_a_story_published_at_an_address_varnish_answered_not_found_shows_at_once(
    varnish,  # noqa: F811 (the fixture imported above)
    editor,
):
    story = make_article(
        section=make_section("World", slug="world"),
        slug="talks-resume",
        headline="Talks resume in Cairo",
        status=Article.Status.DRAFT,
    )
    address = "/world/talks-resume/"
    status, first, _ = request(varnish, "GET", address)
    assert status == 404 and first["X-Cache"] == "MISS"
    status, second, _ = request(varnish, "GET", address)
    assert status == 404 and second["X-Cache"] == "HIT"  # readers asking again cost nothing
    assert int(second["Age"]) <= 30

    story.publish(by=editor)  # committed: the purge goes out at once

    status, _, html = request(varnish, "GET", address)
    assert status == 200
    assert "Talks resume in Cairo" in html
