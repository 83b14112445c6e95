"""The story admin: search and social fields with counts and previews; an accessible story list."""

import re

import pytest

from articles.models import Article
from tests.admin_forms import article_post
from tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db


def test_the_change_form_has_search_and_social_fields_with_counts_and_previews(editor_client):
    story = make_article(
        headline="Blinken heads to Israel",
        subheadline="Cautious optimism.",
        seo_title="Blinken in Israel: ceasefire talks",
        lead_photo=make_photo(alt_text="Blinken at a lectern"),
    )

    html = editor_client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()

    for field in ("seo_title", "meta_description", "social_headline", "social_image"):
        assert f'name="{field}"' in html, field
    assert 'data-limits="{&quot;search results&quot;: 60}"' in html
    assert 'data-limits="{&quot;search results&quot;: 155}"' in html
    assert 'data-limits="{&quot;social cards&quot;: 70}"' in html
    assert '<p class="search-preview-title">Blinken in Israel: ceasefire talks</p>' in html
    assert '<p class="search-preview-text">Cautious optimism.</p>' in html
    assert "Title 34 characters (about 60 show); description 18 characters" in html
    assert '<p class="social-preview-title">Blinken heads to Israel</p>' in html
    assert re.search(r'<div class="social-preview"><img src="/media/renditions/[^"]+-16x9-', html)
    assert 'alt="Blinken at a lectern"' in html
    assert "articles/character_counts.js" in html


def test_an_editor_saves_search_and_social_fields(editor_client):
    section, author = make_section(), make_author()
    social = make_photo()

    response = editor_client.post(
        "/admin/articles/article/add/",
        article_post(
            section=section,
            authors=[author],
            seo_title="A search title",
            meta_description="A description for search results.",
            social_headline="A headline for social networks",
            social_image=social.pk,
        ),
    )

    assert response.status_code == 302
    story = Article.objects.get()
    assert (story.seo_title, story.meta_description, story.social_headline) == (
        "A search title",
        "A description for search results.",
        "A headline for social networks",
    )
    assert story.social_image == social


def test_story_list_thumbnails_are_named_links_with_a_fixed_size(editor_client):
    story = make_article(headline="Talks resume", lead_photo=make_photo())  # an 800×500 photo

    html = editor_client.get("/admin/articles/article/").content.decode()
    link = re.search(rf'<a href="[^"]*/{story.pk}/change/[^"]*">(<img [^>]+>)</a>', html)

    assert link, "the thumbnail links to the story"
    assert 'alt="Edit “Talks resume”"' in link.group(1)
    assert 'width="64" height="40"' in link.group(1)


def test_photo_list_thumbnails_are_named_and_sized(editor_client):
    photo = make_photo(caption="Boats in the harbour")

    html = editor_client.get("/admin/articles/photo/").content.decode()

    assert f'alt="Edit photo: {photo.caption}" width="96" height="60"' in html
