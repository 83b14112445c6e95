"""Stories in and out as the interchange JSON: `load_stories FILE --by USER` and
`dump_stories`: each story whole or not at all, the user's rights applying, and a dump loaded
into an empty database dumping the same JSON."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from articles.models import Article, Photo
from tests.factories import image_bytes, make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def run(command, *args, **options):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err, **options)
    except CommandError as error:
        return 1, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def photo_file(tmp_path, name, **credit):
    (tmp_path / "files").mkdir(exist_ok=True)
    (tmp_path / "files" / name).write_bytes(image_bytes())
    return {
        "file": f"files/{name}",
        "caption": credit.get("caption", ""),
        "alt_text": credit.get("alt_text", "Delegates at the table"),
        "photographer": credit.get("photographer", "Dana Levi"),
        "agency": credit.get("agency", "Reuters"),
        "rights_expire_on": None,
    }


def story_data(tmp_path, **changes):
    return {
        "external_id": "source-123",
        "section": "world",
        "authors": ["dana-levi"],
        "tags": ["Hostage Deal"],
        "kicker": "Talks",
        "headline": "Talks resume in Cairo",
        "subheadline": "Mediators return.",
        "status": "published",
        "published_at": "2026-12-06T10:00:00Z",
        "contributor_note": "",
        "lead_photo": None,
        "blocks": [
            {"type": "text", "html": "<p>The talks resumed on Monday.</p>"},
            {"type": "heading", "text": "What comes next"},
            {
                "type": "photo",
                "photo": photo_file(tmp_path, "table.jpg", caption="At the table"),
                "caption": "Delegates arrive",
                "size": "column",
            },
            {
                "type": "gallery",
                "caption": "The day",
                "photos": [
                    {"photo": photo_file(tmp_path, "one.jpg", agency="AP"), "caption": "One"},
                    {"photo": photo_file(tmp_path, "two.jpg", agency="AFP"), "caption": "Two"},
                ],
            },
            {"type": "embed", "url": YOUTUBE},
            {"type": "quote", "text": "We are close.", "attribution": "A mediator"},
            {"type": "factbox", "title": "Mediators", "html": "<p>Qatar and Egypt.</p>"},
            {"type": "table", "caption": "Visits", "header": ["Year"], "rows": [["2025"]]},
            {"type": "story", "story": "source-100"},
        ],
        **changes,
    }


@pytest.fixture
def newsroom(db):
    make_section(name="World", slug="world")
    make_author(name="Dana Levi", slug="dana-levi")


def write(tmp_path, stories) -> str:
    path = tmp_path / "stories.json"
    path.write_text(json.dumps({"stories": stories}))
    return str(path)


def earlier_story():
    return {
        "external_id": "source-100",
        "section": "world",
        "authors": ["dana-levi"],
        "headline": "Earlier talks",
        "status": "published",
        "published_at": "2026-12-01T10:00:00Z",
        "blocks": [{"type": "text", "html": "<p>Earlier.</p>"}],
    }


def test_a_story_with_one_block_of_each_kind_loads_and_shows_on_page_feed_and_json_ld(
    tmp_path, newsroom, editor
):
    path = write(tmp_path, [earlier_story(), story_data(tmp_path)])

    code, out, err = run("load_stories", path, by="editor")

    assert (code, err) == (0, "")
    assert "Loaded 2 stories (2 created, 0 updated); 0 refused." in out
    story = Article.objects.get(external_id="source-123")
    assert story.is_published and [a.slug for a in story.byline_authors] == ["dana-levi"]
    page = Client().get(story.get_absolute_url()).content.decode()
    assert "Photo: Dana Levi / Reuters" in page and "Photo: Dana Levi / AP" in page
    assert "Earlier talks" in page and "We are close." in page
    assert '<caption id="table-8">Visits</caption>' in page
    assert 'class="embed embed--youtube"' in page and "<iframe" not in page
    assert '"creditText": "Dana Levi / AFP"' in page
    feed = Client().get("/feed/").content.decode()
    assert "xmlns:content=" in feed
    encoded = feed.split("<content:encoded>")[1].split("</content:encoded>")[0]
    assert "&lt;figure&gt;" in encoded and "Photo: Dana Levi / Reuters" in encoded
    assert f"YouTube: {YOUTUBE}" in encoded  # the embed as its plain link
    assert "iframe" not in encoded


def test_a_bad_story_is_one_line_naming_it_and_the_field_and_nothing_of_it_is_kept(
    tmp_path, newsroom, editor
):
    bad = story_data(tmp_path, external_id="source-999")
    bad["blocks"].append({"type": "embed", "url": "javascript:alert(1)"})
    path = write(tmp_path, [earlier_story(), bad])

    code, out, err = run("load_stories", path, by="editor")

    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("story")]
    assert lines == [
        "story source-999: blocks: Block 10 (embed): url: An embed needs the web address of "
        "the post or video (https://…); “javascript:alert(1)” is not one."
    ]
    assert "1 refused" in out
    assert not Article.objects.filter(external_id="source-999").exists()
    assert Article.objects.filter(external_id="source-100").exists()
    assert Photo.objects.count() == 0  # the bad story's photos went with it


def stored_files(settings) -> list[str]:
    media = settings.MEDIA_ROOT
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def test_a_refused_story_leaves_no_file_of_its_photos_in_storage(
    tmp_path, newsroom, editor, settings
):
    good = earlier_story()
    good["lead_photo"] = photo_file(tmp_path, "kept.jpg")
    bad = story_data(tmp_path, external_id="source-999")  # three photos of its own
    bad["blocks"].append({"type": "embed", "url": "javascript:alert(1)"})  # found after them
    unreadable = story_data(tmp_path, external_id="source-998")
    (tmp_path / "files" / "broken.jpg").write_bytes(b"not an image")
    unreadable["lead_photo"] = photo_file(tmp_path, "one.jpg")
    unreadable["blocks"][2]["photo"] = {**photo_file(tmp_path, "x.jpg"), "file": "files/broken.jpg"}

    code, _, err = run("load_stories", write(tmp_path, [good, bad, unreadable]), by="editor")

    assert code == 1 and "source-999" in err
    assert "story source-998: blocks 3 (photo) photo: files/broken.jpg: " in err  # not a photo
    kept = Photo.objects.get()  # the good story's lead photo, and only its files remain
    assert stored_files(settings) == sorted(
        [kept.image.name, *(item["name"] for fmt in ("jpeg", "webp") for item in kept.renditions[fmt]),
         *(crop["name"] for crop in kept.renditions.get("crops", {}).values())]
    )  # fmt: skip


def test_a_loaded_photo_is_verified_and_re_encoded_without_its_metadata(tmp_path, newsroom, editor):
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    out = io.BytesIO()
    Image.new("RGB", (400, 200), (200, 10, 10)).save(out, "JPEG", exif=exif)
    story = earlier_story()
    story["lead_photo"] = photo_file(tmp_path, "camera.jpg")
    (tmp_path / "files" / "camera.jpg").write_bytes(out.getvalue())

    assert run("load_stories", write(tmp_path, [story]), by="editor")[0] == 0
    with Image.open(Photo.objects.get().image.path) as stored:
        assert not stored.getexif()


@pytest.mark.parametrize(
    ("change", "line"),
    [
        ({"colour": "red"}, "story source-123: colour: is not a field of a story."),
        ({"section": "wrld"}, "story source-123: section: no section 'wrld'."),
        (
            {"kind": "gossip"},
            "story source-123: kind: must be one of news, analysis, opinion, review, sponsored, "
            "live.",
        ),
        ({"entries": [{}]}, "story source-123: entries: only live stories have entries."),
        (
            {"authors": []},
            "story source-123: authors: A published story needs at least one byline.",
        ),
    ],
)
def test_each_refusal_names_the_story_and_the_field(tmp_path, newsroom, editor, change, line):
    make_article(external_id="source-100")
    code, _, err = run(
        "load_stories", write(tmp_path, [story_data(tmp_path, **change)]), by="editor"
    )
    assert code == 1
    assert line in err.splitlines()


def test_a_reporter_cannot_publish_through_a_load(tmp_path, newsroom, reporter):
    make_article(external_id="source-100")
    code, _, err = run("load_stories", write(tmp_path, [story_data(tmp_path)]), by="reporter")
    assert code == 1
    assert "story source-123: status: reporter may not publish; load it as review." in err
    assert not Article.objects.filter(external_id="source-123").exists()
    # As a story for review it loads.
    code, _, err = run(
        "load_stories",
        write(tmp_path, [story_data(tmp_path, status="review", published_at=None)]),
        by="reporter",
    )
    assert (code, err) == (0, "")
    assert Article.objects.get(external_id="source-123").status == "review"


def test_a_story_card_may_name_a_story_later_in_the_file(tmp_path, newsroom, editor):
    path = write(tmp_path, [story_data(tmp_path), earlier_story()])
    code, _, err = run("load_stories", path, by="editor")
    assert (code, err) == (0, "")
    story = Article.objects.get(external_id="source-123")
    assert story.blocks[-1]["story"] == Article.objects.get(external_id="source-100").pk


def test_loading_again_updates_the_story_matched_by_external_id(tmp_path, newsroom, editor):
    make_article(external_id="source-100")
    path = write(tmp_path, [story_data(tmp_path)])
    run("load_stories", path, by="editor")
    path = write(tmp_path, [story_data(tmp_path, headline="Talks end in Cairo")])
    code, out, _ = run("load_stories", path, by="editor")
    assert code == 0 and "(0 created, 1 updated)" in out
    assert Article.objects.get(external_id="source-123").headline == "Talks end in Cairo"


def test_dump_then_load_into_an_empty_database_then_dump_gives_the_same_json(
    tmp_path, newsroom, editor
):
    world = make_section(name="Region", slug="region")
    lead = make_photo(caption="Lead", rights_expire_on=None)
    inline = make_photo(caption="Inline", photographer="Omer Adam", agency="")
    other = make_photo(caption="Other")
    linked = make_article(section=world, headline="Linked", tags=["Gaza"])
    make_article(
        section=world,
        headline="Made of blocks",
        lead_photo=lead,
        tags=["Hostage Deal", "Antony Blinken"],
        external_id="source-7",
        blocks=[
            {"type": "text", "html": "<p>Words.</p>"},
            {"type": "photo", "photo": inline.pk, "caption": "", "size": "wide"},
            {
                "type": "gallery",
                "caption": "",
                "photos": [{"photo": inline.pk}, {"photo": other.pk}],
            },
            {"type": "embed", "url": "https://vimeo.com/76979871"},
            {"type": "table", "caption": "T", "header": [], "rows": [["a", "b"]]},
            {"type": "story", "story": linked.pk},
        ],
    )
    first = tmp_path / "first" / "dump.json"
    first.parent.mkdir()
    assert run("dump_stories", "--output", str(first))[0] == 0

    # An empty database: no story, no photo (sections and authors are set up beforehand).
    Article.objects.all().delete()
    Photo.objects.all().delete()
    code, _, err = run("load_stories", str(first), by="editor")
    assert (code, err) == (0, "")

    second = tmp_path / "second" / "dump.json"
    second.parent.mkdir()
    run("dump_stories", "--output", str(second))
    assert second.read_text() == first.read_text()
    dumped = {story["headline"]: story for story in json.loads(first.read_text())["stories"]}
    blocks = dumped["Made of blocks"]["blocks"]
    assert blocks[1]["photo"]["photographer"] == "Omer Adam"
    assert blocks[2]["photos"][0]["photo"] == blocks[1]["photo"]  # one photo, used twice
    assert blocks[5]["story"] == dumped["Linked"]["external_id"]
    assert sorted(p.name for p in (tmp_path / "second" / "dump-photos").iterdir()) == [
        "0001.jpg", "0002.jpg", "0003.jpg",
    ]  # fmt: skip


def test_dump_since_writes_only_stories_changed_since(newsroom):
    make_article(headline="Old and unchanged")
    Article.objects.update(updated_at="2020-01-01T00:00:00Z")
    make_article(headline="Changed today")
    _, out, _ = run("dump_stories", "--since", "2021-01-01")
    headlines = [story["headline"] for story in json.loads(out)["stories"]]
    assert headlines == ["Changed today"]


def test_without_an_output_folder_photos_and_linked_stories_are_ids_of_this_database(newsroom):
    photo, linked = make_photo(), make_article(external_id="source-1")
    make_article(
        external_id="source-2",
        blocks=[{"type": "photo", "photo": photo.pk}, {"type": "story", "story": linked.pk}],
    )
    _, out, _ = run("dump_stories")
    [story] = [s for s in json.loads(out)["stories"] if s["external_id"] == "source-2"]
    assert story["blocks"] == [
        {"type": "photo", "photo": photo.pk, "caption": "", "size": "column"},
        {"type": "story", "story": linked.pk},
    ]
