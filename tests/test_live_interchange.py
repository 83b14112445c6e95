"""Kinds, embargoes and live entries in the interchange shape: dump → load into an empty database
→ dump gives the same JSON; a load still refuses what the desk refuses (publishing under
embargo, a reporter publishing or lifting an embargo, a reporter's entries made public)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, LiveEntry, Photo
from articles.models.live import set_coverage
from tests.factories import make_article, make_author, make_photo, make_section
from tests.test_story_interchange import run, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom(db):
    make_section(name="World", slug="world")
    make_author(name="Dana Levi", slug="dana-levi")


def live_story(**changes) -> dict:
    return {
        "external_id": "live-1",
        "kind": "live",
        "section": "world",
        "authors": ["dana-levi"],
        "headline": "Storm hits the coast",
        "status": "published",
        "published_at": "2026-12-06T08:00:00Z",
        "blocks": [{"type": "text", "html": "<p>What we know.</p>"}],
        "entries": [
            {
                "external_id": "e-1",
                "published_at": "2026-12-06T08:05:00Z",
                "headline": "Roads closed",
                "blocks": [{"type": "text", "html": "<p>Closed.</p>"}],
                "pinned": True,
                "key_event": False,
                "author": "dana-levi",
                "status": "published",
            },
            {
                "external_id": "e-2",
                "published_at": "2026-12-06T08:10:00Z",
                "headline": "",
                "blocks": [{"type": "quote", "text": "Stay home.", "attribution": "Police"}],
                "pinned": False,
                "key_event": True,
                "author": None,
                "status": "published",
            },
        ],
        **changes,
    }


def test_dump_then_load_into_an_empty_database_then_dump_gives_the_same_json(
    tmp_path, newsroom, editor, reporter
):
    world = make_section(name="Region", slug="region")
    author = make_author(name="Noa Peretz", slug="noa-peretz")
    photo = make_photo(caption="Flooded square")
    story = make_article(section=world, kind=Article.Kind.LIVE, headline="Floods")
    LiveEntry.post(story, by=editor, headline="Water rising", author=author, pinned=True,
                   blocks=[{"type": "photo", "photo": photo.pk, "caption": "", "size": "wide"}])  # fmt: skip
    LiveEntry.post(story, by=editor, blocks=[{"type": "text", "html": "<p>Sirens.</p>"}],
                   key_event=True)  # fmt: skip
    LiveEntry.post(story, by=reporter, blocks=[{"type": "text", "html": "<p>Held.</p>"}])
    set_coverage(story, open=False, by=editor)
    soon = timezone.now() + timedelta(days=1)
    make_article(section=world, kind=Article.Kind.OPINION, headline="A view",
                 embargo_until=soon, published_at=soon, external_id="embargoed")  # fmt: skip
    first = tmp_path / "first" / "dump.json"
    first.parent.mkdir()
    assert run("dump_stories", "--output", str(first))[0] == 0

    Article.objects.all().delete()
    Photo.objects.all().delete()
    code, _, err = run("load_stories", str(first), by="editor")
    assert (code, err) == (0, "")

    second = tmp_path / "second" / "dump.json"
    second.parent.mkdir()
    run("dump_stories", "--output", str(second))
    assert second.read_text() == first.read_text()
    dumped = {item["headline"]: item for item in json.loads(first.read_text())["stories"]}
    floods = dumped["Floods"]
    assert floods["kind"] == "live" and floods["coverage_ended_at"].endswith("Z")
    assert [e["status"] for e in floods["entries"]] == ["published", "published", "held"]
    assert floods["entries"][0]["author"] == "noa-peretz" and floods["entries"][0]["pinned"]
    assert floods["entries"][0]["blocks"][0]["photo"]["caption"] == "Flooded square"
    assert dumped["A view"]["kind"] == "opinion" and dumped["A view"]["embargo_until"]
    loaded = Article.objects.get(headline="Floods")
    assert loaded.entries.filter(status=LiveEntry.Status.PUBLISHED).count() == 2


def test_loading_again_matches_entries_and_drops_those_the_file_no_longer_has(
    tmp_path, newsroom, editor
):
    assert run("load_stories", write(tmp_path, [live_story()]), by="editor")[0] == 0
    story = Article.objects.get(external_id="live-1")
    first_ids = sorted(story.entries.values_list("pk", flat=True))
    changed = live_story()
    changed["entries"] = changed["entries"][:1]
    changed["entries"][0]["headline"] = "Roads reopened"
    assert run("load_stories", write(tmp_path, [changed]), by="editor")[0] == 0
    assert list(story.entries.values_list("pk", "headline")) == [(first_ids[0], "Roads reopened")]

    # A dump of this database names its own entries, and loading it back changes nothing.
    LiveEntry.objects.update(external_id="")  # as entries added in the admin are
    _, out, _ = run("dump_stories")
    path = tmp_path / "again.json"
    path.write_text(out)
    assert run("load_stories", str(path), by="editor")[:3:2] == (0, "")
    assert list(story.entries.values_list("pk", flat=True)) == [first_ids[0]]


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (
            {"embargo_until": "2099-01-01T00:00:00Z"},
            "story live-1: published_at: Under embargo until",
        ),
        ({"kind": "news"}, "story live-1: entries: only live stories have entries."),
        ({"embargo_until": "soon"}, "story live-1: embargo_until: must be a date and time"),
    ],
)
def test_a_load_refuses_what_the_desk_refuses(tmp_path, newsroom, editor, change, line):
    code, _, err = run("load_stories", write(tmp_path, [live_story(**change)]), by="editor")
    assert code == 1
    assert any(row.startswith(line) for row in err.splitlines()), err
    assert not Article.objects.filter(external_id="live-1").exists()


@pytest.mark.parametrize(
    ("mutate", "line"),
    [
        (lambda e: e[1].update(pinned=True), "entries 2 pinned: a story has one pinned entry"),
        (lambda e: e[0].update(colour="red"), "entries 1 colour: is not a field of an entry."),
        (lambda e: e[1].update(external_id="e-1"), "entries 2 external_id: 'e-1' is in the file"),
        (lambda e: e[0].update(blocks=[]), "entries 1 blocks: An entry needs some text"),
        (lambda e: e[0].update(author="nobody"), "entries 1 author: no author 'nobody'."),
    ],
)
def test_a_bad_entry_refuses_its_story_and_names_the_entry(
    tmp_path, newsroom, editor, mutate, line
):
    data = live_story()
    mutate(data["entries"])
    code, _, err = run("load_stories", write(tmp_path, [data]), by="editor")
    assert code == 1
    assert any(row.startswith(f"story live-1: {line}") for row in err.splitlines()), err
    assert not LiveEntry.objects.exists()


def test_a_reporter_neither_publishes_entries_nor_lifts_an_embargo_through_a_load(
    tmp_path, newsroom, reporter, editor
):
    review = live_story(status="review", published_at=None)
    code, _, err = run("load_stories", write(tmp_path, [review]), by="reporter")
    assert code == 1
    assert "story live-1: entries 1 status: reporter may not publish entries." in err
    for entry in review["entries"]:
        entry["status"] = "held"
    code, _, err = run("load_stories", write(tmp_path, [review]), by="reporter")
    assert (code, err) == (0, "")
    assert set(LiveEntry.objects.values_list("status", flat=True)) == {"held"}

    # An embargo recorded by an editor stands against a reporter's load.
    story = Article.objects.get(external_id="live-1")
    story.embargo_until = timezone.now() + timedelta(days=1)
    story.save()
    code, _, err = run("load_stories", write(tmp_path, [review]), by="reporter")
    assert code == 1
    assert "story live-1: embargo_until: reporter may not lift or shorten an embargo." in err
    story.refresh_from_db()
    assert story.embargo_until is not None
