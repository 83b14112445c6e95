"""Live coverage at the desk: entries added from the story's admin page, newest first; an
editor's entry is public at once, a reporter's is held until an editor approves it; editing and
deleting are recorded as versions; only editors approve, close and reopen; CSRF on every post."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, LiveEntry
from tests.factories import make_article, make_author, make_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return make_article(kind=Article.Kind.LIVE, headline="Storm hits the coast")


def add_url(story):
    return reverse("admin:articles_article_entry_add", args=[story.pk])


def entry_url(story, entry, action=""):
    name = f"admin:articles_article_entry_{action or 'change'}"
    return reverse(name, args=[story.pk, entry.pk])


def quick(headline="Roads closed", text="Police closed the coast road.", **flags):
    data = {"entry-headline": headline, "entry-text": text}
    data.update({f"entry-{name}": "on" for name, on in flags.items() if on})
    return data


def reader_page(story) -> str:
    return Client().get(story.get_absolute_url()).content.decode()


def polled(story) -> list[int]:
    answer = Client().get(story.get_absolute_url() + "live.json").json()
    return [entry["id"] for entry in answer["entries"]]


def text(html: str) -> list[dict]:
    return [{"type": "text", "html": html}]


def test_an_editors_quick_entry_is_public_at_once_and_listed_newest_first(editor_client, story):
    for headline in ["First", "Second"]:
        response = editor_client.post(add_url(story), quick(headline, pinned=headline == "First"))
        assert response.status_code == 302
        assert response["Location"].endswith("#live-entries")

    first, second = LiveEntry.objects.order_by("pk")
    assert first.status == second.status == LiveEntry.Status.PUBLISHED
    assert first.pinned and first.blocks == text("<p>Police closed the coast road.</p>")
    page = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    listed = page.content.decode()
    assert listed.index(f"admin-entry-{second.pk}") < listed.index(f"admin-entry-{first.pk}")
    assert "Second" in reader_page(story) and polled(story) == [second.pk, first.pk]


def test_a_reporters_entry_is_held_until_an_editor_approves_it(client, reporter, editor, story):
    client.force_login(reporter)
    response = client.post(add_url(story), quick("Unconfirmed: bridge down"))
    assert response.status_code == 302
    entry = LiveEntry.objects.get()
    assert entry.status == LiveEntry.Status.HELD
    assert "Unconfirmed: bridge down" not in reader_page(story)
    assert polled(story) == []
    # The reporter cannot let it out; the editor can, and it takes the time of its approval.
    assert client.post(entry_url(story, entry, "approve")).status_code == 403
    client.force_login(editor)
    assert client.post(entry_url(story, entry, "approve")).status_code == 302
    entry.refresh_from_db()
    assert entry.status == LiveEntry.Status.PUBLISHED
    assert entry.published_at >= entry.created_at
    assert "Unconfirmed: bridge down" in reader_page(story)
    assert polled(story) == [entry.pk]


def test_a_reporter_edits_a_held_entry_but_never_one_readers_have_seen(
    client, reporter, editor, story
):
    held = LiveEntry.post(story, by=reporter, blocks=text("<p>Held.</p>"))
    public = LiveEntry.post(story, by=editor, blocks=text("<p>Public.</p>"))
    client.force_login(reporter)
    form = {
        "published_at_0": "2026-12-06",
        "published_at_1": "10:00",
        "headline": "Reworded",
        "blocks": '[{"type": "text", "html": "<p>Reworded.</p>"}]',
    }
    assert client.post(entry_url(story, held), form).status_code == 302
    held.refresh_from_db()
    assert held.headline == "Reworded" and held.status == LiveEntry.Status.HELD
    for action in ("change", "delete"):
        assert client.get(entry_url(story, public, action)).status_code == 403
        assert client.post(entry_url(story, public, action), form).status_code == 403
    public.refresh_from_db()
    assert public.blocks == text("<p>Public.</p>")
    assert client.post(entry_url(story, held, "delete")).status_code == 302
    assert not LiveEntry.objects.filter(pk=held.pk).exists()


def test_moderators_and_strangers_reach_none_of_it(client, moderator, editor, story):
    entry = LiveEntry.post(story, by=editor, blocks=text("<p>Public.</p>"))
    urls = [
        add_url(story),
        entry_url(story, entry),
        entry_url(story, entry, "delete"),
        entry_url(story, entry, "approve"),
        reverse("admin:articles_article_coverage", args=[story.pk]),
    ]
    for url in urls:
        assert Client().post(url, quick()).status_code == 302  # to the login page
        client.force_login(moderator)
        assert client.post(url, quick()).status_code == 403
    assert LiveEntry.objects.count() == 1
    entry.refresh_from_db()
    assert entry.blocks == text("<p>Public.</p>")


def test_every_post_needs_the_csrf_token(editor, story):
    entry = LiveEntry.post(story, by=editor, blocks=text("<p>Public.</p>"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    for url in [
        add_url(story),
        entry_url(story, entry, "delete"),
        reverse("admin:articles_article_coverage", args=[story.pk]),
    ]:
        assert client.post(url, quick()).status_code == 403
    assert LiveEntry.objects.count() == 1
    story.refresh_from_db()
    assert story.coverage_ended_at is None


def test_a_bad_entry_is_refused_with_its_reasons_and_what_was_typed_kept(editor_client, story):
    response = editor_client.post(add_url(story), quick(headline="Nothing in it", text=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "An entry needs some text, a photo or an embed." in page
    assert 'value="Nothing in it"' in page
    response = editor_client.post(
        add_url(story), {**quick(), "entry-embed": "https://example.com/not-a-player"}
    )
    assert response.status_code == 400
    assert "url:" in response.content.decode()
    assert not LiveEntry.objects.exists()


def test_only_live_stories_take_entries(editor_client):
    news = make_article()
    assert editor_client.post(add_url(news), quick()).status_code == 404
    assert not LiveEntry.objects.exists()


def test_pinning_an_entry_unpins_the_one_before(editor, story):
    first = LiveEntry.post(story, by=editor, blocks=text("<p>1</p>"), pinned=True)
    second = LiveEntry.post(story, by=editor, blocks=text("<p>2</p>"), pinned=True)
    first.refresh_from_db()
    assert (first.pinned, second.pinned) == (False, True)


def test_adding_changing_and_deleting_are_recorded_with_who_and_what(editor_client, editor, story):
    editor_client.post(add_url(story), quick("Roads closed"))
    entry = LiveEntry.objects.get()
    form = {
        "published_at_0": "2026-12-06",
        "published_at_1": "10:00",
        "headline": "Roads reopened",
        "blocks": '[{"type": "text", "html": "<p>Open again.</p>"}]',
    }
    assert editor_client.post(entry_url(story, entry), form).status_code == 302
    assert editor_client.post(entry_url(story, entry, "delete")).status_code == 302

    versions = Version.objects.get_for_object_reference(LiveEntry, entry.pk).order_by("pk")
    assert [v.field_dict["headline"] for v in versions] == [
        "Roads closed",
        "Roads reopened",
        "Roads reopened",
    ]
    comments = [v.revision.comment for v in versions]
    assert comments[0].startswith("Live entry added (published): Roads closed")
    assert comments[1] == "Live entry changed: Roads reopened"
    assert comments[2] == "Live entry deleted: Roads reopened"
    assert {v.revision.user for v in versions} == {editor}
    # The story's history lists them too.
    history = editor_client.get(reverse("admin:articles_article_history", args=[story.pk]))
    assert "Live entry deleted: Roads reopened" in history.content.decode()


def test_closing_the_coverage_is_an_editors_and_freezes_the_page(client, editor, reporter, story):
    LiveEntry.post(story, by=editor, blocks=text("<p>Before.</p>"))
    url = reverse("admin:articles_article_coverage", args=[story.pk])
    client.force_login(reporter)
    assert client.post(url, {"coverage": "close"}).status_code == 403
    client.force_login(editor)
    assert client.post(url, {"coverage": "close"}).status_code == 302
    story.refresh_from_db()
    assert story.coverage_ended_at is not None
    page = reader_page(story)
    assert "data-poll=" not in page and "live.js" not in page
    assert "Coverage has ended" in page
    assert Client().get(story.get_absolute_url() + "live.json").json()["open"] is False
    # No entry is added to closed coverage until it is reopened.
    response = client.post(add_url(story), quick("After"))
    assert response.status_code == 400
    assert "The coverage is closed: reopen it to add entries." in response.content.decode()
    client.post(url, {"coverage": "open"})
    assert client.post(add_url(story), quick("After")).status_code == 302


def test_an_entry_names_its_author_and_the_form_offers_the_users_own(editor_client, editor, story):
    mine = make_author("Noa Peretz", user=editor)
    page = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert page.context["live_panel"]["form"].initial["author"] == mine
    editor_client.post(add_url(story), {**quick(), "entry-author": mine.pk})
    assert "By Noa Peretz" in reader_page(story)


def test_a_photo_readers_would_see_needs_its_alt_text_even_in_an_entry(
    client, editor, reporter, story
):
    photo = make_photo(alt_text="")
    blocks = [{"type": "photo", "photo": photo.pk, "caption": "", "size": "column"}]
    with pytest.raises(ValidationError) as refused:
        LiveEntry.post(story, by=editor, blocks=blocks)
    assert "needs alt text" in str(refused.value)
    # Held, it waits; approved, it is refused with the reason, and stays held.
    held = LiveEntry.post(story, by=reporter, blocks=blocks)
    client.force_login(editor)
    response = client.post(entry_url(story, held, "approve"), follow=True)
    assert "needs alt text" in response.content.decode()
    held.refresh_from_db()
    assert held.status == LiveEntry.Status.HELD


def test_a_photo_in_a_public_entry_is_guarded_like_the_storys_own(
    reporter_client, editor, reporter, story
):
    # What readers see in an entry is what the story shows: a reporter may not swap the
    # photo's file or words, and "which stories show this photo" names the story.
    shown, waiting = make_photo(alt_text="Flooded road"), make_photo(alt_text="Sandbags")
    photo_block = {"type": "photo", "caption": "", "size": "column"}
    LiveEntry.post(story, by=editor, blocks=[{**photo_block, "photo": shown.pk}])
    LiveEntry.post(story, by=reporter, blocks=[{**photo_block, "photo": waiting.pk}])

    assert list(Article.objects.showing(shown)) == [story]
    assert not Article.objects.showing(waiting).exists()  # held: no reader sees it yet
    url = reverse("admin:articles_photo_change", args=[shown.pk])
    response = reporter_client.post(
        url,
        {"caption": "x", "alt_text": "Changed", "photographer": "Someone", "agency": "",
         "usage_terms": "", "rights_expire_on": ""},
    )  # fmt: skip
    assert response.status_code == 403
    shown.refresh_from_db()
    assert shown.alt_text == "Flooded road"
