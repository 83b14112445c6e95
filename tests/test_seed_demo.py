"""seed_demo builds the demo newsroom, with the reference article, and is idempotent."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from taggit.models import Tag

from articles.models import Article, Author, Byline, Photo, Section

pytestmark = pytest.mark.django_db

MODELS = [Section, Author, Photo, Article, Byline, Tag, User, Article.tags.through]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo_twice_gives_the_same_counts():
    call_command("seed_demo", "--users", "--articles", "30", stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", "--users", "--articles", "30", stdout=io.StringIO())
    assert counts() == first
    assert first["Article"] >= 30 + 9
    assert first["User"] == 3


def test_the_reference_article_is_in_the_demo():
    call_command("seed_demo", stdout=io.StringIO())
    story = Article.objects.published().get(
        slug="blinken-heads-to-israel-as-ceasefire-talks-gain-momentum"
    )
    assert story.kicker == "Antony Blinken, Ceasefire Talks"
    assert story.headline == "Blinken heads to Israel as ceasefire talks gain momentum"
    assert (
        story.subheadline
        == "U.S. officials express cautious optimism but acknowledge challenges ahead."
    )
    assert story.contributor_note == "Ynet contributed to this report."
    assert story.lead_photo.caption == "Antony Blinken"
    assert story.lead_photo.credit == "Photo: Alexandros Michailidis / Shutterstock"
    assert sorted(story.tags.names()) == ["Antony Blinken", "Hostage Deal"]
    assert "tenth" in story.body and "Qatar" in story.body and "Egypt" in story.body


def test_the_demo_has_scheduled_and_draft_stories_and_users_in_groups():
    call_command("seed_demo", "--users", stdout=io.StringIO())
    assert Article.objects.scheduled().exists()
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
    assert Section.objects.count() >= 5
    for username, group in [
        ("editor", "Editors"),
        ("reporter", "Reporters"),
        ("moderator", "Moderators"),
    ]:
        user = User.objects.get(username=username)
        assert user.is_staff
        assert list(user.groups.values_list("name", flat=True)) == [group]
    assert User.objects.get(username="editor").has_perm("articles.publish_article")
    assert not User.objects.get(username="reporter").has_perm("articles.publish_article")


def test_bulk_articles_show_progress(capsys):
    call_command("seed_demo", "--articles", "5")
    assert "stories: 5/5" in capsys.readouterr().out


def test_bulk_articles_are_made_of_blocks_like_any_saved_story():
    from articles.models import Article
    from articles.models.blocks import readable_html

    call_command("seed_demo", "--articles", "3", stdout=io.StringIO())
    for story in Article.objects.filter(slug__startswith="demo-story-"):
        assert story.blocks and story.blocks[0]["type"] == "text"
        assert story.body == readable_html(story.blocks)


def test_a_bulk_load_starts_fresh_cached_reader_pages(django_capture_on_commit_callbacks):
    from articles.caching import CONTENT, current_versions

    call_command("seed_demo", stdout=io.StringIO())
    before = current_versions([CONTENT])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--articles", "3", stdout=io.StringIO())
    assert current_versions([CONTENT]) != before


def test_the_demo_has_a_story_with_one_block_of_each_kind_that_readers_see(client):
    from articles.models.blocks import BLOCK_TYPES
    from newsroom import demo_blocks

    call_command("seed_demo", stdout=io.StringIO())
    story = Article.objects.published().get(slug=demo_blocks.SLUG)
    assert [block["type"] for block in story.blocks] == list(BLOCK_TYPES)
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Rounds of talks so far" in page and "How a ceasefire deal is made" in page
    assert 'class="gallery"' in page and 'class="story-link"' in page
    assert "Photo: Eli Avraham / Getty Images" in page  # a block photo's own credit
