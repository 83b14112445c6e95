"""A Hebrew or Arabic edition (NEWSROOM_LANGUAGE, which sets LANGUAGE_CODE): every reader page is
right to left in that language, with no English left from the catalog; the English edition is
as it was."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Correction, PolicyPage
from comments.outcomes import SENT_MESSAGE
from tests.factories import make_article, make_author, make_photo, make_section
from tests.factories_comments import comments_region, make_comment, post_comment

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SENT = {
    "he": "התגובה נשלחה בהצלחה. בקרוב היא תיבחן על ידי עורכי האתר, ואם תימצא מתאימה – תפורסם באתר.",
    "ar": "أُرسل التعليق بنجاح. سيراجعه محرّرونا قريبًا، وإذا وُجد مناسبًا فسيُنشر على الموقع.",
}


LABELS = ("aria-label", "title", "placeholder", "alt", "content")


def english_phrases() -> set[str]:
    """The English of the catalog as readers would see it: each msgid's text between its
    placeholders and markup, when three words or more (shorter ones are names and labels that
    other text on a page can contain by chance); and every msgid without placeholders as a
    whole text node or label (">Latest news<", 'aria-label="Topics"')."""
    with open(ROOT / "locale" / "he" / "LC_MESSAGES" / "django.po", "rb") as po:
        catalog = read_po(po)
    phrases = set()
    for message in catalog:
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            if msgid and "%(" not in msgid and len(msgid) > 2:
                phrases |= {f">{msgid}<"} | {f'{attribute}="{msgid}"' for attribute in LABELS}
            for part in re.split(r"%\(\w+\)[sd]|<[^>]+>|[“”]", msgid or ""):
                if len(part.split()) >= 3:
                    phrases.add(part.strip())
    return phrases


@pytest.fixture
def edition(settings, request):
    settings.NEWSROOM_LANGUAGE = settings.LANGUAGE_CODE = request.param
    return request.param


def newsroom():
    """One of each thing a reader page shows: a story with photo, tags, byline, correction and
    comments, its section, topic and author, and a policy page."""
    author = make_author("Dana Levi", slug="dana-levi")
    section = make_section("World", slug="world")
    story = make_article(
        headline="Ceasefire talks gain momentum",
        section=section,
        authors=[author],
        lead_photo=make_photo(),
        published_at=timezone.now() - timedelta(minutes=25),
    )
    story.tags.add("Hostage Deal")
    for n in range(3):
        make_article(section=section, authors=[author], headline=f"Talks go on, day {n}")
    Correction.objects.create(
        article=story, text="An earlier version misspelt a name.", published_at=timezone.now()
    )
    PolicyPage.objects.create(
        kind=PolicyPage.Kind.ETHICS_POLICY, title="Ethics", body="<p>We do not lie.</p>"
    )
    comment = make_comment(story, name="Ruth")
    return story, comment


def reader_pages(story, comment) -> list[str]:
    return [
        "/",
        story.get_absolute_url(),
        story.section.get_absolute_url(),
        reverse("articles:tag", args=[Tag.objects.get().slug]),
        story.authors.get().get_absolute_url(),
        "/search/?q=talks",
        "/search/?q=nothingmatchesthis",
        "/search/",
        "/corrections/",
        "/about/ethics-policy/",
        reverse("comments:reply", args=[story.pk, comment.pk]),
        reverse("comments:list", args=[story.pk]),
        reverse("comments:report", args=[comment.pk]),
    ]


def assert_in_the_edition(html: str, language: str, url: str, phrases: set[str]):
    assert f'<html lang="{language}" dir="rtl">' in html, url
    text = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    # Open Graph's type is a word of its vocabulary, not text (and "article" is a model's name).
    text = re.sub(r'<meta property="og:type" content="\w+">', "", text)
    left = sorted(phrase for phrase in phrases if phrase in text)
    assert not left, f"{url} still says in English: {left}"


@pytest.mark.parametrize("edition", ["he", "ar"], indirect=True)
def test_every_reader_page_is_right_to_left_with_no_english_from_the_catalog(client, edition):
    story, comment = newsroom()
    phrases = english_phrases()
    assert "Do not send comments that include inflammatory words, defamation and" in " ".join(
        phrases
    )
    for url in reader_pages(story, comment):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_in_the_edition(response.content.decode(), edition, url, phrases)
    missing = client.get("/no/such/page/")
    assert missing.status_code == 404
    assert_in_the_edition(missing.content.decode(), edition, "404", phrases)


@pytest.mark.parametrize("edition", ["he", "ar"], indirect=True)
def test_the_comment_confirmation_is_the_editions_message(client, edition):
    story = make_article()
    landing = post_comment(client, story)["Location"]
    region = comments_region(client.get(landing).content.decode())
    assert SENT[edition] in region
    assert SENT_MESSAGE not in region


@pytest.mark.parametrize("edition", ["he", "ar"], indirect=True)
def test_times_and_dates_are_in_the_editions_language(client, edition):
    story, _ = newsroom()
    html = client.get("/").content.decode()
    assert {"he": "לפני 25 דקות", "ar": "منذ 25 دقيقة"}[edition] in html
    assert "min ago" not in html
    page = client.get(story.get_absolute_url()).content.decode()
    month = timezone.localtime(story.published_at).strftime("%B")
    assert month not in page  # the month's name is Hebrew or Arabic, not English
    # Written the edition's way: Hebrew puts the month after "ב" (in), as in "6 בדצמבר 2026".
    published = {
        "he": r"פורסם: <time [^>]+>\d+ ב\w+ \d{4}, \d\d:\d\d</time>",
        "ar": r"نُشر في <time ",
    }
    assert re.search(published[edition], page)
    assert {"he": "צילום: Alexandros", "ar": "تصوير: Alexandros"}[edition] in page


@pytest.mark.parametrize("edition", ["he", "ar"], indirect=True)
def test_an_invalid_comment_is_refused_in_the_editions_language(client, edition):
    story = make_article()
    page = post_comment(client, story, name="").content.decode()
    assert {"he": "נא לכתוב את שמך.", "ar": "يُرجى كتابة اسمك."}[edition] in page
    assert "Please give your name." not in page


def test_the_english_edition_is_left_to_right_and_english(client):
    story, _ = newsroom()
    html = client.get(story.get_absolute_url()).content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert '<meta property="og:locale" content="en_US">' in html
    assert "Latest news" in html and "Do not send comments that include" in html
    landing = post_comment(client, story)["Location"]
    assert SENT_MESSAGE in comments_region(client.get(landing).content.decode())
