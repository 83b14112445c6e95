"""Story cards kept per story: a list page without a whole-page copy assembles the cards kept
by earlier renders instead of rendering each again, a change to the story shows on its card at
once, and staff always get cards rendered afresh."""

import pytest
from django.test import Client

from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

CARD = "includes/story_card.html"


@pytest.fixture(autouse=True)
def _parts_kept(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # no whole copies: every request makes its page
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 60


def cards_rendered(response) -> int:
    return sum(template.name == CARD for template in response.templates)


def test_a_list_page_assembles_kept_cards(client):
    world = make_section("World", slug="world")
    for n in range(3):
        make_article(section=world, headline=f"Story {n}", authors=[make_author()])

    first = client.get("/world/")
    again = client.get("/world/")

    assert cards_rendered(first) == 3
    assert cards_rendered(again) == 0
    assert again.content == first.content


def test_a_changed_story_shows_on_its_card_at_once(client, django_capture_on_commit_callbacks):
    world = make_section("World", slug="world")
    story = make_article(section=world, headline="Talks resume in Cairo")
    make_article(section=world, headline="Gas field talks open")
    client.get("/world/")

    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Talks collapse in Cairo"
        story.save()
    page = client.get("/world/")

    assert "Talks collapse in Cairo" in page.content.decode()
    assert "Talks resume in Cairo" not in page.content.decode()
    assert cards_rendered(page) == 2


def test_staff_get_cards_rendered_afresh(editor):
    make_article(section=make_section("World", slug="world"))
    staff = Client()
    staff.force_login(editor)
    staff.get("/world/")

    assert cards_rendered(staff.get("/world/")) == 1


def test_a_story_pages_related_cards_are_kept_with_the_story_not_one_by_one(client):
    world = make_section("World", slug="world")
    # The story leads the home page, its related story is the next card there.
    story = make_article(section=world, headline="Talks resume in Cairo", tags=["energy"])
    related = make_article(section=world, headline="Gas field talks open", tags=["energy"])

    first = client.get(story.get_absolute_url())
    again = client.get(story.get_absolute_url())
    home = client.get("/")

    assert related.headline in first.content.decode()
    assert cards_rendered(first) == 1
    # The story's part holds the card. It was not kept on its own: the home page, showing the
    # same card (the lead story and one more), renders both.
    assert cards_rendered(again) == 0
    assert related.headline in home.content.decode()
    assert cards_rendered(home) == 2
