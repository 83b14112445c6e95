"""Issue 23 for the screens written after the first catalogs: a live story's reader page and its
poll script's words, its admin panel, the scheduling page, the front page overview, the writer's
desk and the queue's keep and same-address lines come out in Hebrew and Arabic, with none of
their English left, from the catalogs in locale/ (compiled here with GNU msgfmt)."""

import json
import re
import shutil
import subprocess
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, LiveEntry
from articles.models.live import POLLED_ENTRIES
from comments.models import Comment
from tests.factories import make_article
from tests.factories_comments import make_comment

pytestmark = pytest.mark.django_db

LOCALE = Path(django_settings.BASE_DIR) / "locale"
EDITIONS = ["he", "ar"]


@pytest.fixture(params=EDITIONS)
def edition(request, settings, tmp_path):
    """The site in `request.param`, reading the project's catalogs compiled now."""
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")
    language = request.param
    for po in (LOCALE / language / "LC_MESSAGES").glob("*.po"):
        mo = tmp_path / language / "LC_MESSAGES" / po.with_suffix(".mo").name
        mo.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["msgfmt", "--check", "-o", str(mo), str(po)], check=True)
    settings.LOCALE_PATHS = [tmp_path]
    settings.LANGUAGE_CODE = language
    return language


def english_left(html: str, phrases: list[str]) -> list[str]:
    text = unescape(re.sub(r"\s+", " ", html))
    return [phrase for phrase in phrases if phrase in text]


def live_story(editor):
    story = make_article(kind=Article.Kind.LIVE, headline="Storm hits the coast")
    author = Author.objects.create(name="Rita Reporter", slug="rita")
    LiveEntry.post(
        story, by=editor, headline="Roads closed", key_event=True, pinned=True, author=author,
        blocks=[{"type": "text", "html": "<p>Police closed the coast road.</p>"}],
    )  # fmt: skip
    LiveEntry.post(story, by=editor, blocks=[{"type": "text", "html": "<p>Power is out.</p>"}])
    return story


def test_a_live_story_and_its_poll_script_speak_the_editions_language(edition, editor):
    story = live_story(editor)

    html = Client().get(story.get_absolute_url()).content.decode()

    assert not english_left(
        html,
        ["Latest updates", "Key events", "Key event", "Pinned", "Share this update",
         "Link to this update", "By Rita Reporter", "live-badge\">Live<"],
    )  # fmt: skip
    key_events = {"he": "אירועים מרכזיים", "ar": "أحداث رئيسية"}[edition]
    assert key_events in html
    # The script's button, for 1, 2… new updates, with each language's plural forms.
    labels = json.loads(unescape(re.search(r'data-new-updates="([^"]*)"', html).group(1)))
    assert len(labels) == POLLED_ENTRIES
    assert (
        labels[:3]
        == {
            "he": ["עדכון חדש", "שני עדכונים חדשים", "3 עדכונים חדשים"],
            "ar": ["تحديث جديد", "تحديثان جديدان", "3 تحديثات جديدة"],
        }[edition]
    )
    ended = re.search(r'data-ended="([^"]*)"', html).group(1)
    assert ended == {"he": "הסיקור החי הסתיים.", "ar": "انتهت هذه التغطية المباشرة."}[edition]


def test_an_ended_live_story_says_so_in_the_editions_language(edition, editor, editor_client):
    story = live_story(editor)
    editor_client.post(reverse("admin:articles_article_coverage", args=[story.pk]), {})

    html = Client().get(story.get_absolute_url()).content.decode()

    assert not english_left(html, ["Coverage has ended", "This live coverage ended at"])
    assert {"he": "הסיקור הסתיים", "ar": "انتهت التغطية"}[edition] in html


def test_the_live_panel_and_an_entrys_pages_speak_the_editions_language(
    edition, editor, editor_client
):
    story = live_story(editor)
    entry = story.entries.order_by("pk").first()

    panel = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    entry_page = editor_client.get(
        reverse("admin:articles_article_entry_change", args=[story.pk, entry.pk])
    )
    delete_page = editor_client.get(
        reverse("admin:articles_article_entry_delete", args=[story.pk, entry.pk])
    )
    closed = editor_client.post(
        reverse("admin:articles_article_coverage", args=[story.pk]), {}, follow=True
    )

    assert not english_left(
        panel.content.decode(),
        ["Live coverage: 2 entries", "Add entry", "Close the live coverage",
         "Paragraphs separated by a blank line", "Shown first (replaces the pinned one).",
         "Embed (optional)", "Added by", "Publish now", "Schedule…"],
    )  # fmt: skip
    assert {"he": "סיקור חי: שני עדכונים", "ar": "تغطية مباشرة: تحديثان"}[edition] in (
        panel.content.decode()
    )
    assert not english_left(
        entry_page.content.decode(), ["Save entry", "Change entry", "The entry's time."]
    )  # fmt: skip
    assert not english_left(
        delete_page.content.decode(),
        ["Delete the entry of", "Readers will no longer see it", "Yes, delete it", "No, keep it"],
    )
    assert not english_left(closed.content.decode(), ["Live coverage closed.", "Reopen the live"])


def test_scheduling_the_front_page_overview_and_the_writers_desk_speak_the_editions_language(
    edition, editor, editor_client, reporter, reporter_client
):
    story = make_article(headline="Budget day", status="draft")
    schedule = editor_client.get(reverse("admin:articles_article_schedule", args=[story.pk]))
    refused = editor_client.post(
        reverse("admin:articles_article_schedule", args=[story.pk]),
        {"published_at_0": "2001-01-01", "published_at_1": "10:00"},
    )
    overview = editor_client.get(reverse("admin:articles_frontpageslot_overview"))
    mine = Author.objects.create(name="Rita Reporter", slug="rita", user=reporter)
    make_article(headline="Waiting", status="review", authors=[mine])
    later = make_article(headline="Tomorrow", status="review", authors=[mine])
    later.schedule(by=editor, at=timezone.now() + timedelta(days=1))
    desk = reporter_client.get(reverse("admin:index"))

    assert not english_left(
        schedule.content.decode(),
        ["These stories go public", "Publish at", "A time in the future", ">Cancel<"],
    )
    assert not english_left(refused.content.decode(), ["Choose a time in the future"])
    assert not english_left(
        overview.content.decode(),
        ["The front page as readers see it", "Places on the front page", "Readers see",
         "Chosen by an editor", "Lead story", "Top story", "(newest story)", "Save the front page",
         "places on the front page"],
    )  # fmt: skip
    assert {"he": "הכתבה הראשית", "ar": "الخبر الرئيسي"}[edition] in overview.content.decode()
    assert not english_left(
        desk.content.decode(),
        ["Yours with the editors", "in review, waiting for an editor"],
    )


def test_the_queues_keep_and_same_address_lines_speak_the_editions_language(
    edition, moderator_client
):
    article = make_article()
    reported = make_comment(article, status=Comment.Status.APPROVED, ip_address="192.0.2.7")
    reported.report(reason="abuse", ip_address="192.0.2.1")
    make_comment(article, email="other@example.com", ip_address="192.0.2.7")

    html = moderator_client.get(
        reverse("admin:comments_comment_changelist") + "?status=all"
    ).content.decode()

    assert not english_left(
        html, ["Same IP address:", "under 2 email addresses", ">Keep<", "Select all"]
    )
    assert {"he": "אותה כתובת IP:", "ar": "عنوان IP نفسه:"}[edition] in html
