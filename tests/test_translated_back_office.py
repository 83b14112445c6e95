"""The newsroom's own screens in a Hebrew or Arabic edition: the moderation queue, its statistics
and threads, the desk, a story's history and the credit report are right to left, with none of
the catalog's English left; a refused decision says why in the edition's language."""

import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from articles.models import Article, Photo
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
    """The page's own content (the admin's index: the desk, above the app list)."""
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


def english_labels(model) -> set[str]:
    """The model's field labels and help texts as an English edition's admin shows them."""
    with translation.override("en"):
        fields = [field for field in model._meta.get_fields() if hasattr(field, "verbose_name")]
        labels = {capfirst(str(field.verbose_name)) for field in fields}
        helps = {str(field.help_text) for field in fields if field.help_text}
    return {*labels, *helps} - {"ID"}


@pytest.mark.parametrize("edition", ["he", "ar"], indirect=True)
def test_the_story_and_photo_forms_label_their_fields_in_the_editions_language(
    edition, editor_client
):
    """Field names, help texts, choices and the models' names come from the catalog: an editor
    of a Hebrew or Arabic edition fills in a כותרת / عنوان, not a Headline."""
    photo = make_photo()
    story = make_article(lead_photo=photo)
    expected = {
        "he": {Article: ["כותרת", "כותרת משנה", "תמונה ראשית", "טיוטה"], Photo: ["צלם", "סוכנות"]},
        "ar": {
            Article: ["العنوان", "العنوان الفرعي", "الصورة الرئيسية", "مسودة"],
            Photo: ["المصوّر"],
        },
    }[edition]
    for model, obj in [(Article, story), (Photo, photo)]:
        url = reverse(f"admin:articles_{model._meta.model_name}_change", args=[obj.pk])
        html = editor_client.get(url).content.decode()
        labels = re.findall(r"<label[^>]*>([^<]*)</label>", html)
        for word in expected[model]:
            assert word in html, (url, word)
        assert {"he": "כותרת:", "ar": "العنوان:"}[edition] in labels or model is Photo
        english = english_labels(model)
        left = sorted(label for label in labels if label.strip().rstrip(":") in english)
        left += sorted(text for text in english if len(text.split()) >= 3 and text in html)
        assert not left, f"{url} still labels in English: {left}"


@pytest.mark.parametrize("edition", ["he", "ar"], indirect=True)
def test_the_app_list_names_apps_and_models_in_the_editions_language(edition, editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    app_list = html[html.index('id="content-main"') :]
    expected = {"he": ["מערכת", "כתבות", "תמונות", "מדורים"], "ar": ["التحرير", "الأخبار", "الصور"]}
    for word in expected[edition]:
        assert word in app_list, word
    with translation.override("en"):
        english = {
            capfirst(str(model._meta.verbose_name_plural))
            for app in ("articles", "comments")
            for model in apps.get_app_config(app).get_models()
        }
    left = sorted(name for name in english if f">{name}<" in app_list)
    assert not left, f"the app list still says in English: {left}"


@pytest.mark.parametrize("edition", ["he", "ar"], indirect=True)
def test_an_editor_can_send_a_story_back_in_a_translated_edition(edition, editor_client):
    """The note goes in the Publication fieldset, found by its fields: its name is translated."""
    story = make_article(status=Article.Status.REVIEW)
    url = reverse("admin:articles_article_change", args=[story.pk])
    assert 'name="send_back_note"' in editor_client.get(url).content.decode()
