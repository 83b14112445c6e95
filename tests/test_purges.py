"""Changes purge the shared caches in front (NEWSROOM_PURGE_URLS) after they commit: one request
per transaction naming exactly the keys touched, and a cache that cannot be reached never fails
a save."""

import pytest

from articles.models import Article, FrontPageSlot
from comments.models import Comment
from tests.factories import make_article, make_author, make_photo, make_section
from tests.factories_comments import make_comment
from tests.servers import free_port

pytestmark = pytest.mark.django_db


# `purges` (tests/conftest.py): a stand-in for Varnish recording the keys it is sent.


def test_editing_a_story_purges_the_pages_that_show_it_in_one_request(
    purges, django_capture_on_commit_callbacks
):
    section = make_section()
    author = make_author()
    story = make_article(section=section, authors=[author], tags=["Energy"])

    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "A new headline"
        story.save()

    assert len(purges) == 1
    tag = story.tags.get()
    assert set(purges[0]) >= {
        f"story-{story.pk}",
        f"section-{section.pk}",
        f"tag-{tag.pk}",
        f"author-{author.pk}",
        "home",
        "latest",
        "feeds",
    }


def test_a_bulk_decision_purges_its_story_once(
    purges, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # committed earlier
        story = make_article()
        comments = [make_comment(story, status=Comment.Status.PENDING) for _ in range(5)]
    purges.clear()

    with django_capture_on_commit_callbacks(execute=True):
        for comment in comments:
            comment.approve(by=moderator)

    assert purges == [[f"comments-{story.pk}"]]


def test_a_draft_purges_nothing(purges, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # committed earlier
        section = make_section()
    purges.clear()

    with django_capture_on_commit_callbacks(execute=True):
        draft = make_article(section=section, status=Article.Status.DRAFT, authors=[])
        draft.headline = "Still a draft"
        draft.save()

    assert purges == []


def test_an_unreachable_cache_never_fails_a_save(
    settings, caplog, client, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PURGE_URLS = [f"http://127.0.0.1:{free_port()}/"]  # nothing listens
    story = make_article()

    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Saved all the same"
        story.save()

    story.refresh_from_db()
    assert story.headline == "Saved all the same"
    assert "Could not purge" in caplog.text
    assert "Saved all the same" in client.get(story.get_absolute_url()).content.decode()


def test_photos_authors_and_bylines_purge_what_shows_them_feeds_included(
    purges, django_capture_on_commit_callbacks
):
    author = make_author()
    social = make_photo()
    story = make_article(authors=[author], social_image=social)

    with django_capture_on_commit_callbacks(execute=True):
        social.caption = "A new caption"
        social.save()
    with django_capture_on_commit_callbacks(execute=True):
        author.name = "Dana Levi-Cohen"
        author.save()

    assert {f"story-{story.pk}", "feeds"} <= set(purges[0])  # its social card image
    assert {f"author-{author.pk}", "feeds"} <= set(purges[1])


def test_home_names_a_chosen_older_story_it_shows(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    chosen = make_article(headline="Chosen long ago", published_at=None)
    Article.objects.filter(pk=chosen.pk).update(published_at=chosen.published_at.replace(year=2020))
    for _ in range(13):
        make_article()
    FrontPageSlot.objects.create(position=1, article=chosen)

    response = client.get("/")

    assert "Chosen long ago" in response.content.decode()
    assert f"story-{chosen.pk}" in response["xkey"].split()
