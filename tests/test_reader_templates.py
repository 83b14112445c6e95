"""Reader pages are Jinja2 templates (newsroom/reader_templates.py) that write what Django's
templates wrote: Django's escaping, in text and attributes and inside translated sentences, and a
part rendered on its own put into its page as HTML, not escaped twice."""

import pytest
from django.test import Client

from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

AWKWARD = """Minister's "plan" <b>& more</b>"""
# Django's escape(): the apostrophe as &#x27; (markupsafe would write &#39;).
ESCAPED = "Minister&#x27;s &quot;plan&quot; &lt;b&gt;&amp; more&lt;/b&gt;"


def test_reader_pages_escape_as_django_does_in_text_and_attributes():
    world = make_section("World", slug="world")
    story = make_article(section=world, headline=AWKWARD, kicker=AWKWARD)
    home = Client().get("/").content.decode()
    page = Client().get(story.get_absolute_url()).content.decode()

    for html in (home, page):
        assert ESCAPED in html
        assert AWKWARD not in html and "&#39;" not in html
    assert f'<meta property="og:title" content="{ESCAPED}">' in page  # an attribute


def test_a_translated_sentence_escapes_what_it_is_given():
    page = Client().get("/search/", {"q": AWKWARD}).content.decode()

    assert f"No stories match “{ESCAPED}”. Try fewer or different words." in page


def test_parts_rendered_alone_are_put_into_the_page_as_html():
    world = make_section("World", slug="world")
    story = make_article(section=world, authors=[make_author(name="Dana Levi")])
    page = Client().get(story.get_absolute_url()).content.decode()

    # The story, its social card, rail, header and footer are rendered apart (and kept) first.
    assert '<meta property="og:type" content="article">' in page
    assert '<h1 class="headline">' in page and '<header class="site-header">' in page
    assert "&lt;" not in page.replace(ESCAPED, "")
