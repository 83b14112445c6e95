"""A story's body is an ordered list of typed blocks: cleaned, sanitised and checked on every
save, with `body` derived from them for search; existing bodies became a first text block."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from articles.models import Article
from articles.models.blocks import clean_blocks, readable_html
from articles.models.embeds import recognise
from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<p onclick="x()">Fine <script>alert(1)</script><a href="javascript:alert(2)">link</a></p>'
)


def one_of_each(photo_a, photo_b, linked):
    return [
        {"type": "text", "html": "<p>The talks resumed in <strong>Cairo</strong>.</p>"},
        {"type": "heading", "text": "What comes next"},
        {"type": "photo", "photo": photo_a.pk, "caption": "Delegates arrive", "size": "wide"},
        {
            "type": "gallery",
            "caption": "The day in pictures",
            "photos": [{"photo": photo_a.pk, "caption": "Morning"}, {"photo": photo_b.pk}],
        },
        {"type": "embed", "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
        {"type": "quote", "text": "We are close.", "attribution": "A mediator"},
        {
            "type": "factbox",
            "title": "The mediators",
            "html": "<ul><li>Qatar</li><li>Egypt</li></ul>",
        },
        {
            "type": "table",
            "caption": "Visits to the region",
            "header": ["Year", "Visits"],
            "rows": [["2024", "9"], ["2025", "1"]],
        },
        {"type": "story", "story": linked.pk},
    ]


def test_every_kind_of_block_is_stored_in_order_with_its_optional_fields_filled_in():
    photo_a, photo_b, linked = make_photo(), make_photo(), make_article()
    story = make_article(blocks=one_of_each(photo_a, photo_b, linked))
    story.refresh_from_db()
    assert [block["type"] for block in story.blocks] == [
        "text", "heading", "photo", "gallery", "embed", "quote", "factbox", "table", "story",
    ]  # fmt: skip
    assert story.blocks[3]["photos"][1] == {"photo": photo_b.pk, "caption": ""}
    assert set(story.block_photos.values_list("pk", flat=True)) == {photo_a.pk, photo_b.pk}


@pytest.mark.parametrize(
    "block",
    [
        {"type": "text", "html": HOSTILE},
        {"type": "factbox", "title": "Facts", "html": HOSTILE},
    ],
)
def test_html_in_text_and_fact_boxes_is_sanitised_when_stored(block):
    story = make_article(blocks=[block])
    stored = story.blocks[0]["html"]
    assert "<script" not in stored and "onclick" not in stored and "javascript:" not in stored
    assert "Fine" in stored


def test_hostile_markup_in_captions_quotes_and_table_cells_is_kept_as_text_and_escaped(client):
    photo = make_photo()
    story = make_article(
        blocks=[
            {"type": "photo", "photo": photo.pk, "caption": "<img src=x onerror=alert(1)>"},
            {"type": "quote", "text": "<script>alert(2)</script>", "attribution": "<b>x</b>"},
            {"type": "table", "caption": "<i>t</i>", "rows": [["<script>alert(3)</script>"]]},
        ]
    )
    page = client.get(story.get_absolute_url()).content.decode()
    assert "<img src=x" not in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "is not one"),
        ("data:text/html,<script>alert(1)</script>", "is not one"),
        ("https://evil.example.com/embed", "evil.example.com is not a provider we embed"),
        ("https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ", "is not a provider"),
        ("https://www.youtube.com/feed/trending", "does not point at something"),
    ],
)
def test_embeds_from_unknown_providers_or_other_schemes_are_refused_with_a_clear_error(
    url, message
):
    with pytest.raises(ValidationError) as refused:
        clean_blocks([{"type": "text", "html": "<p>x</p>"}, {"type": "embed", "url": url}])
    assert refused.value.messages[0].startswith("Block 2 (embed): url: ")
    assert message in refused.value.messages[0]


@pytest.mark.parametrize(
    ("url", "player"),
    [
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://x.com/nasa/status/1234567890123", "https://platform.twitter.com/embed/"),
        ("https://www.instagram.com/p/C1a2b3c4d5/", "https://www.instagram.com/p/C1a2b3c4d5/"),
        ("https://www.tiktok.com/@bbc/video/7312345678901234567", "https://www.tiktok.com/embed/"),
        ("https://www.facebook.com/bbcnews/posts/1234567", "https://www.facebook.com/plugins/"),
        (
            "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
            "https://open.spotify.com/embed/",
        ),
        ("https://soundcloud.com/artist/a-track", "https://w.soundcloud.com/player/?url="),
        ("https://datawrapper.dwcdn.net/AbC12/3/", "https://datawrapper.dwcdn.net/AbC12/"),
        ("https://public.flourish.studio/visualisation/1234567/", "https://flo.uri.sh/"),
        ("https://www.google.com/maps/place/Cairo+Egypt/", "https://maps.google.com/maps?q=Cairo"),
    ],
)
def test_each_known_provider_is_recognised_and_given_its_player(url, player):
    assert recognise(url).player_url.startswith(player)


def test_unknown_fields_types_and_missing_photos_are_errors_naming_the_block_and_field():
    with pytest.raises(ValidationError) as refused:
        clean_blocks(
            [
                {"type": "text", "html": "<p>Fine.</p>"},
                {"type": "heading", "text": "x", "colour": "red"},
                {"type": "poll"},
                {"type": "gallery", "photos": [{"photo": 1}]},
                {"type": "photo", "photo": 1, "size": "huge"},
            ]
        )
    assert refused.value.messages == [
        "Block 2 (heading): heading blocks have no field colour.",
        "Block 3: type must be one of text, heading, photo, gallery, embed, quote, factbox, "
        "table, story, not 'poll'.",
        "Block 4 (gallery): photos: a gallery needs two or more photos.",
        "Block 5 (photo): size must be one of column, wide, full.",
    ]
    story = Article(headline="x", slug="x", blocks=[{"type": "photo", "photo": 999_999}])
    with pytest.raises(ValidationError) as missing:
        story.full_clean()
    assert missing.value.message_dict["blocks"] == [
        "Photo 999999 is not in the library (it may have been deleted)."
    ]


def test_the_body_is_the_blocks_words_in_one_piece_for_search():
    photo = make_photo()
    story = make_article(
        blocks=[
            {"type": "heading", "text": "Desalination"},
            {"type": "quote", "text": "Water first.", "attribution": "The mayor"},
            {"type": "factbox", "title": "Plant", "html": "<p>Opens in May.</p>"},
            {"type": "table", "caption": "Output", "header": ["Litres"], "rows": [["9000"]]},
            {"type": "photo", "photo": photo.pk, "caption": "The pumping hall"},
        ]
    )
    assert story.body == readable_html(story.blocks)
    for words in ["Desalination", "Water first.", "The mayor", "Opens in May.", "9000", "pumping"]:
        assert words in story.body


def test_code_from_before_blocks_that_writes_the_body_changes_the_text_block():
    story = make_article(body="<p>First version.</p>")
    assert story.blocks == [{"type": "text", "html": "<p>First version.</p>"}]
    story.body = "<p>Second version.</p>"
    story.save()
    story.refresh_from_db()
    assert story.blocks == [{"type": "text", "html": "<p>Second version.</p>"}]


def test_removing_every_block_empties_the_body():
    story = make_article(body="<p>Gone soon.</p>")
    story.blocks = []
    story.save()
    story.refresh_from_db()
    assert story.body == "" and story.blocks == []


def test_the_migration_turns_every_existing_body_into_a_first_text_block_losing_nothing():
    bodies = ["<p>One <strong>two</strong>.</p><h2>Three</h2><ul><li>four</li></ul>", ""]
    stories = [make_article(body=body) for body in bodies]
    # As the rows were before migration 0013: a body and no blocks.
    Article.objects.filter(pk__in=[s.pk for s in stories]).update(blocks=[])
    migration = importlib.import_module("articles.migrations.0015_story_blocks")

    migration.body_to_first_text_block(apps, None)

    with_body, empty = Article.objects.order_by("pk").filter(pk__in=[s.pk for s in stories])
    assert with_body.blocks == [{"type": "text", "html": bodies[0]}]
    assert with_body.body == bodies[0]
    assert empty.blocks == [] and empty.body == ""


def test_a_photo_in_the_blocks_without_alt_text_or_with_expired_rights_stops_publishing(
    editor,
):
    fine = make_photo()
    no_alt = make_photo(alt_text="")
    expired = make_photo(rights_expire_on=date(2020, 1, 31))
    story = make_article(
        status=Article.Status.DRAFT,
        blocks=[
            {"type": "photo", "photo": fine.pk},
            {"type": "gallery", "photos": [{"photo": no_alt.pk}, {"photo": expired.pk}]},
        ],
    )
    with pytest.raises(ValidationError) as refused:
        story.publish(by=editor)
    messages = refused.value.message_dict["blocks"]
    assert f"Photo {no_alt.pk} ({no_alt}) needs alt text before the story is published." in messages
    assert any(f"Photo {expired.pk}" in m and "expired on 31 January 2020" in m for m in messages)
    assert not any(f"Photo {fine.pk} " in m for m in messages)
