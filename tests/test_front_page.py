"""The front page editors choose: slots for the lead and top stories, the newest stories elsewhere."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.caching import CONTENT, current_versions
from articles.models import Article, FrontPageSlot
from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db


def lead_of(client) -> str:
    html = client.get("/").content.decode()
    return re.search(r'<article class="story story--lead">.*?</article>', html, re.S).group()


def top_stories(client) -> list[str]:
    html = client.get("/").content.decode()
    block = re.search(r'<div class="top-stories">(.*?)</div>\s*</section>', html, re.S).group(1)
    return re.findall(r"<h3 class=\"story-headline\"><a [^>]*>(.*?)</a>", block)


def test_a_story_in_the_lead_slot_leads_the_home_page_though_newer_stories_exist(client):
    chosen = make_article(
        headline="The story editors chose", published_at=timezone.now() - timedelta(days=1)
    )
    make_article(
        headline="A newer minor story", lead_photo=make_photo(), published_at=timezone.now()
    )
    FrontPageSlot.objects.create(position=1, article=chosen)

    lead = lead_of(client)

    assert "The story editors chose" in lead
    assert "A newer minor story" not in lead


def test_empty_slots_are_filled_by_the_newest_stories_in_order(client):
    now = timezone.now()
    newest = [
        make_article(headline=f"Newest {n}", published_at=now - timedelta(minutes=n))
        for n in range(1, 6)
    ]
    chosen = make_article(headline="Chosen for slot three", published_at=now - timedelta(days=3))
    FrontPageSlot.objects.create(position=3, article=chosen)

    # Lead: the newest (no photos anywhere); then slot 2 the next newest, slot 3 the chosen one.
    assert "Newest 1" in lead_of(client)
    assert top_stories(client) == ["Newest 2", "Chosen for slot three", "Newest 3", "Newest 4"]
    assert newest  # all five exist; "Newest 5" is in the rail only


def test_a_story_that_stops_being_public_drops_out_of_its_slot_without_breaking_the_page(
    client, editor
):
    chosen = make_article(headline="Pulled story")
    make_article(headline="Still public")
    FrontPageSlot.objects.create(position=1, article=chosen)

    chosen.unpublish(by=editor)
    response = client.get("/")

    assert response.status_code == 200
    assert "Pulled story" not in response.content.decode()
    assert "Still public" in lead_of(client)


def test_a_scheduled_story_in_a_slot_waits_until_it_goes_live(client):
    later = make_article(
        headline="Tomorrow's splash", published_at=timezone.now() + timedelta(days=1)
    )
    make_article(headline="Today's news")
    FrontPageSlot.objects.create(position=1, article=later)

    assert "Tomorrow&#x27;s splash" not in client.get("/").content.decode()
    assert "Today&#x27;s news" in lead_of(client)


def test_changing_a_slot_refreshes_every_cached_copy_of_the_home_page(
    client, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    older = make_article(headline="Older story", published_at=timezone.now() - timedelta(days=2))
    make_article(headline="Newest story")
    assert "Newest story" in lead_of(client)  # now cached
    version = current_versions([CONTENT])

    with django_capture_on_commit_callbacks(execute=True):
        FrontPageSlot.objects.create(position=1, article=older)

    assert current_versions([CONTENT]) != version
    assert "Older story" in lead_of(client)


def test_an_editor_places_a_story_in_the_lead_slot_in_the_admin(editor_client):
    story = make_article(headline="For the lead")

    response = editor_client.post(
        reverse("admin:articles_frontpageslot_add"), {"position": "1", "article": story.pk}
    )

    assert response.status_code == 302
    assert FrontPageSlot.objects.get(position=1).article == story
    listing = editor_client.get(reverse("admin:articles_frontpageslot_changelist"))
    assert "Lead story" in listing.content.decode()
    assert "View the front page" in listing.content.decode()
    assert "For the lead" in listing.content.decode()


def test_two_stories_cannot_share_a_slot(editor_client):
    FrontPageSlot.objects.create(position=1, article=make_article())

    response = editor_client.post(
        reverse("admin:articles_frontpageslot_add"), {"position": "1", "article": make_article().pk}
    )

    assert response.status_code == 200
    assert "That place already has a story" in response.content.decode()


def test_a_reporter_cannot_change_the_front_page(reporter_client):
    story = make_article(status=Article.Status.PUBLISHED)

    response = reporter_client.post(
        reverse("admin:articles_frontpageslot_add"), {"position": "1", "article": story.pk}
    )

    assert response.status_code == 403
    assert not FrontPageSlot.objects.exists()


@pytest.mark.parametrize("slots", [0, 5])
def test_the_home_page_query_budget_holds_with_slots(client, django_assert_max_num_queries, slots):
    now = timezone.now()
    stories = [
        make_article(
            lead_photo=make_photo() if n < 3 else None, published_at=now - timedelta(hours=n)
        )
        for n in range(15)
    ]
    for position in range(1, slots + 1):
        FrontPageSlot.objects.create(position=position, article=stories[-position])
    client.get("/")  # the section navigation, then cached

    # Expect 5: the newest stories; the stories in slots; the bylines of both; the newest few
    # of every section; their bylines.
    with django_assert_max_num_queries(5):
        assert client.get("/").status_code == 200
