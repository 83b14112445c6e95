"""The content API's photos (docs/api.md): only photos a published story shows, with their
credit, renditions and rights, paged, refused, cached and purged like every other answer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.api import queries
from articles.models import ApiKey, Article
from articles.public.invalidation import change_keys, story_change_keys
from tests.api_helpers import api_get, make_key
from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def key():
    return make_key()


@pytest.fixture
def get(client, key):
    def fetch(path, **headers):
        return api_get(client, path, key, **headers)

    return fetch


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_only_photos_a_published_story_shows_are_listed_or_found(get, editor):
    lead, social, inline, in_gallery = (make_photo() for _ in range(4))
    story = make_article(
        lead_photo=lead,
        social_image=social,
        blocks=[
            {"type": "photo", "photo": inline.pk},
            {"type": "gallery", "photos": [{"photo": in_gallery.pk}, {"photo": lead.pk}]},
        ],
    )
    in_library = make_photo()  # in no story
    drafted = make_photo()
    make_article(status=Article.Status.DRAFT, lead_photo=drafted)
    scheduled = make_photo()
    make_article(published_at=timezone.now() + timedelta(hours=1), lead_photo=scheduled)
    embargoed = make_photo()
    until = timezone.now() + timedelta(hours=2)
    make_article(
        published_at=until,
        embargo_until=until,
        blocks=[{"type": "photo", "photo": embargoed.pk}],
    )
    withdrawn = make_photo()
    taken_down = make_article(lead_photo=withdrawn)
    taken_down.unpublish(by=editor)

    shown = [in_gallery, inline, social, lead]  # newest upload first
    assert ids(get("/api/v1/photos/")) == [photo.pk for photo in shown]
    for photo in shown:
        found = get(f"/api/v1/photos/{photo.pk}/")
        assert found.status_code == 200 and found.json()["stories"] == [story.pk]
    for hidden in (in_library, drafted, scheduled, embargoed, withdrawn):
        response = get(f"/api/v1/photos/{hidden.pk}/")
        assert response.status_code == 404, hidden
        assert "private" in response["Cache-Control"]
    assert get("/api/v1/photos/999999/").status_code == 404


def test_a_photo_carries_its_credit_renditions_and_rights(get):
    photo = make_photo(
        caption="Blinken at the podium",
        alt_text="A man at a podium",
        photographer="Dana Levi",
        agency="Reuters",
        usage_terms="Editorial use only.",
        rights_expire_on=timezone.localdate() + timedelta(days=30),
    )
    older = make_article(blocks=[{"type": "photo", "photo": photo.pk}])
    newer = make_article(lead_photo=photo, published_at=timezone.now())

    item = get(f"/api/v1/photos/{photo.pk}/").json()
    assert set(item) == {
        "id", "caption", "alt_text", "credit", "photographer", "agency", "width", "height",
        "original", "renditions", "crops", "usage_terms", "rights_expire_on", "stories",
    }  # fmt: skip
    assert item["credit"] == "Photo: Dana Levi / Reuters"
    assert item["usage_terms"] == "Editorial use only."
    assert item["rights_expire_on"] == (timezone.localdate() + timedelta(days=30)).isoformat()
    assert item["stories"] == [newer.pk, older.pk]
    assert (item["width"], item["height"]) == (photo.width, photo.height)
    assert item["renditions"], "the stored renditions, each with its size"
    for rendition in item["renditions"]:
        assert rendition["url"].startswith("http://testserver/")
        assert rendition["width"] and rendition["height"] and rendition["format"]
    # The same shape in the list.
    assert get("/api/v1/photos/").json()["items"] == [item]


def test_the_list_is_paged_by_limit_and_offset(get):
    photos = [make_photo() for _ in range(5)]
    make_article(blocks=[{"type": "photo", "photo": photo.pk} for photo in photos])
    newest_first = [photo.pk for photo in reversed(photos)]

    first = get("/api/v1/photos/?limit=2")
    assert ids(first) == newest_first[:2]
    assert first.json()["meta"]["next"] == "http://testserver/api/v1/photos/?limit=2&offset=2"
    assert first.json()["meta"]["previous"] is None
    last = get("/api/v1/photos/?limit=2&offset=4")
    assert ids(last) == newest_first[4:]
    assert last.json()["meta"]["next"] is None
    assert get("/api/v1/photos/?limit=5").json()["meta"]["next"] is None  # exactly the limit
    assert ids(get("/api/v1/photos/?offset=5")) == []


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("offset=-1", "offset"),
        ("offset=10001", "offset"),
        ("section=world", "section"),
        ("format=ninjs", "format"),
        ("limit=1&limit=2", "limit"),
    ],
)
def test_unknown_or_malformed_parameters_answer_400_naming_the_parameter(get, query, parameter):
    make_article(lead_photo=make_photo())
    response = get(f"/api/v1/photos/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [parameter]
    assert "private" in response["Cache-Control"]


def test_keys_none_wrong_and_revoked_are_refused_with_401(client, key):
    photo = make_photo()
    make_article(lead_photo=photo)
    for path in ["/api/v1/photos/", f"/api/v1/photos/{photo.pk}/"]:
        assert client.get(path).status_code == 401
        wrong = f"Api-Key {key.partition('.')[0]}.wrong-secret"
        assert client.get(path, HTTP_AUTHORIZATION=wrong).status_code == 401
    ApiKey.objects.get().revoke()
    response = api_get(client, "/api/v1/photos/", key)
    assert response.status_code == 401 and "revoked" in response.json()["detail"]


def test_a_key_over_its_rate_gets_429(client, key, settings):
    settings.NEWSROOM_API_RATE_PER_MINUTE = 2
    make_article(lead_photo=make_photo())
    statuses = [api_get(client, "/api/v1/photos/", key).status_code for _ in range(3)]
    if statuses != [200, 200, 429]:  # the clock minute turned between the requests
        statuses = [api_get(client, "/api/v1/photos/", key).status_code for _ in range(3)]
    assert statuses[-1] == 429


def test_answers_are_public_cacheable_with_304s(client, key):
    photo = make_photo()
    make_article(lead_photo=photo)
    for path in ["/api/v1/photos/", f"/api/v1/photos/{photo.pk}/"]:
        first = api_get(client, path, key)
        assert first["Cache-Control"].startswith("public, max-age=60, s-maxage=60"), path
        assert "Authorization" in first["Vary"]
        again = api_get(client, path, key, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, path

    photo.photographer = "Someone Else"
    photo.save()
    path = f"/api/v1/photos/{photo.pk}/"
    changed = api_get(client, path, key, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["photographer"] == "Someone Else"


def test_a_photo_change_and_a_story_change_purge_the_answers_showing_them(client, key):
    photo, other = make_photo(), make_photo()
    story = make_article(lead_photo=photo)
    make_article(lead_photo=other)
    detail = set(api_get(client, f"/api/v1/photos/{photo.pk}/", key)["xkey"].split())
    listed = set(api_get(client, "/api/v1/photos/", key)["xkey"].split())

    assert change_keys(photo, deleted=False) & detail
    assert change_keys(photo, deleted=False) & listed
    assert f"photo-{other.pk}" not in detail  # exactly: another photo's change misses it
    # A story that stops showing it, or a new story that starts to, purges both.
    assert story_change_keys(story, story) & detail
    newcomer = make_article(lead_photo=make_photo())
    assert story_change_keys(newcomer, None) & listed & detail


def test_a_kept_answer_shows_a_corrected_credit_at_the_next_request(
    client, key, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    photo = make_photo(photographer="Dana Levi")
    make_article(lead_photo=photo)
    path = f"/api/v1/photos/{photo.pk}/"
    assert api_get(client, path, key).json()["credit"].startswith("Photo: Dana Levi")
    with django_capture_on_commit_callbacks(execute=True):
        photo.photographer = "Dana Levy"
        photo.save()
    assert api_get(client, path, key).json()["credit"].startswith("Photo: Dana Levy")


def test_the_list_runs_a_fixed_number_of_queries(get, django_assert_num_queries):
    for _ in range(10):
        make_article(
            lead_photo=make_photo(),
            blocks=[{"type": "gallery", "photos": [{"photo": make_photo().pk} for _ in "ab"]}],
        )
    # Expect 2 queries: the photos, the stories showing them (the API key is kept: no query).
    with django_assert_num_queries(2):
        assert len(ids(get("/api/v1/photos/?limit=15"))) == 15


def test_a_photo_in_many_stories_names_the_newest_twenty_in_any_way_they_show_it(get):
    """A file photo (a minister's portrait) can be in thousands of stories: the answer names the
    newest few, so neither it nor the work of making it grows with the archive."""
    portrait = make_photo()
    for _ in range(7):
        make_article(lead_photo=portrait)
        make_article(social_image=portrait)
        make_article(blocks=[{"type": "photo", "photo": portrait.pk}])
    every = Article.objects.published().order_by("-published_at", "-pk")
    newest_first = list(every.values_list("pk", flat=True))
    assert len(newest_first) == 21

    answer = get(f"/api/v1/photos/{portrait.pk}/")
    listed = get("/api/v1/photos/").json()["items"]

    assert answer.json()["stories"] == newest_first[:20]
    assert [item["stories"] for item in listed] == [newest_first[:20]]


def test_the_quickstarts_ranking_of_a_photos_stories_agrees_with_postgres_own():
    """SQLite (the quickstart) has no LATERAL: it ranks every use of the photos instead, and
    must name the same stories in the same order."""
    portrait, other = make_photo(), make_photo()
    for _ in range(8):
        make_article(lead_photo=portrait, social_image=other)
        make_article(social_image=portrait)
        make_article(blocks=[{"type": "photo", "photo": portrait.pk}], lead_photo=other)
    make_article(lead_photo=portrait, status=Article.Status.DRAFT)
    published = Article.objects.published().order_by()
    wanted = [portrait.pk, other.pk]

    ranked = queries._all_uses_ranked(published, wanted)
    newest = published.order_by("-published_at", "-pk")
    expected = [(portrait.pk, pk) for pk in newest.showing(portrait).values_list("pk", flat=True)]
    expected = expected[:20] + [
        (other.pk, pk) for pk in newest.showing(other).values_list("pk", flat=True)[:20]
    ]
    assert ranked == queries._newest_uses_by_photo(published, wanted) == expected
    assert len(ranked) == 20 + 16
