"""The front page beyond five places (issue 25, item 5): a number of places set in the admin,
an overview of every place and what fills it, rearranging in one form, and each section's own
top story."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.caching import CONTENT, current_versions
from articles.models import Article, FrontPageLayout, FrontPageSlot
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("admin:articles_frontpageslot_overview")


def front_page_headlines(client) -> list[str]:
    """The lead, then the top stories, as readers see them on the home page."""
    html = client.get("/").content.decode()
    main = re.search(r'<section class="front-main".*?</section>', html, re.S).group()
    return re.findall(r'class="story-headline"><a [^>]*>(.*?)</a>', main)


def newsroom(count=12) -> list[Article]:
    now = timezone.now()
    return [
        make_article(headline=f"Newest {n}", published_at=now - timedelta(minutes=n))
        for n in range(1, count + 1)
    ]


def overview_post(slots, places, **positions) -> dict:
    """The overview form as a browser sends it: `positions` maps slot index to a new place
    (or "off" to take it off)."""
    data = {
        "layout-places": str(places),
        "slots-TOTAL_FORMS": str(len(slots)),
        "slots-INITIAL_FORMS": str(len(slots)),
    }
    for n, slot in enumerate(slots):
        data[f"slots-{n}-id"] = slot.pk
        wanted = positions.get(f"s{n}", slot.position)
        if wanted == "off":
            data[f"slots-{n}-DELETE"] = "on"
            wanted = slot.position
        data[f"slots-{n}-position"] = str(wanted)
    return data


def test_the_number_of_places_is_set_in_the_admin_and_the_home_page_follows(editor_client):
    stories = newsroom(12)
    assert len(front_page_headlines(editor_client)) == 5  # the default: lead and four

    response = editor_client.post(OVERVIEW, overview_post([], 9))

    assert response.status_code == 302
    assert FrontPageLayout.current().places == 9
    assert front_page_headlines(editor_client) == [s.headline for s in stories[:9]]


def test_a_story_can_be_placed_beyond_five_and_the_add_form_offers_every_place(editor_client):
    newsroom(10)
    chosen = make_article(
        headline="Chosen for place eight", published_at=timezone.now() - timedelta(days=2)
    )
    editor_client.post(OVERVIEW, overview_post([], 8))

    add = editor_client.get(reverse("admin:articles_frontpageslot_add")).content.decode()
    assert '<option value="8">Top story 7</option>' in add and 'value="9"' not in add
    placed = editor_client.post(
        reverse("admin:articles_frontpageslot_add"), {"position": "8", "article": chosen.pk}
    )
    assert placed.status_code == 302
    assert front_page_headlines(editor_client)[7] == "Chosen for place eight"

    refused = editor_client.post(
        reverse("admin:articles_frontpageslot_add"), {"position": "9", "article": make_article().pk}
    )
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()


def test_the_overview_shows_every_place_and_what_fills_the_empty_ones_as_the_home_page_does(
    editor_client,
):
    newsroom(8)
    chosen = make_article(headline="Editors' pick", published_at=timezone.now() - timedelta(days=3))
    scheduled = make_article(
        headline="Tonight's splash", published_at=timezone.now() + timedelta(hours=6)
    )
    FrontPageSlot.objects.create(position=3, article=chosen)
    FrontPageSlot.objects.create(position=1, article=scheduled)
    editor_client.post(OVERVIEW, overview_post(list(FrontPageSlot.objects.all()), 6))

    html = editor_client.get(OVERVIEW).content.decode()
    rows = re.findall(
        r'<tr>\s*<th scope="row">(.*?)</th>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>', html, re.S
    )
    seen = [
        re.search(r">([^<]*)</a>", shown).group(1).replace("&#x27;", "'") for _, shown, _ in rows
    ]

    assert [name for name, _, _ in rows] == [
        "Lead story", "Top story 1", "Top story 2", "Top story 3", "Top story 4", "Top story 5",
    ]  # fmt: skip
    assert seen == [h.replace("&#x27;", "'") for h in front_page_headlines(editor_client)]
    assert seen[2] == "Editors' pick" and "(newest story)" not in rows[2][1]
    assert "(newest story)" in rows[0][1]  # the scheduled lead is not public yet...
    assert "Tonight&#x27;s splash" in rows[0][2] and "shows once live" in rows[0][2]


def test_rearranging_trades_places_in_one_save_and_refreshes_the_home_page(
    editor_client, django_capture_on_commit_callbacks
):
    newsroom(6)
    lead = make_article(headline="Was the lead", published_at=timezone.now() - timedelta(days=1))
    second = make_article(headline="Was second", published_at=timezone.now() - timedelta(days=1))
    third = make_article(headline="Taken off", published_at=timezone.now() - timedelta(days=1))
    slots = [
        FrontPageSlot.objects.create(position=1, article=lead),
        FrontPageSlot.objects.create(position=2, article=second),
        FrontPageSlot.objects.create(position=4, article=third),
    ]
    version = current_versions([CONTENT])

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(OVERVIEW, overview_post(slots, 5, s0=2, s1=1, s2="off"))

    assert response.status_code == 302
    assert {s.article.headline: s.position for s in FrontPageSlot.objects.all()} == {
        "Was second": 1, "Was the lead": 2,
    }  # fmt: skip
    assert current_versions([CONTENT]) != version
    assert front_page_headlines(editor_client)[:2] == ["Was second", "Was the lead"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"s0": 2}, "are both in place 2"),
        ({"s1": 6}, "is in place 6, but the front page has 5 places"),
    ],
)
def test_a_clash_or_a_place_beyond_the_page_is_refused_and_nothing_moves(
    editor_client, changes, message
):
    slots = [
        FrontPageSlot.objects.create(position=1, article=make_article(headline="One")),
        FrontPageSlot.objects.create(position=2, article=make_article(headline="Two")),
    ]

    response = editor_client.post(OVERVIEW, overview_post(slots, 5, **changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert [s.position for s in FrontPageSlot.objects.order_by("article__headline")] == [1, 2]


def test_shrinking_the_page_below_a_chosen_place_is_refused(editor_client):
    slot = FrontPageSlot.objects.create(position=5, article=make_article(headline="Fifth"))

    response = editor_client.post(OVERVIEW, overview_post([slot], 4))

    assert response.status_code == 200
    assert "“Fifth” is in place 5, but the front page has 4 places" in response.content.decode()
    assert FrontPageLayout.current().places == 5


def test_the_home_page_query_budget_holds_with_more_places(client, django_assert_max_num_queries):
    stories = newsroom(20)
    FrontPageLayout.objects.create(pk=1, places=12)
    for position in (1, 7, 12):
        FrontPageSlot.objects.create(position=position, article=stories[-position])
    client.get("/")

    # Expect 5, as with five places: the newest stories (with the number of places); the
    # stories in slots; the bylines of both; the newest few of every section; their bylines.
    with django_assert_max_num_queries(5):
        assert len(front_page_headlines(client)) == 12


def section_headlines(client, path) -> list[str]:
    html = client.get(path).content.decode()
    return re.findall(r'class="story-headline"><a [^>]*>(.*?)</a>', html)


def test_a_section_page_shows_the_editors_top_story_first(editor_client, client):
    world = make_section("World", slug="world")
    old = make_article(
        section=world, headline="The big one", published_at=timezone.now() - timedelta(days=5)
    )
    newer = [make_article(section=world, headline=f"World {n}") for n in range(3)]
    assert section_headlines(client, "/world/")[0] == "World 0"

    form = editor_client.get(reverse("admin:articles_section_change", args=[world.pk]))
    assert 'name="top_story"' in form.content.decode()
    editor_client.post(
        reverse("admin:articles_section_change", args=[world.pk]),
        {"name": "World", "slug": "world", "description": "", "position": "0", "top_story": old.pk},
    )

    assert section_headlines(client, "/world/") == ["The big one", "World 0", "World 1", "World 2"]
    assert section_headlines(client, "/world/?page=2") == []  # not repeated on later pages
    assert newer


def test_a_top_story_that_is_not_public_is_not_shown(client, editor):
    world = make_section("World", slug="world", top_story=None)
    pulled = make_article(section=world, headline="Pulled")
    make_article(section=world, headline="Still here")
    world.top_story = pulled
    world.save()
    pulled.unpublish(by=editor)

    assert section_headlines(client, "/world/") == ["Still here"]


def test_choosing_a_section_top_story_refreshes_the_section_page(
    client, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    world = make_section("World", slug="world")
    pick = make_article(
        section=world, headline="The pick", published_at=timezone.now() - timedelta(days=3)
    )
    make_article(section=world, headline="Newest")
    assert section_headlines(client, "/world/")[0] == "Newest"  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        world.top_story = pick
        world.save()

    assert section_headlines(client, "/world/")[0] == "The pick"


def test_the_section_page_query_budget_holds_with_a_top_story(client, django_assert_num_queries):
    world = make_section("World", slug="world")
    for n in range(14):
        make_article(section=world, headline=f"World {n}")
    world.top_story = make_article(headline="From elsewhere, chosen")
    world.save()
    client.get("/")

    # Expect 4 queries, as without one: the section with its top story; the story count; a
    # page of stories with photos; the bylines of the page and the top story.
    with django_assert_num_queries(4):
        html = client.get("/world/").content.decode()
    assert html.index("From elsewhere, chosen") < html.index("World 0")


def test_rearranging_needs_the_csrf_token(editor):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    slots = [
        FrontPageSlot.objects.create(position=1, article=make_article()),
        FrontPageSlot.objects.create(position=2, article=make_article()),
    ]

    response = browser.post(OVERVIEW, overview_post(slots, 7, s0=2, s1=1))

    assert response.status_code == 403
    assert [s.position for s in FrontPageSlot.objects.order_by("pk")] == [1, 2]
    assert FrontPageLayout.current().places == 5
