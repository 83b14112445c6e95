import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import set_script_prefix
from django.utils import timezone

from articles.models import Article, ArticleRedirect
from newsroom.demo import REFERENCE, ensure_authors, ensure_reference_article, ensure_sections
from tests.factories import make_article, make_author, make_photo, make_section
from tests.factories_comments import make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference():
    return ensure_reference_article(ensure_sections(), ensure_authors())


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "the page has no JSON-LD"
    return json.loads(match.group(1))


def test_the_reference_article_shows_everything_the_contract_names(client, reference):
    html = page(client, reference.get_absolute_url())

    assert reference.get_absolute_url() == f"/world/{REFERENCE['slug']}/"
    assert '<p class="kicker">Antony Blinken, Ceasefire Talks</p>' in html
    assert (
        '<h1 class="headline">Blinken heads to Israel as ceasefire talks gain momentum</h1>' in html
    )
    assert "U.S. officials express cautious optimism but acknowledge challenges ahead.</p>" in html
    assert '<span class="caption">Antony Blinken</span>' in html
    assert '<span class="credit">Photo: Alexandros Michailidis / Shutterstock</span>' in html
    assert '<p class="contributor-note">Ynet contributed to this report.</p>' in html
    assert '<a href="/tag/antony-blinken/" rel="tag">Antony Blinken</a>' in html
    assert '<a href="/tag/hostage-deal/" rel="tag">Hostage Deal</a>' in html
    assert '<a href="/author/dana-levi/" rel="author">Dana Levi</a>' in html
    assert '<a href="/author/michael-rosen/" rel="author">Michael Rosen</a>' in html
    assert "his tenth trip to the region" in html
    assert "<strong>bridging proposals</strong>" in html
    assert f'<time datetime="{reference.published_at.isoformat(timespec="seconds")}">' in html


def test_the_lead_photo_is_a_responsive_picture_with_its_alt_text(client, reference):
    html = page(client, reference.get_absolute_url())
    figure = re.search(r'<figure class="photo">.*?</figure>', html, re.S).group()

    assert '<source type="image/webp" srcset="' in figure
    assert re.search(r'srcset="[^"]*-320\.jpg 320w, [^"]*-640\.jpg 640w', figure)
    assert 'width="1600" height="1000"' in figure
    assert 'alt="Antony Blinken speaking at a lectern in front of flags"' in figure
    # Above the fold: fetched at once, not lazily.
    assert 'fetchpriority="high"' in figure
    assert 'loading="lazy"' not in figure


def test_the_json_ld_is_a_news_article_with_every_field(client, reference):
    data = json_ld(page(client, reference.get_absolute_url()))

    assert data["@type"] == "NewsArticle"
    assert data["headline"] == REFERENCE["headline"]
    assert data["description"] == REFERENCE["subheadline"]
    assert data["image"][0]["url"].startswith("http://testserver/media/renditions/")
    assert data["datePublished"] == reference.published_at.isoformat(timespec="seconds")
    assert data["dateModified"] >= data["datePublished"]
    assert [author["name"] for author in data["author"]] == ["Dana Levi", "Michael Rosen"]
    assert data["author"][0]["url"] == "http://testserver/author/dana-levi/"
    assert data["publisher"]["name"] == "Newsroom"
    assert sorted(data["keywords"]) == ["Antony Blinken", "Hostage Deal"]
    assert data["mainEntityOfPage"]["@id"] == f"http://testserver{reference.get_absolute_url()}"


def test_json_ld_cannot_be_broken_out_of_by_a_headline(client):
    story = make_article(headline="</script><script>alert(1)</script>")
    html = page(client, story.get_absolute_url())

    assert "<script>alert(1)" not in html
    assert json_ld(html)["headline"] == "</script><script>alert(1)</script>"


def test_the_page_carries_canonical_description_and_social_tags(client, reference):
    html = page(client, reference.get_absolute_url())
    url = f"http://testserver{reference.get_absolute_url()}"

    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta name="description" content="{REFERENCE["subheadline"]}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert re.search(
        r'<meta property="og:image" content="http://testserver/media/[^"]+\.jpg">', html
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/feed/section/world/"' in html


