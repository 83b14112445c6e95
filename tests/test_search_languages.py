"""Search in the edition's language: the stored document and every query use the full-text
configuration NEWSROOM_LANGUAGE calls for, and the document is rebuilt when it changes."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, search_document
from articles.public import search as search_module
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def edition(settings, language: str) -> str:
    """Switch the edition's language and rebuild the search document, as an operator would."""
    settings.NEWSROOM_LANGUAGE = settings.LANGUAGE_CODE = language
    out = io.StringIO()
    call_command("rebuild_search", stdout=out)
    return out.getvalue()


def found(client, q) -> list[str]:
    html = client.get("/search/", {"q": q}).content.decode()
    headlines = re.findall(r'<h2 class="story-headline"><a href="[^"]+">(.*?)</a></h2>', html)
    return sorted(re.sub(r"</?mark>", "", headline) for headline in headlines)


def stored_label() -> str | None:
    return search_document.stored_as()


def test_an_english_edition_keeps_english_stemming(client):
    make_article(headline="Negotiators negotiate a truce")

    assert stored_label() == "english"
    assert found(client, "negotiating") == ["Negotiators negotiate a truce"]


def test_a_hebrew_edition_finds_a_hebrew_word_with_or_without_its_prefix_letter(client, settings):
    edition(settings, "he")
    section = make_section("חדשות", slug="חדשות")
    make_article(
        section=section,
        slug="הממשלה-אישרה-את-התקציב",
        headline="הממשלה אישרה את התקציב",
        body="<p>השרים הצביעו בלילה, ובירושלים המתינו לתוצאות.</p>",
    )
    make_article(
        section=section,
        slug="ממשלה-חדשה",
        headline="ממשלה חדשה תושבע מחר",
        body="<p>הטקס ייערך בכנסת.</p>",
    )
    make_article(section=section, slug="מזג-האוויר", headline="גשם בצפון", body="<p>קר.</p>")

    assert stored_label() == "simple unprefixed-hebrew"
    # The bare word finds it with the prefix ה ("the") and without.
    assert found(client, "ממשלה") == ["הממשלה אישרה את התקציב", "ממשלה חדשה תושבע מחר"]
    # The prefixed form finds that form: `simple` keeps words whole.
    assert found(client, "הממשלה") == ["הממשלה אישרה את התקציב"]
    assert found(client, "תקציב") == ["הממשלה אישרה את התקציב"]
    # ו ("and") before ב ("in"): one letter comes off, so בירושלים finds ובירושלים.
    assert found(client, "בירושלים") == ["הממשלה אישרה את התקציב"]
    assert found(client, "בכנסת") == ["ממשלה חדשה תושבע מחר"]


def test_a_hebrew_edition_searches_every_block(client, settings):
    edition(settings, "he")
    story = make_article(slug="בחירות", headline="הבחירות לרשויות")
    story.blocks = [
        {"type": "text", "html": "<p>הקלפיות נפתחו בבוקר.</p>"},
        {"type": "quote", "text": "זה יום חג לדמוקרטיה", "attribution": "יושב הראש"},
        {"type": "factbox", "title": "במספרים", "html": "<p>שיעור ההצבעה עלה.</p>"},
        {"type": "table", "caption": "תוצאות", "header": ["עיר"], "rows": [["חיפה"]]},
    ]
    story.save()

    for word in ("קלפיות", "דמוקרטיה", "הצבעה", "חיפה"):
        assert found(client, word) == ["הבחירות לרשויות"], word


def test_an_arabic_edition_uses_the_arabic_stemmer(client, settings):
    edition(settings, "ar")
    make_article(
        slug="الاقتصاد",
        headline="الحكومة تعلن خطة للاقتصاد",
        body="<p>قال وزير المالية إن المفاوضات مع البنوك مستمرة.</p>",
    )
    make_article(slug="رياضة", headline="فوز الفريق في النهائي", body="<p>احتفال كبير.</p>")

    assert stored_label() == "arabic"
    # ال ("the") and لل ("for the") come off, as do endings: the stems match.
    assert found(client, "اقتصاد") == ["الحكومة تعلن خطة للاقتصاد"]
    assert found(client, "حكومة") == ["الحكومة تعلن خطة للاقتصاد"]
    assert found(client, "مالية") == ["الحكومة تعلن خطة للاقتصاد"]
    assert found(client, "مستمر") == ["الحكومة تعلن خطة للاقتصاد"]


def test_a_language_without_a_stemmer_searches_simple_words(client, settings):
    edition(settings, "fa")
    make_article(slug="fa-1", headline="دولت بودجه را تصویب کرد")

    assert stored_label() == "simple"
    assert found(client, "بودجه") == ["دولت بودجه را تصویب کرد"]


def test_a_changed_language_is_a_warning_until_the_document_is_rebuilt(settings):
    settings.NEWSROOM_LANGUAGE = settings.LANGUAGE_CODE = "he"

    [warning] = search_document.check_search_document(databases=["default"])
    assert warning.id == "articles.W001"
    assert "built as 'english'" in warning.msg
    assert "rebuild_search" in warning.hint

    out = edition(settings, "he")
    assert "Search document rebuilt as 'simple unprefixed-hebrew' (was 'english')" in out
    assert search_document.check_search_document(databases=["default"]) == []
    assert "already built" in edition(settings, "he")


def test_stories_written_before_the_rebuild_are_found_after_it(
    client, settings, purges, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    make_article(slug="before", headline="הממשלה התכנסה")
    assert found(client, "ממשלה") == []  # English words: kept as a page

    with django_capture_on_commit_callbacks(execute=True):
        edition(settings, "he")

    assert found(client, "ממשלה") == ["הממשלה התכנסה"]  # the kept page started afresh
    assert "site" in purges[-1]  # and so did every copy in front


def test_an_unknown_search_configuration_is_refused_with_a_message(settings):
    settings.NEWSROOM_SEARCH_CONFIG = "klingon"

    with pytest.raises(Exception, match="Could not rebuild the search document"):
        call_command("rebuild_search", stdout=io.StringIO())
    assert stored_label() == "english"  # nothing half-done


def test_the_hebrew_index_serves_searches_over_thousands_of_stories(settings):
    edition(settings, "he")
    section = make_section()
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            slug=f"s-{n}",
            headline="הכנסת אישרה את החוק" if n % 1000 == 0 else f"ידיעה מספר {n}",
            body="<p>הדיון נמשך שעות ארוכות בוועדה.</p>",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=n),
        )
        for n in range(4000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    with CaptureQueriesContext(connection) as queries:
        ids = search_module.search("כנסת").ids
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {queries[0]['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert len(ids) == 4
    assert "Bitmap Index Scan on article_search_published_idx" in plan
    assert "search_document @@ '''כנסת'''::tsquery" in plan  # parsed as `simple`, unstemmed
