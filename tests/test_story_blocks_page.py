"""What readers get of a story's blocks: each kind rendered as it should be, nothing loaded from
a third party before the reader asks, photos credited from the Photo itself and purged with it,
and the page's query count the same whatever the number of blocks."""

import json
import re

import pytest
from django.test import Client

from articles.models import Article
from articles.photos import renditions
from articles.public.invalidation import change_keys
from tests.factories import make_article, make_photo
from tests.test_story_blocks import one_of_each

pytestmark = pytest.mark.django_db


def page_of(story) -> str:
    response = Client().get(story.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def body_of(page: str) -> str:
    return page.split('<div class="article-body">', 1)[1].split('<p class="contributor-note">')[0]


@pytest.fixture
def full_story():
    photo_a = make_photo(photographer="Dana Levi", agency="Reuters", caption="Library caption")
    photo_b = make_photo(photographer="", agency="AP")
    linked = make_article(headline="The earlier talks")
    return make_article(blocks=one_of_each(photo_a, photo_b, linked)), photo_a, photo_b, linked


def test_a_photo_block_is_a_figure_with_the_caption_for_this_use_and_the_photos_own_credit(
    full_story,
):
    story, photo_a, _, _ = full_story
    body = body_of(page_of(story))
    figure = re.search(r'<figure class="photo photo--wide">.*?</figure>', body, re.S).group(0)
    assert '<span class="caption">Delegates arrive</span>' in figure
    assert '<span class="credit">Photo: Dana Levi / Reuters</span>' in figure
    assert f'width="{photo_a.width}" height="{photo_a.height}"' in figure
    assert 'loading="lazy"' in figure  # below the lead photo and the fold


def test_a_corrected_credit_shows_in_every_story_using_the_photo_at_the_next_request(
    full_story,
):
    story, photo_a, _, _ = full_story
    photo_a.photographer = "Dana Levy"
    photo_a.save()
    assert "Photo: Dana Levy / Reuters" in body_of(page_of(story))


def test_a_gallery_lists_every_photo_in_order_with_its_caption_credit_and_a_link_to_each(
    full_story,
):
    story = full_story[0]
    body = body_of(page_of(story))
    gallery = re.search(r'<section class="gallery".*?</section>', body, re.S).group(0)
    assert "The day in pictures" in gallery
    assert gallery.index("1 of 2") < gallery.index("2 of 2")
    assert "Morning" in gallery and "Photo: Dana Levi / Reuters" in gallery
    assert "Photo: AP" in gallery
    assert '<ol class="gallery-items" tabindex="0"' in gallery  # scrollable by keyboard
    assert '<a href="#gallery-4-2">Photo 2</a>' in gallery and 'id="gallery-4-2"' in gallery


def test_an_embed_is_a_local_placeholder_with_a_link_and_privacy_note_loading_nothing(
    full_story,
):
    story = full_story[0]
    page = page_of(story)
    body = body_of(page)
    embed = re.search(r'<figure class="embed.*?</figure>', body, re.S).group(0)
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in embed
    assert "https://policies.google.com/privacy" in embed
    assert 'data-embed-player="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in embed
    # Nothing on the page loads from another host: no frame, no foreign script, image or font.
    assert "<iframe" not in page
    loading = r"<(?:script|img|source|iframe|link(?! rel=\"(?:canonical|alternate))\b)[^>]*>"
    for tag in re.findall(loading, page):
        for address in re.findall(r'(?:src|href|srcset)="([^"]+)"', tag):
            assert not address.startswith(("http://", "https://", "//")), tag
    assert '<script src="/static/articles/embeds.js" defer></script>' in page


def test_quote_fact_box_table_heading_and_story_card_render_as_described(full_story):
    story, _, _, linked = full_story
    body = body_of(page_of(story))
    assert '<h2 id="what-comes-next">What comes next</h2>' in body
    assert "<blockquote><p>We are close.</p></blockquote>" in body
    assert "<figcaption>A mediator</figcaption>" in body
    assert re.search(r'<aside class="factbox"[^>]*>\s*<h2 id="factbox-7">The mediators</h2>', body)
    assert '<caption id="table-8">Visits to the region</caption>' in body
    assert '<th scope="col">Year</th><th scope="col">Visits</th>' in body
    assert "<td>2024</td><td>9</td>" in body
    assert 'class="table-block" role="region" tabindex="0"' in body
    assert f'<a href="{linked.get_absolute_url()}">The earlier talks</a>' in body


def test_a_story_card_drops_out_when_its_story_is_taken_down(full_story, editor):
    story, _, _, linked = full_story
    linked.unpublish(by=editor)
    body = body_of(page_of(story))
    assert "The earlier talks" not in body
    assert 'class="story-link"' not in body


def test_a_deleted_photo_drops_out_of_the_story_instead_of_breaking_it(full_story):
    story, _, photo_b, _ = full_story
    photo_b.delete()
    body = body_of(page_of(story))
    assert "1 of 1" in body and "Photo: AP" not in body


def test_the_page_names_every_photo_it_shows_and_a_photo_change_purges_it(full_story):
    story, photo_a, photo_b, _ = full_story
    keys = Client().get(story.get_absolute_url())["xkey"].split()
    assert f"photo-{photo_a.pk}" in keys and f"photo-{photo_b.pk}" in keys
    assert f"photo-{photo_b.pk}" in change_keys(photo_b, deleted=False)


def test_a_corrected_credit_shows_at_the_next_request_with_the_page_cache_on(
    full_story, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    story, photo_a, _, _ = full_story
    assert "Photo: Dana Levi / Reuters" in page_of(story)
    with django_capture_on_commit_callbacks(execute=True):
        photo_a.agency = "Reuters Pictures"
        photo_a.save()
    assert "Photo: Dana Levi / Reuters Pictures" in body_of(page_of(story))


def test_structured_data_lists_the_block_photos_with_their_sizes(full_story):
    story = full_story[0]
    page = page_of(story)
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    article = next(item for item in map(json.loads, scripts) if item["@type"] == "NewsArticle")
    images = article["image"]
    assert [image["creditText"] for image in images] == ["Dana Levi / Reuters", "AP"]
    assert all(image["width"] and image["height"] for image in images)


def test_structured_data_gives_each_embedded_video_as_a_video_object():
    story = make_article(
        headline="Talks resume",
        blocks=[
            {"type": "embed", "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
            {"type": "embed", "url": "https://x.com/someone/status/1234567890"},  # a post
            {"type": "embed", "url": "https://vimeo.com/76979871"},
        ],
    )
    scripts = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', page_of(story), re.S
    )
    article = next(item for item in map(json.loads, scripts) if item["@type"] == "NewsArticle")
    youtube, vimeo = article["video"]
    assert youtube == {
        "@type": "VideoObject",
        "name": "Talks resume (YouTube video 1 of 2)",
        "embedUrl": "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "uploadDate": article["datePublished"],
    }
    assert vimeo["embedUrl"] == "https://player.vimeo.com/video/76979871"
    assert vimeo["name"] == "Talks resume (Vimeo video 2 of 2)"
    # No thumbnail is stored, so none is named: not a provider's image address either.
    assert "thumbnailUrl" not in youtube


@pytest.mark.parametrize("tags", [["Talks"], []])
def test_a_story_of_thirty_blocks_renders_within_the_budget_of_a_plain_story(
    client, django_assert_max_num_queries, tags
):
    photos = [make_photo(photographer=f"Photographer {n}") for n in range(14)]
    linked = [make_article(headline=f"Linked {n}") for n in range(2)]
    make_article(headline="Sharing a tag", tags=["Talks"], lead_photo=make_photo())
    blocks = [{"type": "photo", "photo": photo.pk} for photo in photos[:8]]
    blocks.append({"type": "gallery", "photos": [{"photo": p.pk} for p in photos[8:]]})
    blocks += [{"type": "embed", "url": f"https://vimeo.com/7697987{n}"} for n in range(3)]
    blocks += [{"type": "text", "html": f"<p>Paragraph {n}.</p>"} for n in range(14)]
    blocks += [{"type": "story", "story": story.pk} for story in linked]
    blocks += [{"type": "quote", "text": "Said.", "attribution": "Someone"}] * 2
    story = make_article(blocks=blocks, tags=tags, lead_photo=make_photo())
    assert len(story.blocks) == 30
    client.get("/")  # warms the cached section navigation, as any earlier page view does

    # The budget of tests/test_article_page.py, whatever the blocks: ours (5) are the story
    # (its block photos in its own row), its tags, related stories (with the stories its cards
    # link to; without tags, those alone), the rail and every byline on the page; the
    # comments region's at most three.
    with django_assert_max_num_queries(8) as captured:
        page = Client().get(story.get_absolute_url()).content.decode()
    ours = [query for query in captured.captured_queries if 'FROM "comments_' not in query["sql"]]
    assert len(ours) == 5, [query["sql"][:120] for query in ours]
    assert body_of(page).count('<figure class="photo') == 8 + 6
    # Each photo as fully as from its own query: its renditions and its credit.
    for photo in photos:
        assert renditions.srcset(photo.rendition_set("webp")) in page
        assert f"{photo.credit}<" in page
    assert page.count('class="story-link"') == 2
    assert "Linked 0" in body_of(page) and "Linked 1" in body_of(page)
    # Related stories are still there, and only them: not the stories the cards link to.
    related = page.split('<section class="related"')[1].split("</section>")[0] if tags else ""
    assert ("Sharing a tag" in related) == bool(tags) and "Linked 0" not in related


def test_a_story_without_photo_or_story_blocks_costs_no_query_more_than_before(
    client, django_assert_max_num_queries
):
    story = make_article(
        blocks=[
            {"type": "text", "html": "<p>Words.</p>"},
            {"type": "quote", "text": "Said.", "attribution": ""},
            {"type": "embed", "url": "https://vimeo.com/76979871"},
        ]
    )
    client.get("/")
    # As tests/test_article_page.py: the story, tags, related, rail, bylines; comments: 3.
    with django_assert_max_num_queries(8):
        assert Client().get(story.get_absolute_url()).status_code == 200


def test_the_staff_preview_shows_blocks_of_a_draft(editor_client):
    photo = make_photo(photographer="Preview Person", agency="")
    story = make_article(status=Article.Status.DRAFT, blocks=[{"type": "photo", "photo": photo.pk}])
    page = editor_client.get(f"/preview/{story.pk}/").content.decode()
    assert "Photo: Preview Person" in page


def test_an_embed_stored_before_its_provider_changed_is_left_out_not_an_error():
    story = make_article(blocks=[{"type": "text", "html": "<p>Still here.</p>"}])
    # Written past the model's checks, as a row from an older release might be.
    Article.objects.filter(pk=story.pk).update(
        blocks=[
            {"type": "text", "html": "<p>Still here.</p>"},
            {"type": "embed", "url": "https://video.example.com/v/1"},
        ]
    )
    page = page_of(Article.objects.get(pk=story.pk))
    assert "Still here." in page and "video.example.com" not in page
