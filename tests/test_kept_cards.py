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
