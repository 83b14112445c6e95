"""Corrections: on the story with their date, at /corrections/ with a feed, and in the JSON-LD."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from tests.admin_forms import form_data
from tests.factories import make_article
from tests.test_article_page import json_ld

pytestmark = pytest.mark.django_db

CORRECTION = "An earlier version of this story misstated the date of the visit. It was Sunday."


def test_a_correction_shows_on_the_story_with_its_date(client):
    story = make_article(headline="Visit announced")
    Correction.objects.create(
        article=story,
        text=CORRECTION,
        published_at=timezone.now().replace(year=2026, month=11, day=3),
    )

    html = client.get(story.get_absolute_url()).content.decode()

    corrections = html[html.index('id="corrections"') :]
    assert "Correction</h2>" in corrections
    assert "3 November 2026" in corrections
    assert "It was Sunday." in corrections


def test_a_correction_is_escaped_on_the_page(client):
    story = make_article()
    Correction.objects.create(article=story, text="Not <b>bold</b>")

    html = client.get(story.get_absolute_url()).content.decode()

    assert "Not &lt;b&gt;bold&lt;/b&gt;" in html


def test_the_story_json_ld_carries_its_corrections(client):
    story = make_article()
    correction = Correction.objects.create(article=story, text=CORRECTION)

    data = json_ld(client.get(story.get_absolute_url()).content.decode())

    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": CORRECTION,
            "datePublished": correction.published_at.isoformat(),
        }
    ]


def test_adding_a_correction_marks_the_story_updated(client):
    story = make_article()
    assert story.revised_at is None

    correction = Correction.objects.create(article=story, text=CORRECTION)

    story.refresh_from_db()
    assert story.revised_at == correction.published_at
    assert "Updated" in client.get(story.get_absolute_url()).content.decode()


def test_an_editor_adds_a_correction_in_the_story_form(editor_client):
    story = make_article()
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = form_data(editor_client.get(url))
    data.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-text": CORRECTION,
            "corrections-0-published_at_0": timezone.localdate().isoformat(),
            "corrections-0-published_at_1": "09:00:00",
        }
    )

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert story.corrections.get().text == CORRECTION


def test_the_corrections_page_lists_recent_corrections_newest_first_with_links(client):
    older = make_article(headline="Older story")
    newer = make_article(headline="Newer story")
    Correction.objects.create(
        article=older, text="First fix", published_at=timezone.now() - timedelta(days=2)
    )
    Correction.objects.create(
        article=newer, text="Second fix", published_at=timezone.now() - timedelta(hours=1)
    )

    html = client.get("/corrections/").content.decode()

    assert html.index("Second fix") < html.index("First fix")
    assert f'href="{newer.get_absolute_url()}#corrections"' in html
    assert 'type="application/rss+xml"' in html


def test_corrections_of_unpublished_stories_and_future_corrections_are_not_shown(client):
    draft = make_article(status=Article.Status.DRAFT)
    Correction.objects.create(article=draft, text="Fix to a draft")
    Correction.objects.create(
        article=make_article(), text="Not yet", published_at=timezone.now() + timedelta(hours=1)
    )

    html = client.get("/corrections/").content.decode()

    assert "Fix to a draft" not in html
    assert "Not yet" not in html
    assert "No corrections have been published." in html


def test_the_corrections_feed_lists_corrections_with_links(client):
    story = make_article(headline="Ceasefire talks")
    Correction.objects.create(article=story, text=CORRECTION)

    response = client.get(reverse("articles:corrections_feed"))
    xml = response.content.decode()

    assert response.status_code == 200
    assert "<title>Correction: Ceasefire talks</title>" in xml
    assert f"{story.get_absolute_url()}#corrections</link>" in xml
    assert "It was Sunday." in xml


def test_the_corrections_page_is_paginated_within_a_fixed_query_budget(
    client, django_assert_max_num_queries
):
    story = make_article()
    Correction.objects.bulk_create(
        Correction(
            article=story, text=f"Fix {n}", published_at=timezone.now() - timedelta(minutes=n)
        )
        for n in range(45)
    )
    client.get("/")  # the section navigation, then cached

    # Expect 2 queries: the count for the paginator; one page of corrections with their stories.
    with django_assert_max_num_queries(2):
        page_three = client.get("/corrections/?page=3")
    html = page_three.content.decode()

    assert "Fix 40" in html and "Fix 44" in html
    assert "Fix 39" not in html
    assert client.get("/corrections/?page=nonsense").status_code == 200


def test_corrections_is_not_a_section_address():
    from django.core.exceptions import ValidationError

    from articles.models import validate_section_slug

    with pytest.raises(ValidationError):
        validate_section_slug("corrections")


def test_a_corrections_time_is_given_to_the_second_as_html_allows(client):
    # <time datetime> takes at most three digits of a second: none rather than six.
    story = make_article(headline="Visit announced")
    when = timezone.now().replace(microsecond=374456) - timedelta(hours=1)
    Correction.objects.create(article=story, text=CORRECTION, published_at=when)
    stamp = when.replace(microsecond=0).isoformat().replace("+00:00", "Z")

    for html in (client.get("/corrections/").content.decode(),
                 client.get(story.get_absolute_url()).content.decode()):  # fmt: skip
        assert f'<time datetime="{stamp}">' in html or f'datetime="{stamp[:-1]}+00:00"' in html
        assert not re.search(r'datetime="[^"]*\.374456', html)


def test_a_story_shows_its_corrections_once_their_time_comes(client, settings, clock):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0
    story = make_article(headline="Visit announced")
    Correction.objects.create(
        article=story, text="Due fix", published_at=timezone.now() - timedelta(hours=1)
    )
    Correction.objects.create(
        article=story, text="Later fix", published_at=timezone.now() + timedelta(hours=1)
    )
    scheduled_only = make_article(headline="Talks resume")
    Correction.objects.create(
        article=scheduled_only,
        text="Scheduled fix",
        published_at=timezone.now() + timedelta(hours=1),
    )

    page = client.get(story.get_absolute_url()).content.decode()
    assert "Due fix" in page and "Later fix" not in page
    assert 'id="corrections"' not in client.get(scheduled_only.get_absolute_url()).content.decode()

    clock(2 * 60 * 60)
    assert "Later fix" in client.get(story.get_absolute_url()).content.decode()
    assert "Scheduled fix" in client.get(scheduled_only.get_absolute_url()).content.decode()
