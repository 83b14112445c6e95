"""The content API's contract (docs/api.md): published content only, the story's shape,
pagination, filters and refusals, through the real stack."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.api.blocks import story_blocks
from articles.models import Article, Contributor, Correction, FrontPageSlot
from tests.api_helpers import api_get, make_key
from tests.factories import make_article, make_author, make_photo, make_section

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
    return [item["id"] for item in response.json()["items"]]


def test_only_published_stories_are_listed_or_found(get):
    live = make_article(headline="Live")
    draft = make_article(status=Article.Status.DRAFT)
    review = make_article(status=Article.Status.REVIEW)
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=1))
    withdrawn = make_article()
    withdrawn.status = Article.Status.DRAFT  # unpublished after publication
    withdrawn.save()

    assert ids(get("/api/v1/stories/")) == [live.pk]
    assert get(f"/api/v1/stories/{live.pk}/").status_code == 200
    for hidden in (draft, review, scheduled, withdrawn):
        response = get(f"/api/v1/stories/{hidden.pk}/")
        assert response.status_code == 404, hidden
        assert "private" in response["Cache-Control"]


def test_a_story_carries_what_its_page_shows_and_no_private_field(get):
    photo = make_photo(caption="Antony Blinken", alt_text="Blinken at a podium")
    dana, omer = make_author("Dana Levi", slug="dana-levi"), make_author("Omer Adam", slug="omer")
    story = make_article(
        kicker="Ceasefire Talks",
        headline="Blinken heads to Israel",
        subheadline="Cautious optimism.",
        section=make_section("World", slug="world"),
        authors=[dana, omer],
        tags=["Hostage Deal"],
        lead_photo=photo,
        contributor_note="Ynet contributed to this report.",
        seo_title="SEO only",
        meta_description="Meta only",
    )
    Contributor.objects.create(article=story, name="Ynet", kind="organization")
    Correction.objects.create(article=story, text="We misspelt a name.")

    data = get(f"/api/v1/stories/{story.pk}/").json()

    assert data["kicker"] == "Ceasefire Talks"
    assert data["headline"] == "Blinken heads to Israel"
    assert data["subheadline"] == "Cautious optimism."
    assert data["url"] == f"http://testserver/world/{story.slug}/"
    assert data["section"]["slug"] == "world"
    assert [b["name"] for b in data["bylines"]] == ["Dana Levi", "Omer Adam"]
    assert [t["name"] for t in data["tags"]] == ["Hostage Deal"]
    assert data["lead_photo"]["credit"] == "Photo: Alexandros Michailidis / Shutterstock"
    assert data["lead_photo"]["alt_text"] == "Blinken at a podium"
    assert {r["format"] for r in data["lead_photo"]["renditions"]} == {"jpeg", "webp"}
    assert set(data["lead_photo"]["crops"]) == {"16x9", "4x3", "1x1"}
    assert data["blocks"] == [{"type": "text", "html": story.body}]
    assert data["credits"] == ["Ynet contributed to this report."]
    assert data["contributor_note"] == "Ynet contributed to this report."
    assert [c["text"] for c in data["corrections"]] == ["We misspelt a name."]
    text = str(data)
    for private in ("SEO only", "Meta only", "created_by", "status", "usage_terms", "rights"):
        assert private not in text


def test_the_body_is_the_blocks_of_the_interchange_shape(get):
    story = make_article(body="<p>One.</p><h2>Two</h2>")
    empty = make_article(body="")

    assert get(f"/api/v1/stories/{story.pk}/").json()["blocks"] == story_blocks(story)
    assert story_blocks(story) == [{"type": "text", "html": "<p>One.</p><h2>Two</h2>"}]
    assert get(f"/api/v1/stories/{empty.pk}/").json()["blocks"] == []


def test_lists_are_newest_first_and_paged_by_limit_and_offset(get):
    stories = [make_article() for _ in range(5)]  # each older than the one before
    newest_first = [story.pk for story in stories]

    first = get("/api/v1/stories/?limit=2")
    assert ids(first) == newest_first[:2]
    meta = first.json()["meta"]
    assert meta["previous"] is None
    assert meta["next"] == "http://testserver/api/v1/stories/?limit=2&offset=2"

    last = get("/api/v1/stories/?limit=2&offset=4")
    assert ids(last) == newest_first[4:]
    assert last.json()["meta"]["next"] is None
    assert last.json()["meta"]["previous"] == "http://testserver/api/v1/stories/?limit=2&offset=2"
    assert ids(get("/api/v1/stories/?offset=5")) == []
    assert len(ids(get("/api/v1/stories/"))) == 5  # default limit 20


def test_exactly_the_limit_leaves_no_next_page(get):
    for _ in range(3):
        make_article()
    assert get("/api/v1/stories/?limit=3").json()["meta"]["next"] is None
    assert get("/api/v1/stories/?limit=100").status_code == 200


def test_filters_by_section_topic_author_and_times(get):
    world = make_section("World", slug="world")
    dana = make_author("Dana Levi", slug="dana-levi")
    old = make_article(section=world, published_at=timezone.now() - timedelta(days=10))
    # Published this hour, whatever the factory's counter has reached in earlier tests.
    recently = timezone.now() - timedelta(minutes=5)
    tagged = make_article(tags=["Energy"], authors=[dana], published_at=recently)
    other = make_article(published_at=recently - timedelta(minutes=1))

    assert ids(get("/api/v1/stories/?section=world")) == [old.pk]
    assert ids(get("/api/v1/stories/?topic=energy")) == [tagged.pk]
    assert ids(get("/api/v1/stories/?author=dana-levi")) == [tagged.pk]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    recent = get("/api/v1/stories/", QUERY_STRING=f"published_after={since.replace('+', '%2B')}")
    assert set(ids(recent)) == {tagged.pk, other.pk}
    assert ids(get("/api/v1/stories/?published_before=2000-01-01")) == []

    # A syncing client asks for what changed since its last sync: an edit to an old story counts.
    mark = timezone.now()
    old.headline = "Edited"
    old.save()
    changed = get("/api/v1/stories/", QUERY_STRING=f"updated_since={mark:%Y-%m-%dT%H:%M:%S.%fZ}")
    assert ids(changed) == [old.pk]


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("offset=10001", "offset"),
        ("page=2", "page"),
        ("section=nowhere", "section"),
        ("topic=nothing", "topic"),
        ("author=nobody", "author"),
        ("published_after=yesterday", "published_after"),
        ("updated_since=2026-13-45", "updated_since"),
        ("format=xml", "format"),
        ("limit=1&limit=2", "limit"),
        ("section=", "section"),
    ],
)
def test_unknown_or_malformed_parameters_answer_400_naming_the_parameter(get, query, parameter):
    make_article()
    response = get(f"/api/v1/stories/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [parameter]
    assert "private" in response["Cache-Control"]


def test_other_lists_refuse_story_filters_and_ninjs(get):
    assert list(get("/api/v1/sections/?section=world").json()) == ["section"]
    assert list(get("/api/v1/topics/?format=ninjs").json()) == ["format"]


def test_sections_topics_and_authors_list_only_what_readers_can_reach(get):
    world = make_section("World", slug="world")
    dana = make_author("Dana Levi", slug="dana-levi")
    secret = make_author("Not yet", slug="not-yet")
    make_article(section=world, authors=[dana], tags=["Energy"])
    make_article(status=Article.Status.DRAFT, authors=[secret], tags=["Unannounced"])

    assert "world" in [s["slug"] for s in get("/api/v1/sections/").json()["items"]]
    assert [t["slug"] for t in get("/api/v1/topics/").json()["items"]] == ["energy"]
    assert [a["slug"] for a in get("/api/v1/authors/").json()["items"]] == ["dana-levi"]


def test_corrections_of_public_stories_only_newest_first(get):
    story, draft = make_article(headline="Public"), make_article(status=Article.Status.DRAFT)
    older = Correction.objects.create(
        article=story, text="First.", published_at=timezone.now() - timedelta(hours=2)
    )
    newer = Correction.objects.create(article=story, text="Second.")
    Correction.objects.create(article=draft, text="Hidden.")
    Correction.objects.create(
        article=story, text="Later.", published_at=timezone.now() + timedelta(hours=1)
    )

    items = get("/api/v1/corrections/").json()["items"]
    assert [c["id"] for c in items] == [newer.pk, older.pk]
    assert items[0]["story"]["headline"] == "Public"


def test_the_front_page_as_editors_arranged_it(get):
    chosen = make_article(published_at=timezone.now() - timedelta(days=3))
    newest = [make_article(lead_photo=make_photo()) for _ in range(5)]
    hidden = make_article(status=Article.Status.DRAFT)
    FrontPageSlot.objects.create(position=1, article=chosen)
    FrontPageSlot.objects.create(position=2, article=hidden)

    data = get("/api/v1/front-page/").json()
    assert data["lead"]["id"] == chosen.pk
    assert [s["id"] for s in data["top"]] == [s.pk for s in newest[:4]]


def test_story_list_and_detail_run_a_fixed_number_of_queries(get, django_assert_num_queries):
    for n in range(30):
        story = make_article(tags=[f"Topic {n}"], lead_photo=make_photo() if n < 3 else None)
        Correction.objects.create(article=story, text="Fixed.")
        Contributor.objects.create(article=story, name="Ynet")
    # Expect 5 queries: the stories (section and photo joined), their bylines with authors, their
    # topics, their corrections, their contributor credits. The API key is kept (in the cache,
    # put there when it was saved): no query.
    with django_assert_num_queries(5):
        assert len(get("/api/v1/stories/?limit=25").json()["items"]) == 25
    with django_assert_num_queries(5):
        assert len(get("/api/v1/stories/?limit=25&format=ninjs").json()["items"]) == 25
    # Expect 5 queries: the same, for one story.
    with django_assert_num_queries(5):
        assert get(f"/api/v1/stories/{story.pk}/").status_code == 200
    # Expect 6 queries: the section by its slug, then the five above.
    section = story.section.slug
    with django_assert_num_queries(6):
        assert get(f"/api/v1/stories/?section={section}").status_code == 200
    # Expect 6 queries: the newest stories, the stories in places, then the parts (bylines,
    # topics, corrections, contributors) of the five shown.
    with django_assert_num_queries(6):
        assert get("/api/v1/front-page/").status_code == 200


def test_no_section_can_take_the_apis_address():
    from django.core.exceptions import ValidationError

    from articles.models import validate_section_slug

    with pytest.raises(ValidationError):
        validate_section_slug("api")


def test_dump_stories_and_the_api_give_the_same_blocks(get):
    """The API's blocks are the dump's (without --output: photos and stories by id)."""
    import json
    from io import StringIO

    from django.core.management import call_command

    photo, linked = make_photo(), make_article()
    story = make_article(
        blocks=[
            {"type": "text", "html": "<p>One.</p><p>Two.</p>"},
            {"type": "gallery", "photos": [{"photo": photo.pk}, {"photo": photo.pk}]},
            {"type": "story", "story": linked.pk},
        ]
    )
    out = StringIO()
    call_command("dump_stories", stdout=out)
    [dumped] = [s for s in json.loads(out.getvalue())["stories"] if s["slug"] == story.slug]

    assert get(f"/api/v1/stories/{story.pk}/").json()["blocks"] == dumped["blocks"]
    assert dumped["blocks"][2] == {"type": "story", "story": linked.pk}


def test_corrections_and_credits_are_asked_for_only_where_a_story_has_some(
    get, django_assert_num_queries
):
    """A list asks for corrections and contributor credits only when one of its stories has
    some: the stories, their bylines and topics, then a query for each kind found. A story's
    correction not due yet is not shown, and asks nothing until it is."""
    plain = [make_article() for _ in range(3)]
    not_yet = make_article()
    Correction.objects.create(
        article=not_yet, text="Tomorrow.", published_at=timezone.now() + timedelta(days=1)
    )
    with django_assert_num_queries(3):
        items = get("/api/v1/stories/").json()["items"]
    assert [(item["corrections"], item["contributors"]) for item in items] == [([], [])] * 4

    corrected, credited = plain[0], plain[1]
    Correction.objects.create(article=corrected, text="Fixed.")
    Correction.objects.create(
        article=corrected, text="Fixed first.", published_at=timezone.now() - timedelta(hours=1)
    )
    Contributor.objects.create(article=credited, name="Reuters")
    with django_assert_num_queries(5):
        items = {item["id"]: item for item in get("/api/v1/stories/").json()["items"]}
    assert [c["text"] for c in items[corrected.pk]["corrections"]] == ["Fixed first.", "Fixed."]
    assert [c["name"] for c in items[credited.pk]["contributors"]] == ["Reuters"]
    assert items[credited.pk]["corrections"] == items[not_yet.pk]["corrections"] == []
    assert items[corrected.pk]["contributors"] == items[plain[2].pk]["contributors"] == []
    with django_assert_num_queries(4):
        story = get(f"/api/v1/stories/{credited.pk}/").json()
    assert (story["corrections"], [c["name"] for c in story["contributors"]]) == ([], ["Reuters"])


def test_a_shapes_fields_are_built_once_and_each_answer_gets_its_own(rf, monkeypatch):
    """The story shape's fields are read from the model once, not for every answer; yet each
    answer's serializer holds fields of its own, bound to it, so two answers made for two
    addresses of the site each write their own links."""
    from rest_framework.utils import model_meta

    from articles.api import queries
    from articles.api.serializers import StorySerializer

    made = make_article(section=make_section("World", slug="world"))
    story = queries.with_parts(Article.objects.published()).get(pk=made.pk)
    queries.attach_parts([story])
    # Every shape of the answer built here, if no test has yet.
    assert StorySerializer(story, context={"request": rf.get("/")}).data["id"] == story.pk
    read, get_field_info = [], model_meta.get_field_info
    monkeypatch.setattr(
        model_meta, "get_field_info", lambda model: read.append(model) or get_field_info(model)
    )
    answers = []
    for host in ("localhost", "127.0.0.1"):
        request = rf.get("/api/v1/stories/", HTTP_HOST=host)
        serializer = StorySerializer(story, context={"request": request})
        answers.append((serializer, serializer.data))

    (first, first_data), (second, second_data) = answers
    assert read == []
    assert first.fields["headline"] is not second.fields["headline"]
    assert first.fields["section"].parent is first and second.fields["section"].parent is second
    assert first_data["url"] == f"http://localhost{story.get_absolute_url()}"
    assert second_data["url"] == f"http://127.0.0.1{story.get_absolute_url()}"
    assert second_data["section"]["url"] == "http://127.0.0.1/world/"


def test_the_front_page_asks_for_corrections_and_credits_only_where_its_stories_have_some(
    get, django_assert_num_queries
):
    """The front page's stories, as the home page reads them, each knowing whether it has
    corrections or credits: the newest stories, the stories in places, their bylines and topics,
    then a query for each kind one of the stories shown has."""
    stories = [make_article() for _ in range(6)]
    with django_assert_num_queries(4):
        data = get("/api/v1/front-page/").json()
    shown = [data["lead"], *data["top"]]
    assert all(story["corrections"] == story["contributors"] == [] for story in shown)

    Correction.objects.create(article=stories[1], text="Fixed.")
    with django_assert_num_queries(5):
        data = get("/api/v1/front-page/").json()
    assert data["lead"]["id"] == stories[0].pk
    corrected = {story["id"]: story["corrections"] for story in [data["lead"], *data["top"]]}
    assert [c["text"] for c in corrected.pop(stories[1].pk)] == ["Fixed."]
    assert all(corrections == [] for corrections in corrected.values())