def test_text_is_escaped_and_only_the_sanitised_body_is_raw_html(client):
    story = make_article(
        kicker="<b>kick</b>",
        headline="Tom & Jerry <i>return</i>",
        body="<p>Fine <strong>markup</strong></p><script>alert(1)</script>",
        contributor_note="<img src=x onerror=alert(1)>",
    )
    html = page(client, story.get_absolute_url())

    assert "&lt;b&gt;kick&lt;/b&gt;" in html
    assert "Tom &amp; Jerry &lt;i&gt;return&lt;/i&gt;" in html
    assert "Fine <strong>markup</strong>" in html
    assert "alert(1)</script>" not in html
    assert "<img src=x" not in html


def test_related_stories_share_tags_most_shared_first(client):
    story = make_article(tags=["Energy", "Gas", "Cyprus"])
    one = make_article(headline="Shares one tag", tags=["Energy"])
    two = make_article(headline="Shares two tags", tags=["Gas", "Cyprus"])
    make_article(headline="Shares nothing", tags=["Football"])
    make_article(
        headline="A draft sharing all", tags=["Energy", "Gas"], status=Article.Status.DRAFT
    )

    html = page(client, story.get_absolute_url())
    related = re.search(r'<section class="related".*?</section>', html, re.S).group()

    assert related.index(two.headline) < related.index(one.headline)
    assert "Shares nothing" not in related
    assert "A draft sharing all" not in html


def test_related_stories_come_from_the_month_either_side_of_the_story(client):
    now = timezone.now()
    story = make_article(tags=["Energy", "Gas"], published_at=now - timedelta(days=40))
    make_article(headline="Weeks before", tags=["Energy"], published_at=now - timedelta(days=65))
    make_article(headline="Weeks after", tags=["Energy"], published_at=now - timedelta(days=15))
    make_article(
        headline="Months before", tags=["Energy", "Gas"], published_at=now - timedelta(days=75)
    )
    make_article(headline="Months after", tags=["Energy", "Gas"], published_at=now)

    html = page(client, story.get_absolute_url())
    related = re.search(r'<section class="related".*?</section>', html, re.S).group()

    assert "Weeks before" in related
    assert "Weeks after" in related
    assert "Months before" not in related
    assert "Months after" not in related


def test_the_latest_news_rail_lists_newest_stories_with_kicker_author_and_time(client):
    now = timezone.now()
    old = make_article(headline="Older news", published_at=now - timedelta(days=3))
    recent = make_article(
        headline="Fresh news",
        kicker="Breaking",
        authors=[make_author("Rina Stern")],
        published_at=now - timedelta(minutes=25),
    )
    make_article(headline="Scheduled news", published_at=now + timedelta(days=1))
    story = make_article(published_at=now - timedelta(hours=5))

    html = page(client, story.get_absolute_url())
    rail = re.search(r'<aside class="rail".*?</aside>', html, re.S).group()

    assert rail.index("Fresh news") < rail.index("Older news")
    assert "Scheduled news" not in rail
    assert '<p class="kicker">Breaking</p>' in rail
    assert "Rina Stern" in rail
    assert "25 min ago</time>" in rail
    assert f"{old.published_at:%-d %b %Y}</time>" in rail
    assert f'href="{recent.get_absolute_url()}"' in rail


def test_drafts_review_and_scheduled_stories_are_404_to_the_public(client):
    section = make_section(slug="world")
    draft = make_article(section=section, slug="draft-story", status=Article.Status.DRAFT)
    review = make_article(section=section, slug="in-review", status=Article.Status.REVIEW)
    scheduled = make_article(
        section=section, slug="tomorrow", published_at=timezone.now() + timedelta(hours=3)
    )

    for story in (draft, review, scheduled):
        assert client.get(f"/world/{story.slug}/").status_code == 404
        assert client.get(f"/preview/{story.pk}/").status_code == 302  # to the login page


