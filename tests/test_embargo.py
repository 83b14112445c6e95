"""Embargoes (issue 21): until `embargo_until` nobody can publish a story, on any path (the model,
the list action, the form, a restore, the database itself), and it is on no public surface; once
the embargo passes, a story scheduled for it goes live on its own."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.editorial import revisions
from articles.models import Article
from tests.admin_forms import form_data
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:articles_article_changelist")


def under_embargo(*, until=None, status=Article.Status.DRAFT, **fields) -> Article:
    """A finished draft under embargo (three hours by default)."""
    until = until or timezone.now().replace(microsecond=0) + timedelta(hours=3)
    return make_article(status=status, embargo_until=until, **fields)


def embargo_message(story) -> str:
    when = timezone.localtime(story.embargo_until)
    return f"Under embargo until {when:%-d %B %Y, %H:%M} (UTC)"


def test_the_model_refuses_to_publish_a_story_under_embargo_naming_the_time(editor):
    story = under_embargo()

    for publish in (lambda: story.publish(by=editor), lambda: story.publish_now(by=editor)):
        with pytest.raises(ValidationError) as error:
            publish()
        assert error.value.message_dict["published_at"][0].startswith(embargo_message(story))

    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT


def test_the_model_refuses_a_schedule_earlier_than_the_embargo(editor):
    story = under_embargo()

    with pytest.raises(ValidationError):
        story.publish(by=editor, at=story.embargo_until - timedelta(minutes=1))

    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT


def test_a_story_can_be_scheduled_for_its_embargo_and_is_not_public_until_then(editor):
    story = under_embargo()

    story.publish(by=editor, at=story.embargo_until)

    assert story.is_scheduled
    assert not story.is_published
    assert not Article.objects.published().filter(pk=story.pk).exists()


def test_the_database_refuses_a_published_story_before_its_embargo():
    story = under_embargo()

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=story.pk).update(
            status=Article.Status.PUBLISHED, published_at=timezone.now()
        )


def test_a_story_is_not_public_while_its_embargo_runs_even_if_its_time_has_passed():
    # Not a row the database would keep: is_published judges an unsaved story on its own.
    story = Article(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
        embargo_until=timezone.now() + timedelta(hours=1),
    )

    assert not story.is_published
    assert story.is_scheduled


def test_the_publish_action_refuses_a_story_under_embargo(editor_client):
    story = under_embargo(headline="Quarterly figures")

    response = editor_client.post(
        CHANGELIST_URL, {"action": "publish", "_selected_action": [story.pk]}, follow=True
    )

    messages = [str(message) for message in response.context["messages"]]
    assert any(
        m.startswith(f"“Quarterly figures” was not published: {embargo_message(story)}")
        for m in messages
    ), messages
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT


def change_url(story) -> str:
    return reverse("admin:articles_article_change", args=[story.pk])


def site_date_and_time(moment) -> dict:
    local = timezone.localtime(moment)
    return {"published_at_0": f"{local:%Y-%m-%d}", "published_at_1": f"{local:%H:%M:%S}"}


@pytest.mark.parametrize("published_at", ["now", "before the embargo"])
def test_the_form_refuses_to_publish_before_the_embargo_with_a_clear_error(
    editor_client, published_at
):
    story = under_embargo()
    when = {"now": {"published_at_0": "", "published_at_1": ""}}.get(
        published_at, site_date_and_time(story.embargo_until - timedelta(minutes=5))
    )
    data = form_data(editor_client.get(change_url(story)), status="published", **when)

    response = editor_client.post(change_url(story), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["published_at"][0].startswith(embargo_message(story))
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT


def test_the_form_schedules_a_story_for_its_embargo(editor_client):
    story = under_embargo()
    data = form_data(
        editor_client.get(change_url(story)),
        status="published",
        **site_date_and_time(story.embargo_until),
    )

    assert editor_client.post(change_url(story), data).status_code == 302

    story.refresh_from_db()
    assert story.is_scheduled
    assert story.published_at == story.embargo_until


def test_the_form_refuses_an_embargo_on_a_live_story(editor_client):
    story = make_article()
    later = timezone.localtime(timezone.now() + timedelta(hours=2))
    data = form_data(
        editor_client.get(change_url(story)),
        embargo_until_0=f"{later:%Y-%m-%d}",
        embargo_until_1=f"{later:%H:%M:%S}",
    )

    response = editor_client.post(change_url(story), data)

    assert response.status_code == 200
    assert "Under embargo until" in response.context["adminform"].form.errors["published_at"][0]
    story.refresh_from_db()
    assert story.embargo_until is None and story.is_published


def revision_url(story, version) -> str:
    return reverse("admin:articles_article_revision", args=[story.pk, version.pk])


def published_version_then_embargoed(editor) -> tuple[Article, list]:
    """A story published (a version), taken down (a version), then put under embargo."""
    story = make_article(headline="Merger agreed")
    story._save_as_version(editor, "Published.")
    story.unpublish(by=editor)
    story.embargo_until = timezone.now().replace(microsecond=0) + timedelta(hours=3)
    story._save_as_version(editor, "Embargoed.")
    published, draft = revisions.versions_of(story.pk)[2], revisions.versions_of(story.pk)[1]
    return story, [published, draft]


def test_restoring_a_published_version_of_a_story_under_embargo_is_refused(editor_client, editor):
    story, (published, _) = published_version_then_embargoed(editor)
    page = editor_client.get(revision_url(story, published))

    response = editor_client.post(revision_url(story, published), form_data(page))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["published_at"][0].startswith(embargo_message(story))
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    assert not Article.objects.published().filter(pk=story.pk).exists()


def test_restoring_an_older_draft_keeps_the_embargo_the_story_is_under(editor_client, editor):
    story, (_, draft) = published_version_then_embargoed(editor)
    embargo = story.embargo_until
    page = editor_client.get(revision_url(story, draft))

    assert editor_client.post(revision_url(story, draft), form_data(page)).status_code == 302

    story.refresh_from_db()
    assert story.embargo_until == embargo


PUBLIC_SURFACES = [
    "/", "/world/", "/tag/merger-talks/", "/author/dana-levi/", "/search/?q=merger",
    "/feed/", "/feed/section/world/", "/feed/tag/merger-talks/", "/feed/author/dana-levi/",
    "/sitemap.xml", "/sitemap-articles.xml", "/sitemap-news.xml",
]  # fmt: skip


def scheduled_under_embargo(editor, seconds=30) -> tuple[Article, Article]:
    """A story scheduled for the end of its embargo, `seconds` away, and a live story sharing
    its section, topic and author (so every list and its related stories could show it)."""
    world, writer = make_section(slug="world"), make_author(slug="dana-levi")
    neighbour = make_article(
        section=world,
        authors=[writer],
        tags=["Merger talks"],
        headline="Merger talks go on",
        published_at=timezone.now() - timedelta(hours=1),  # in the same news cycle
    )
    story = under_embargo(
        until=timezone.now() + timedelta(seconds=seconds),
        section=world,
        authors=[writer],
        tags=["Merger talks"],
        headline="Merger agreed at dawn",
        slug="merger-agreed",
    )
    story.publish(by=editor, at=story.embargo_until)
    return story, neighbour


def test_a_story_under_embargo_is_on_no_public_surface(client, editor):
    _, neighbour = scheduled_under_embargo(editor, seconds=3600)

    assert client.get("/world/merger-agreed/").status_code == 404
    for url in [*PUBLIC_SURFACES, neighbour.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "talks go on" in page or "sitemap" in url, url
        assert "Merger agreed at dawn" not in page, url
        assert "merger-agreed" not in page, url


def test_once_the_embargo_passes_the_story_goes_live_on_its_own_within_the_cache_lifetime(
    client, editor, settings, clock
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    _, neighbour = scheduled_under_embargo(editor, seconds=30)
    for url in PUBLIC_SURFACES:
        assert "Merger agreed at dawn" not in client.get(url).content.decode(), url
    before = client.get("/world/merger-agreed/")
    # Not found, for no longer than a page is kept: shared caches must not hide it past that.
    assert before.status_code == 404
    max_age = int(re.search(r"max-age=(\d+)", before["Cache-Control"]).group(1))
    assert 0 < max_age <= 60 and "public" in before["Cache-Control"]

    clock(31)  # the embargo and the schedule pass; nobody does anything

    assert client.get("/world/merger-agreed/").status_code == 200
    # Copies made before are at most as old as the page cache keeps them.
    assert "Merger agreed at dawn" not in client.get("/").content.decode()

    clock(30)  # every copy made before the release has expired

    for url in PUBLIC_SURFACES:
        page = client.get(url).content.decode()
        assert "/world/merger-agreed/" in page, url  # sitemaps list addresses, not headlines
    assert "Merger agreed at dawn" in client.get(neighbour.get_absolute_url()).content.decode()


def test_purge_released_shows_a_released_story_on_cached_pages_at_once(
    client, editor, settings, clock, purges, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    story, _ = scheduled_under_embargo(editor, seconds=30)
    assert "agreed at dawn" not in client.get("/").content.decode()  # kept for a minute
    clock(31)
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_released", stdout=out)

    assert out.getvalue() == f"purged {story.pk} /world/merger-agreed/\n"
    assert {f"story-{story.pk}", "home", "latest", "feeds"} <= set(purges[-1])
    assert "agreed at dawn" in client.get("/").content.decode()


def test_the_desk_lists_stories_under_embargo_with_their_times(client, editor, reporter):
    scheduled = under_embargo(headline="Results at noon")
    scheduled.publish(by=editor, at=scheduled.embargo_until)
    under_embargo(headline="Report in review", status=Article.Status.REVIEW)
    make_article(headline="Not embargoed")

    for user in (editor, reporter):
        client.force_login(user)
        desk = client.get(reverse("admin:index")).content.decode()
        embargoes = desk[desk.index("<h2>Under embargo</h2>") : desk.index("Sent back to you")]
        when = timezone.localtime(scheduled.embargo_until)
        assert f"Results at noon</a>: embargoed until {when:%-d %b, %H:%M} UTC" in embargoes
        assert "scheduled for" in embargoes
        assert "Report in review</a>: embargoed until" in embargoes
        assert "Not embargoed" not in embargoes


def test_the_story_list_filters_and_marks_stories_under_embargo(editor_client):
    story = under_embargo(headline="Sealed report")
    make_article(headline="Open report")

    response = editor_client.get(CHANGELIST_URL, {"status": "embargoed"})

    assert [s.pk for s in response.context["cl"].result_list] == [story.pk]
    assert "Draft, embargoed until" in response.content.decode()


def test_a_reporter_may_record_an_embargo_but_not_lift_it(reporter, editor):
    reporter_client, editor_client = Client(), Client()
    reporter_client.force_login(reporter)
    editor_client.force_login(editor)
    story = make_article(status=Article.Status.DRAFT, headline="Sealed figures")
    later = timezone.localtime(timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    fields = {"embargo_until_0": f"{later:%Y-%m-%d}", "embargo_until_1": f"{later:%H:%M:%S}"}
    data = form_data(reporter_client.get(change_url(story)), **fields)
    assert reporter_client.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.embargo_until == later

    lifted = form_data(
        reporter_client.get(change_url(story)), embargo_until_0="", embargo_until_1=""
    )
    response = reporter_client.post(change_url(story), lifted)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["embargo_until"] == [
        "Only editors can lift an embargo or bring it forward."
    ]
    story.refresh_from_db()
    assert story.embargo_until == later

    lifted = form_data(editor_client.get(change_url(story)), embargo_until_0="", embargo_until_1="")
    assert editor_client.post(change_url(story), lifted).status_code == 302
    story.refresh_from_db()
    assert story.embargo_until is None
