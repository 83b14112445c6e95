"""Story bodies are sanitised on every path in, so no script reaches a reader."""

import pytest
from django.urls import reverse

from articles.models import Article
from articles.models.richtext import sanitize_html
from tests.admin_forms import article_post
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

HOSTILE = (
    "<h2>Heading</h2><p>Some <strong>bold</strong> and <em>italic</em> and "
    '<a href="https://example.com/" onclick="steal()">a link</a>.</p>'
    "<script>alert('x')</script>"
    '<img src=x onerror="alert(1)">'
    '<p><a href="javascript:alert(1)">bad link</a></p>'
    "<ul><li>one</li></ul><blockquote><p>quoted</p></blockquote>"
    '<iframe src="https://evil.example/"></iframe><p style="color:red">styled</p>'
)


def assert_clean(html):
    lowered = html.lower()
    for forbidden in ["<script", "onerror", "onclick", "javascript:", "<iframe", "<img", "style="]:
        assert forbidden not in lowered, forbidden
    for kept in [
        "<h2>Heading</h2>",
        "<strong>bold</strong>",
        "<em>italic</em>",
        "<li>one</li>",
        "<blockquote>",
    ]:
        assert kept in html, kept
    assert 'href="https://example.com/"' in html


def test_a_hostile_body_is_sanitised_when_saved_through_the_admin(editor_client):
    editor_client.post(
        reverse("admin:articles_article_add"),
        article_post(section=make_section(), authors=[make_author()], body=HOSTILE),
    )
    assert_clean(Article.objects.get().body)


def test_a_hostile_body_is_sanitised_when_saved_in_code():
    story = make_article(body=HOSTILE)
    story.refresh_from_db()
    assert_clean(story.body)


def test_links_get_a_safe_rel():
    assert 'rel="noopener noreferrer nofollow"' in sanitize_html('<a href="https://x.org">x</a>')


def test_an_empty_editor_document_is_stored_as_empty():
    assert sanitize_html("<p></p>") == ""


def test_the_admin_body_field_is_the_block_editor_with_the_rich_text_editor_for_text(
    editor_client,
):
    page = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    assert "articles/block_editor.js" in page
    assert 'name="blocks"' in page
    assert 'data-blocks-editor="id_blocks"' in page
    assert "django_prose_editor/editor.js" in page  # text blocks are written in it


def test_the_text_editor_leaves_the_browsers_spell_checker_on(editor_client):
    html = editor_client.get(reverse("admin:articles_article_add")).content.decode()

    assert "NoSpellCheck" not in html
    assert "Bold" in html  # the text editor's configuration is on the page
