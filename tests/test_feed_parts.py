"""What a feed item is made of, worked out the short way, is what the long way gives."""

import unicodedata
import xml.etree.ElementTree as ET

import pytest

from articles.models import Article, Byline
from articles.photos import renditions
from articles.public import seo
from articles.public.feed_queries import BYLINES
from articles.public.feeds import LatestStoriesFeed
from tests.factories import make_article, make_author, make_photo
from tests.test_story_blocks import one_of_each

pytestmark = pytest.mark.django_db

CONTENT = "{http://purl.org/rss/1.0/modules/content/}"


@pytest.mark.parametrize("width", [1, 320, 640, 801, 5000])
def test_a_photos_rendition_is_the_one_picked_from_its_set(width):
    photo = make_photo()

    assert photo.rendition(width) == renditions.pick(photo.rendition_set("jpeg"), width)
    assert photo.rendition(width, "webp") == renditions.pick(photo.rendition_set("webp"), width)


def test_a_photo_whose_renditions_are_of_another_file_has_none():
    photo = make_photo()
    photo.image.name = "photos/replaced-since.jpg"  # renditions are made after each upload

    assert photo.rendition_set("jpeg") == []
    assert photo.rendition(640) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("A short subheadline", "A short subheadline"),
        ("x" * 200, "x" * 200),
        ("x" * 201, "x" * 199 + "…"),
        # Decomposed: 200 letters and their accents, 400 characters until NFC joins them.
        ("e\u0301" * 200, "é" * 200),
        ("e\u0301" * 201, "é" * 199 + "…"),
    ],
)
def test_a_description_is_cut_at_200_characters(text, expected):
    assert seo.description(Article(subheadline=text)) == expected
    assert unicodedata.is_normalized("NFC", seo.description(Article(subheadline=text)))


def test_the_feeds_kept_bylines_query_gives_what_its_queryset_gives(django_assert_num_queries):
    first = make_article(authors=[make_author(name="Dana Levi"), make_author(name="Ron Ben")])
    second = make_article(authors=[make_author(name="Michael Rosen")])
    asked = [
        [first.pk],
        [second.pk, first.pk],
        [first.pk, second.pk, first.pk],
        [second.pk, first.pk, 0],
    ]
    for ids in asked * 2:  # again: its SQL then comes from the kept one
        expected = list(
            Byline.objects.filter(article__in=ids)
            .order_by("position", "pk")
            .values_list("article", "author", "author__name")
        )
        with django_assert_num_queries(1):
            assert BYLINES.rows(ids=ids) == expected
    assert BYLINES.rows(ids=[]) == []


def test_a_feed_subclass_still_gives_what_django_asks_of_a_feed(rf):
    story = make_article(authors=[make_author(name="Dana Levi")])

    class CommentedFeed(LatestStoriesFeed):
        def item_comments(self, item):
            return f"http://testserver/comments/{item.pk}/"

        item_author_email = "desk@example.com"

    channel = ET.fromstring(CommentedFeed()(rf.get("/feed/")).content).find("channel")
    (item,) = channel.findall("item")

    assert item.findtext("comments") == f"http://testserver/comments/{story.pk}/"
    assert item.findtext("author") == "desk@example.com (Dana Levi)"
    assert item.findtext("title") == story.headline


def test_an_items_photos_and_linked_stories_cost_one_query_for_the_whole_feed(
    client, django_assert_num_queries
):
    for n in range(3):
        linked = make_article(headline=f"Earlier talks {n}")
        draft = make_article(headline=f"Draft {n}", status=Article.Status.DRAFT)
        to_draft = {"type": "story", "story": draft.pk}
        make_article(blocks=[*one_of_each(make_photo(), make_photo(), linked), to_draft])

    # The stories (with their block photos), their bylines, their tags, the linked stories.
    with django_assert_num_queries(4):
        items = ET.fromstring(client.get("/feed/").content).find("channel").findall("item")

    contents = [item.findtext(f"{CONTENT}encoded") for item in items]
    shown = [content for content in contents if "<figure>" in content]
    assert len(shown) == 3
    for n, content in enumerate(shown):  # the first made is the newest (make_article)
        linked = Article.objects.get(headline=f"Earlier talks {n}")
        link = (
            f'<p><a href="http://testserver{linked.get_absolute_url()}">Earlier talks {n}</a></p>'
        )
        assert link in content
        assert "Draft" not in content
        assert content.count("<figure>") == 3  # the photo block and the gallery's two
