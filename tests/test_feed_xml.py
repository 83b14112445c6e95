"""The feeds' RSS document is written as Django's feed generator writes it, byte for byte."""

import io
from datetime import UTC, datetime

import pytest
from django.utils.feedgenerator import Enclosure, RssFeed
from django.utils.xmlutils import UnserializableContentError

from articles.public.feed_xml import NewsFeedGenerator

AWKWARD = 'Tom & Jerry <b>"quoted"</b> \'single\'\ttab\nnew line > end ש"ע'


def news_feed(text: str) -> NewsFeedGenerator:
    feed = NewsFeedGenerator(
        title=text,
        link="http://testserver/",
        description=text,
        language="en",
        image="http://x/l.png",
    )
    for n, value in enumerate([text, "", "plain"]):
        feed.add_item(
            title=value,
            link=f"http://testserver/story-{n}/?a=1&b=2",
            description=value or None,
            author_name=value or None,
            pubdate=datetime(2026, 1, n + 1, tzinfo=UTC),
            unique_id=f"tag:testserver,2026-01-01:story:{n}",
            unique_id_is_permalink=False,
            enclosures=[Enclosure(f"http://x/{n}.jpg?w=1&h=2", "123", "image/jpeg")],
            categories=[value, "World"],
            content=f"<p>{value}</p>",
            media={
                "url": f"http://x/{value}.jpg",
                "width": 960,
                "height": 540,
                "caption": value,
                "credit": value,
            },
        )
    return feed


def django_document(feed) -> bytes:
    """The document as RssFeed.write makes it with Django's own XML generator."""
    out = io.BytesIO()
    RssFeed.write(feed, out, "utf-8")
    return out.getvalue()


@pytest.mark.parametrize(
    "text", [AWKWARD, "", "\u202bright to left\u202c", "a\r\nb", 'say "no"', "it's", "&<>\t"]
)
def test_the_feed_document_is_the_one_djangos_generator_writes(text):
    feed = news_feed(text)
    ours = io.BytesIO()
    feed.write(ours, "utf-8")
    assert ours.getvalue() == django_document(feed)
    assert b"<content:encoded>&lt;p&gt;" in ours.getvalue()


def test_control_characters_are_refused_as_django_refuses_them():
    with pytest.raises(UnserializableContentError):
        news_feed("bell \x07").write(io.BytesIO(), "utf-8")
