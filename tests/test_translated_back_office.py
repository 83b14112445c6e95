"""The newsroom's own screens in a Hebrew or Arabic edition: the moderation queue, its statistics
and threads, the desk, a story's history and the credit report are right to left, with none of
the catalog's English left; a refused decision says why in the edition's language."""

import re

import pytest
from django.urls import reverse

from articles.models import Article
from comments.models import Comment
from tests.factories import make_article, make_photo
from tests.factories_comments import make_comment, seen
from tests.test_translated_pages import english_phrases

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")


@pytest.fixture
def edition(settings, request):
    settings.NEWSROOM_LANGUAGE = settings.LANGUAGE_CODE = request.param
    return request.param


def assert_in_the_edition(html: str, language: str, url: str, phrases: set[str]):
    """The page's own content: the admin's sidebar, breadcrumbs and app list name models by
    their verbose names, not translatable without migrations (left to a later change)."""
    assert f'<html lang="{language}" dir="rtl">' in html, url
    content = html[html.index('id="content"') :]
    if url == reverse("admin:index"):
        content = content[: content.index('id="content-main"')]  # the desk, not the app list
    text = re.sub(r"<script.*?</script>", "", content, flags=re.S)
    # Django's own admin/search_form.html writes its icon's alt="Search" untranslated.
    left = sorted(phrase for phrase in phrases - {'alt="Search"'} if phrase in text)
    assert not left, f"{url} still says in English: {left}"


@pytest.mark.parametrize("edition", ["he", "ar"], indirect=True)
def test_the_queue_and_the_desk_are_right_to_left_in_the_editions_language(
    edition, moderator_client, editor_client
):
    story = make_article(lead_photo=make_photo())
    parent = make_comment(story, name="Ruth")
    waiting = make_comment(story, status=Comment.Status.PENDING, parent=parent, name="Avi")
    make_article(status=Article.Status.REVIEW)
    phrases = english_phrases()
    for client, url in [
        (moderator_client, QUEUE),
        (moderator_client, f"{QUEUE}?status=all"),
        (moderator_client, reverse("admin:comments_comment_stats")),
        (moderator_client, f"{QUEUE}{waiting.pk}/thread/"),
        (editor_client, reverse("admin:index")),
        (editor_client, reverse("admin:articles_article_history", args=[story.pk])),
        (editor_client, reverse("admin:articles_photo_agency_credits")),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_in_the_edition(response.content.decode(), edition, url, phrases)


@pytest.mark.parametrize("edition", ["he", "ar"], indirect=True)
def test_a_rejection_without_a_reason_is_refused_in_the_editions_language(
    edition, moderator_client
):
    comment = make_comment(make_article(), status=Comment.Status.PENDING)
    response = moderator_client.post(
        reverse("admin:comments_comment_reject", args=[comment.pk]),
        {**seen(comment), f"reason-{comment.pk}": ""},
        follow=True,
    )
    expected = {"he": "יש לבחור סיבה לדחיית התגובה.", "ar": "اختر سببًا لرفض التعليق."}
    assert expected[edition] in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


@pytest.mark.parametrize("edition", ["he", "ar"], indirect=True)
def test_the_block_editors_words_come_with_the_admins_catalog_script(edition, editor_client):
    """The story form loads admin:jsi18n before the block editor; it carries our djangojs
    catalog (locale/), so the editor's buttons and labels are in the edition's language."""
    form = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    catalog_script = reverse("admin:jsi18n")
    assert form.index(catalog_script) < form.index("articles/block_editor")
    script = editor_client.get(catalog_script).content.decode("unicode_escape")
    assert {"he": "הוספת בלוק כאן", "ar": "أضف كتلة هنا"}[edition] in script