def test_staff_preview_shows_drafts_and_scheduled_stories_without_indexing(editor_client):
    draft = make_article(headline="Draft headline", status=Article.Status.DRAFT)
    scheduled = make_article(
        headline="Scheduled headline", published_at=timezone.now() + timedelta(hours=3)
    )

    draft_html = page(editor_client, f"/preview/{draft.pk}/")
    scheduled_html = page(editor_client, f"/preview/{scheduled.pk}/")

    assert "Draft headline</h1>" in draft_html
    assert "this story is draft and readers cannot see it" in draft_html
    assert "Scheduled headline</h1>" in scheduled_html
    assert "scheduled for" in scheduled_html
    assert '<meta name="robots" content="noindex, nofollow">' in draft_html
    assert draft.get_absolute_url() == f"/preview/{draft.pk}/"
    response = editor_client.get(f"/preview/{draft.pk}/")
    assert "no-store" in response["Cache-Control"]


def test_a_reporter_can_preview_but_the_published_url_of_a_draft_is_still_404(reporter_client):
    draft = make_article(status=Article.Status.DRAFT)

    assert reporter_client.get(f"/preview/{draft.pk}/").status_code == 200
    assert reporter_client.get(f"/{draft.section.slug}/{draft.slug}/").status_code == 404


def test_unknown_slugs_are_404(client):
    story = make_article()

    assert client.get(f"/{story.section.slug}/no-such-story/").status_code == 404
    assert client.get("/no-such-section/no-such-story/").status_code == 404


def test_the_wrong_section_answers_301_to_the_canonical_address(client):
    story = make_article()
    other = make_section()

    response = client.get(f"/{other.slug}/{story.slug}/")

    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_an_old_url_answers_301_after_a_slug_change(client, editor):
    story = make_article(slug="first-slug")
    old_url = story.get_absolute_url()

    story.slug = "second-slug"
    story.save()
    response = client.get(old_url)

    assert response.status_code == 301
    assert response["Location"] == f"/{story.section.slug}/second-slug/"
    assert client.get(response["Location"]).status_code == 200


def test_old_urls_follow_a_story_through_several_moves_and_sections(client):
    story = make_article(slug="one")
    first_url = story.get_absolute_url()
    story.slug = "two"
    story.save()
    second_url = story.get_absolute_url()
    story.section = make_section(slug="politics")
    story.slug = "three"
    story.save()

    for url in (first_url, second_url):
        response = client.get(url)
        assert response.status_code == 301
        assert response["Location"] == "/politics/three/"


def test_moving_back_to_an_old_address_makes_it_live_again(client):
    story = make_article(slug="alpha")
    story.slug = "beta"
    story.save()
    story.slug = "alpha"
    story.save()

    assert client.get(f"/{story.section.slug}/alpha/").status_code == 200
    assert client.get(f"/{story.section.slug}/beta/").status_code == 301
    assert not ArticleRedirect.objects.filter(old_path=f"/{story.section.slug}/alpha/").exists()


def test_renaming_an_unpublished_story_leaves_no_redirect(client):
    draft = make_article(slug="draft-one", status=Article.Status.DRAFT)
    draft.slug = "draft-two"
    draft.save()

    assert not ArticleRedirect.objects.exists()


def test_an_old_url_of_a_story_since_unpublished_is_404(client, editor):
    story = make_article(slug="was-here")
    old_url = story.get_absolute_url()
    story.slug = "moved"
    story.save()
    story.unpublish(by=editor)

    assert client.get(old_url).status_code == 404


def test_a_material_change_after_publication_shows_an_updated_stamp(client):
    story = make_article(body="<p>The talks resumed on Monday in Cairo.</p>")
    html = page(client, story.get_absolute_url())
    assert "Updated" not in html

    story.body = (
        "<p>The talks resumed on Monday in Cairo, and negotiators agreed a framework "
        "for a first phase.</p>"
    )
    story.save()
    html = page(client, story.get_absolute_url())

    story.refresh_from_db()
    assert story.revised_at is not None
    assert (
        f'<span class="updated">Updated <time datetime="{story.revised_at.isoformat(timespec="seconds")}">'
        in html
    )


