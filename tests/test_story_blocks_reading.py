"""Everything that read the body reads the blocks: search, the "material change" rule,
descriptions, versions (compare and restore), the guards on photos in published stories, the
desk's rights warnings, the agency credit report and the story form."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.editorial import credit_report, revisions
from articles.models import Article
from articles.public import seo
from tests.admin_forms import article_post, form_data
from tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


@pytest.mark.parametrize(
    ("block", "word"),
    [
        ({"type": "heading", "text": "Desalination plans"}, "desalination"),
        ({"type": "quote", "text": "Water comes first.", "attribution": "Mayor"}, "water"),
        ({"type": "factbox", "title": "Facts", "html": "<p>Aquifers shrink.</p>"}, "aquifers"),
        ({"type": "table", "caption": "Output", "rows": [["Reservoirs", "9"]]}, "reservoirs"),
    ],
)
def test_search_finds_words_in_headings_quotes_fact_boxes_and_table_cells(client, block, word):
    make_article(headline="A story", blocks=[{"type": "text", "html": "<p>x</p>"}, block])
    page = client.get("/search/", {"q": word}).content.decode()
    assert "A story" in page


def test_search_finds_a_caption_written_for_a_photo_in_the_story(client):
    photo = make_photo()
    make_article(
        headline="Pictured", blocks=[{"type": "photo", "photo": photo.pk, "caption": "Flamingos"}]
    )
    assert "Pictured" in client.get("/search/", {"q": "flamingos"}).content.decode()


def test_a_new_quote_is_a_material_change_and_a_typo_in_a_table_is_not():
    story = make_article(
        blocks=[{"type": "table", "caption": "Visits", "rows": [["Jerusalem", "Tel Aviv"]]}]
    )
    previous = Article.objects.get(pk=story.pk)
    story.blocks = [{"type": "table", "caption": "Visits", "rows": [["Jerusalem", "Tel-Aviv"]]}]
    assert not story.changes_materially(previous)
    story.blocks = [
        *story.blocks,
        {"type": "quote", "text": "We will not sign anything this week.", "attribution": "An aide"},
    ]
    assert story.changes_materially(previous)


def test_the_description_falls_back_to_the_first_words_of_the_blocks():
    story = make_article(
        subheadline="",
        blocks=[{"type": "heading", "text": "Opening"}, {"type": "text", "html": "<p>Words.</p>"}],
    )
    assert seo.description(story) == "Opening Words."


def test_compare_shows_blocks_added_and_moved_and_restore_brings_them_back(editor_client):
    photo = make_photo(caption="Harbour")
    story = make_article(status=Article.Status.DRAFT, body="<p>Original text.</p>")
    page = editor_client.get(change_url(story))
    editor_client.post(change_url(story), form_data(page))  # the first recorded version
    original = revisions.versions_of(story.pk)[0]
    blocks = [
        {"type": "photo", "photo": photo.pk, "caption": "", "size": "wide"},
        {"type": "text", "html": "<p>Original text.</p>"},
        {"type": "quote", "text": "Not yet.", "attribution": "An aide"},
    ]
    response = editor_client.post(
        change_url(story),
        form_data(editor_client.get(change_url(story)), blocks=json.dumps(blocks)),
    )
    assert response.status_code == 302
    newer = revisions.versions_of(story.pk)[0]

    compared = editor_client.get(
        reverse("admin:articles_article_compare", args=[story.pk]),
        {"a": original.pk, "b": newer.pk},
    ).content.decode()
    assert "Blocks" in compared
    assert f"photo {photo.pk} (wide)" in compared and "quote: Not yet." in compared

    url = reverse("admin:articles_article_revision", args=[story.pk, original.pk])
    response = editor_client.post(url, form_data(editor_client.get(url)))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.blocks == [{"type": "text", "html": "<p>Original text.</p>"}]
    assert not story.block_photos.exists()


def test_a_reporter_cannot_change_a_photo_shown_inside_a_published_story(reporter_client):
    photo = make_photo(caption="Inline")
    make_article(blocks=[{"type": "photo", "photo": photo.pk}])
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    page = reporter_client.get(url)
    assert page.status_code == 200 and b'name="caption"' not in page.content
    response = reporter_client.post(url, {"caption": "Changed", "alt_text": "x"})
    assert response.status_code == 403


def test_the_desk_lists_live_stories_with_an_expiring_photo_inside_them(editor_client):
    today = timezone.localdate()
    expiring = make_photo(caption="Gallery photo", rights_expire_on=today + timedelta(days=2))
    make_article(
        headline="Gallery at risk",
        blocks=[
            {"type": "gallery", "photos": [{"photo": make_photo().pk}, {"photo": expiring.pk}]}
        ],
    )
    make_article(headline="Safe story", blocks=[{"type": "photo", "photo": make_photo().pk}])
    desk = editor_client.get(reverse("admin:index")).content.decode()
    desk = desk.split('class="module rights-warning"')[1].split("</div>")[0]
    assert "Gallery at risk" in desk and "“Gallery photo”" in desk and "Safe story" not in desk
    filtered = editor_client.get(reverse("admin:articles_photo_changelist") + "?rights=expiring")
    assert list(filtered.context["cl"].result_list) == [expiring]


def test_the_agency_credit_report_counts_photos_inside_stories_and_galleries():
    when = timezone.make_aware(timezone.datetime(2026, 11, 10, 12))
    lead = make_photo(agency="Reuters")
    inline, in_gallery = make_photo(agency="AP"), make_photo(agency="AP")
    make_article(
        published_at=when,
        lead_photo=lead,
        blocks=[
            {"type": "photo", "photo": inline.pk},
            {"type": "gallery", "photos": [{"photo": inline.pk}, {"photo": in_gallery.pk}]},
        ],
    )
    rows = credit_report.credit_rows(date(2026, 11, 1))
    assert sorted((row.agency, row.photo_id, row.use) for row in rows) == sorted(
        [
            ("Reuters", lead.pk, "lead"),
            ("AP", inline.pk, "in the story"),
            ("AP", in_gallery.pk, "in the story"),
        ]
    )
    assert {"agency": "AP", "photos": 2, "stories": 2} in credit_report.totals(rows)


def test_the_story_form_stores_blocks_sanitised_and_says_which_block_is_wrong(editor_client):
    section, author = make_section(), make_author()
    blocks = [
        {"type": "text", "html": "<p>Fine</p><script>alert(1)</script>"},
        {"type": "embed", "url": "https://evil.example.com/x"},
    ]
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_post(section=section, authors=[author], blocks=json.dumps(blocks)),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["blocks"]
    assert errors[0].startswith(
        "Block 2 (embed): url: evil.example.com is not a provider we embed."
    )
    assert not Article.objects.exists()

    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_post(section=section, authors=[author], blocks=json.dumps(blocks[:1])),
    )
    assert response.status_code == 302
    assert Article.objects.get().blocks == [{"type": "text", "html": "<p>Fine</p>"}]


def test_the_story_form_refuses_to_publish_with_a_photo_inside_that_lacks_alt_text(editor_client):
    section, author = make_section(), make_author()
    photo = make_photo(alt_text="")
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_post(
            section=section,
            authors=[author],
            status=Article.Status.PUBLISHED,
            blocks=json.dumps([{"type": "photo", "photo": photo.pk}]),
        ),
    )
    assert response.status_code == 200
    assert (
        f"Photo {photo.pk} ({photo}) needs alt text before the story is published."
        in (response.context["adminform"].form.errors["blocks"])
    )


def test_a_reporter_edits_a_drafts_blocks_in_the_form(reporter_client):
    story = make_article(status=Article.Status.DRAFT, body="<p>Draft.</p>")
    blocks = [{"type": "heading", "text": "New part"}, {"type": "text", "html": "<p>Draft.</p>"}]
    response = reporter_client.post(
        change_url(story),
        form_data(reporter_client.get(change_url(story)), blocks=json.dumps(blocks)),
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.blocks == blocks
