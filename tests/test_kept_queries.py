"""Reader pages' queries compiled once per process (articles/models/kept_queries.py): each
render still asks with its own time and ids, and the front page reads no more stories than
its places need."""

import re
from datetime import timedelta

import pytest
from django.db import DataError, connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, FrontPageLayout
from articles.models.kept_queries import ID, KeptQuery
from articles.public import front_page
from comments.models import StoryCommentCount
from tests.factories import make_article, make_section
from tests.factories_comments import make_comment

pytestmark = pytest.mark.django_db


def newest_read(at_least: int) -> list[str]:
    """The headlines the home page's query for the newest stories reads from the database."""
    newest, _ = front_page._kept(at_least, False)
    return [story.headline for story in newest.rows(at=timezone.now())]


def test_the_front_page_reads_only_as_many_stories_as_its_places_need():
    now = timezone.now()
    for n in range(1, 21):
        make_article(headline=f"Newest {n}", published_at=now - timedelta(minutes=n))

    # Five places (the default): the twelve the page lists, not thirty.
    assert newest_read(12) == [f"Newest {n}" for n in range(1, 13)]
    FrontPageLayout.objects.create(pk=1, places=15)
    assert newest_read(12) == [f"Newest {n}" for n in range(1, 16)]
    places, newest, _ = front_page.candidates(12, words=False)
    assert (places, len(newest)) == (15, 15)


def headlines(html: str) -> list[str]:
    return re.findall(r'class="story-headline"><a [^>]*>(.*?)</a>', html)


def test_each_render_asks_with_its_own_time_and_story(client, clock, settings):
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0
    world = make_section("World", slug="world")
    now = timezone.now()
    first = make_article(section=world, headline="First", published_at=now - timedelta(hours=2))
    second = make_article(section=world, headline="Second", published_at=now - timedelta(hours=1))
    make_article(section=world, headline="Scheduled", published_at=now + timedelta(hours=1))
    make_comment(first, body="On the first story")
    make_comment(second, body="On the second story")
    StoryCommentCount.objects.all().delete()

    # The queries are compiled by these renders, before the scheduled story's time.
    assert "Scheduled" not in headlines(client.get("/").content.decode())
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Scheduled" not in page and "Second" in page
    assert "On the first story" in page and "On the second story" not in page

    clock(2 * 3600)
    assert headlines(client.get("/").content.decode())[0] == "Scheduled"
    page = client.get(second.get_absolute_url()).content.decode()
    # The rail leaves out the story on the page, whichever it is, and shows what is public now.
    rail = page[page.index('aria-labelledby="latest-heading"') :]
    assert "Scheduled" in rail and "First" in rail
    assert "On the second story" in page and "On the first story" not in page


def page_queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def prepared_here() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


# Connections are closed here, which a test's own transaction would not allow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_kept_queries_are_prepared_once_per_database_session(client, settings):
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0
    story = make_article(headline="Prepared")
    make_comment(story, body="A reader's word")
    path = story.get_absolute_url()

    settings.NEWSROOM_PREPARED_QUERIES = False
    client.get(path)
    sent_whole = page_queries(client, path)
    settings.NEWSROOM_PREPARED_QUERIES = True
    connection.close()

    # Prepared and run in one round trip: no more queries than sent whole.
    first = page_queries(client, path)
    preparing = [sql for sql in first if sql.startswith("PREPARE kept_query_")]
    assert len(preparing) >= 5
    assert len(first) == len(sent_whole)

    again = page_queries(client, path)
    # Asked by name, nothing prepared twice; each still names its tables, as logs show it.
    assert not [sql for sql in again if "PREPARE" in sql]
    run = [sql for sql in again if sql.startswith("EXECUTE kept_query_")]
    assert len(run) == len(preparing)
    assert any('FROM "comments_comment"' in sql for sql in run)
    assert {sql.split()[1] for sql in run} == prepared_here()

    # A new session (a reconnect) has no prepared statement: they are prepared again.
    connection.close()
    assert not prepared_here()
    fresh = page_queries(client, path)
    assert len([sql for sql in fresh if sql.startswith("PREPARE")]) == len(run)
    assert "A reader&#x27;s word" in client.get(path).content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_behind_pgbouncer_kept_queries_are_sent_whole(client, settings):
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0
    settings.NEWSROOM_PREPARED_QUERIES = False
    story = make_article(headline="Sent whole")
    connection.close()

    sent = page_queries(client, story.get_absolute_url())
    assert not [sql for sql in sent if "PREPARE" in sql or "EXECUTE" in sql]
    assert not prepared_here()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_the_server_dropped_the_connection_the_next_one_prepares_again():
    story = make_article(headline="Still here")
    headlines = KeptQuery(lambda: Article.objects.filter(pk=ID).values_list("headline"))
    assert headlines.rows(id=story.pk) == [("Still here",)]

    # The server ends the session (as a restart does) while the worker holds it.
    ours = connection.connection.info.backend_pid
    other = connection.get_new_connection(connection.get_connection_params())
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [ours])
    other.close()
    # What Django does when the next request starts: the connection is checked before use.
    connection.close_if_unusable_or_obsolete()

    assert headlines.rows(id=story.pk) == [("Still here",)]
    assert connection.connection.info.backend_pid != ours


def test_a_first_run_that_failed_is_prepared_or_not_as_the_server_says():
    story = make_article(headline="Once failed")

    def headlines():
        return KeptQuery(lambda: Article.objects.filter(pk__in=[ID]).values_list("headline"))

    def run_with_an_id_postgres_refuses(query):
        # Prepared, then refused at EXECUTE (no such integer): a PREPARE outlives a rollback.
        with pytest.raises(DataError), transaction.atomic():
            query.rows(id=2**70)

    kept = headlines()
    run_with_an_id_postgres_refuses(kept)
    assert kept._name in prepared_here()
    for _ in range(2):
        assert kept.rows(id=story.pk) == [("Once failed",)]

    lost = headlines()
    run_with_an_id_postgres_refuses(lost)
    with connection.cursor() as cursor:
        cursor.execute(f"DEALLOCATE {lost._name}")
    # Not prepared after all: it is prepared again.
    for _ in range(2):
        assert lost.rows(id=story.pk) == [("Once failed",)]
    assert lost._name in prepared_here()


def test_a_prepared_query_keeps_literal_percent_signs_and_its_values():
    # Django writes the modulo operator as %% beside its %s parameters.
    odd = KeptQuery(lambda: Article.objects.annotate(parity=F("pk") % 2).filter(parity=1, pk=ID))
    stories = [make_article(headline=f"Story {n}") for n in range(2)]

    for _ in range(2):
        for story in stories:
            assert odd.rows(id=story.pk) == ([story] if story.pk % 2 else [])