def test_a_typo_fix_is_not_a_material_change(client):
    story = make_article(body="<p>The talks resumd on Monday in Cairo.</p>")

    story.body = "<p>The talks resumed on Monday in Cairo.</p>"
    story.save()

    story.refresh_from_db()
    assert story.revised_at is None


def test_editing_before_publication_never_stamps_updated(client):
    story = make_article(status=Article.Status.DRAFT, body="<p>One.</p>")
    story.body = "<p>A completely different and much longer draft of the story.</p>"
    story.save()

    story.refresh_from_db()
    assert story.revised_at is None


def test_a_repeat_request_gets_304_not_modified(client, reference):
    url = reference.get_absolute_url()
    first = client.get(url)

    assert first["ETag"]
    assert first["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 304
    assert again.content == b""
    assert since.status_code == 304


def test_a_changed_story_is_not_answered_304(client):
    story = make_article()
    first = client.get(story.get_absolute_url())

    story.headline = "A new headline for the story"
    story.save()
    again = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert "A new headline for the story" in again.content.decode()


def test_a_newly_approved_comment_changes_the_etag(client):
    story = make_article()
    first = client.get(story.get_absolute_url())

    make_comment(story, body="A freshly approved comment.")
    again = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert "A freshly approved comment." in again.content.decode()


def test_article_pages_are_shared_by_readers_and_never_cached_for_staff(editor_client):
    story = make_article()

    anonymous = Client().get(story.get_absolute_url())
    staff = editor_client.get(story.get_absolute_url())

    # Nothing on it is the reader's own (the comment form has no per-reader token): any cache
    # may keep it.
    assert anonymous["Cache-Control"].startswith("public, max-age=60, s-maxage=60")
    assert not anonymous.cookies
    assert "no-store" in staff["Cache-Control"]
    assert "private" in staff["Cache-Control"]


def test_the_comments_region_is_on_the_article_page(client, reference):
    make_comment(reference, body="An approved comment on the talks.")

    html = page(client, reference.get_absolute_url())

    assert '<section id="comments"' in html
    assert "An approved comment on the talks." in html
    assert html.index('<nav class="tags"') < html.index('<section id="comments"')


def _story_with(*, tags: int, authors: int, comments: int) -> Article:
    story = make_article(
        authors=[make_author() for _ in range(authors)],
        tags=[f"Topic {n}" for n in range(tags)],
        lead_photo=make_photo(),
    )
    for n in range(3):
        make_article(tags=[f"Topic {n % tags}"], lead_photo=make_photo())
    for _ in range(comments):
        make_comment(story)
    return story


@pytest.mark.parametrize(
    ("tags", "authors", "comments"), [(1, 1, 0), (20, 1, 0), (1, 5, 0), (20, 5, 200)]
)
def test_the_article_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, tags, authors, comments
):
    story = _story_with(tags=tags, authors=authors, comments=comments)
    client.get("/")  # warms the cached section navigation, as any earlier page view does

    # Expect at most 8 queries, the same for 1 or 20 tags, 1 or 5 authors, 0 or 200 comments:
    # ours (5): the story with its section and lead photo (and whether it has corrections or
    # contributors: this one has none, so they are not asked for); its tags; related stories
    # with sections and photos; the latest-news rail; the bylines of every story on the page.
    # The comments region (at most 3): threads, their replies, the count when threads overflow.
    with django_assert_max_num_queries(8) as captured:
        response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    ours = [query for query in captured.captured_queries if 'FROM "comments_' not in query["sql"]]
    assert len(ours) == 5, [query["sql"][:120] for query in ours]


def test_a_story_address_follows_the_script_prefix():
    # Story paths are remembered: one under another script prefix is another path.
    story = make_article()
    plain = story.get_absolute_url()
    set_script_prefix("/news/")
    try:
        assert story.get_absolute_url() == f"/news{plain}"
    finally:
        set_script_prefix("/")
    assert story.get_absolute_url() == plain
