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
from articles.models.kept_queries import GENERIC_PLAN, ID, KeptQuery, attach_many_tags
from articles.public import feed_queries, front_page
from articles.public import page_queries as listings
from articles.public.page_queries import PER_PAGE
from comments.models import StoryCommentCount
from tests.factories import make_article, make_author, make_section
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


@pytest.mark.parametrize("path", ["/world/", "/tag/economy/", "/author/dana/"])
def test_a_lists_first_page_asks_with_its_own_time_and_subject(client, clock, settings, path):
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0
    world, elsewhere = make_section("World", slug="world"), make_section("Elsewhere")
    dana = make_author("Dana", slug="dana")
    now = timezone.now()
    listed = [
        make_article(
            section=world,
            authors=[dana],
            tags=["Economy"],
            headline=f"Listed {n}",
            published_at=now - timedelta(hours=n),
        )
        for n in range(1, PER_PAGE + 3)
    ]
    make_article(section=elsewhere, headline="Not its subject", published_at=now)
    make_article(
        section=world,
        authors=[dana],
        tags=["Economy"],
        headline="Scheduled",
        published_at=now + timedelta(hours=1),
    )
    if path == "/world/":
        # The editors' choice leads, listed apart from the newest stories.
        world.top_story = listed[5]
        world.save()

    first = client.get(path).content.decode()
    newest = [story.headline for story in listed if story != world.top_story]
    leading = ["Listed 6"] if world.top_story else []
    assert headlines(first) == leading + newest[:PER_PAGE]
    assert 'rel="next" href="?page=2"' in first
    # The later page (built for its render) goes on where the first stopped.
    assert headlines(client.get(f"{path}?page=2").content.decode()) == newest[PER_PAGE:]

    clock(2 * 3600)
    assert headlines(client.get(path).content.decode())[len(leading)] == "Scheduled"


FEEDS = ["/feed/", "/feed/section/world/", "/feed/tag/economy/", "/feed/author/dana/"]


def feed_titles(client, path: str) -> list[str]:
    return re.findall(r"<item><title>(.*?)</title>", client.get(path).content.decode())


@pytest.mark.parametrize("path", FEEDS)
def test_a_feed_asks_with_its_own_time_and_subject(client, clock, settings, path):
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0
    world, elsewhere = make_section("World", slug="world"), make_section("Elsewhere")
    dana = make_author("Dana", slug="dana")
    now = timezone.now()
    subject = {"section": world, "authors": [dana], "tags": ["Economy"]}
    for n in (1, 2):
        make_article(**subject, headline=f"Listed {n}", published_at=now - timedelta(hours=n))
    make_article(**subject, headline="Scheduled", published_at=now + timedelta(hours=1))
    make_article(section=elsewhere, headline="Elsewhere", published_at=now - timedelta(minutes=1))

    everything = path == "/feed/"
    assert feed_titles(client, path) == ["Elsewhere"] * everything + ["Listed 1", "Listed 2"]
    clock(2 * 3600)
    assert feed_titles(client, path)[0] == "Scheduled"


def page_queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def is_kept(sql: str) -> bool:
    """Whether `sql` runs a kept query: EXECUTE, after the SET LOCAL of a generic plan if it
    has one (kept_queries._Prepared)."""
    return sql.removeprefix(GENERIC_PLAN).startswith("EXECUTE kept_query_")


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
def test_a_storys_related_stories_are_planned_once_per_session_whatever_the_story(client, settings):
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0
    world = make_section("World", slug="world")
    stories = [make_article(section=world, tags=["Energy"]) for _ in range(3)]
    connection.close()

    for _ in range(3):
        for story in stories:
            assert client.get(story.get_absolute_url()).status_code == 200

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE '%story_published_at%'"
        )
        # Nine runs: left to choose, Postgres plans the first five for their values.
        assert cursor.fetchall() == [(9, 0)]
        # For that statement alone: the session still leaves the others to Postgres.
        cursor.execute("SELECT current_setting('plan_cache_mode')")
        assert cursor.fetchone() == ("auto",)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_lists_read_the_same_way_whatever_their_values_are_planned_once_per_session(
    client, settings
):
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0
    world, dana = make_section("World", slug="world"), make_author("Dana", slug="dana")
    linked = make_article(section=world, headline="Linked")
    for _ in range(PER_PAGE + 1):
        make_article(section=world, authors=[dana], tags=["Economy"])
    make_article(section=world, blocks=[{"type": "story", "story": linked.pk}])
    connection.close()

    # Seven renders each, each its own time: left to choose, Postgres plans the first five (at
    # least) for their values.
    for _ in range(7):
        for path in ("/", "/world/", "/tag/economy/", "/author/dana/", *FEEDS):
            assert client.get(path).status_code == 200

    def plans(query: KeptQuery) -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = %s",
                [query.name],
            )
            return cursor.fetchone()

    generic = (
        listings._SECTION_BLOCKS,
        # Every feed's stories: all, a section's, a topic's and an author's.
        *feed_queries.ITEMS.values(),
        feed_queries.LINKED,
        # A section's, a topic's and an author's first page and count.
        *(query for field in listings.LISTED_BY for query in listings._FIRST_PAGES[field]),
    )
    # Each run in its generic plan: never planned for its values (a story's linked ones are
    # read by more than one feed, so run more than seven times).
    assert [plans(query)[1] for query in generic] == [0] * len(generic)
    assert min(plans(query)[0] for query in generic) == 7


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("path", FEEDS)
def test_a_feeds_stories_are_read_by_a_kept_query(client, settings, path):
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0
    world, dana = make_section("World", slug="world"), make_author("Dana", slug="dana")
    make_article(section=world, authors=[dana], tags=["Economy"])
    client.get(path)

    # Newest first, by whatever time lists them (a topic's or an author's links carry it).
    newest_first = f'DESC, "articles_article"."id" DESC LIMIT {feed_queries.FEED_LENGTH}'
    stories = [sql for sql in page_queries(client, path) if newest_first in sql]
    assert len(stories) == 1
    assert is_kept(stories[0])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("path", ["/world/", "/tag/economy/", "/author/dana/"])
def test_a_lists_first_page_is_read_by_kept_queries(client, settings, path):
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0
    world, dana = make_section("World", slug="world"), make_author("Dana", slug="dana")
    for _ in range(PER_PAGE + 1):
        make_article(section=world, authors=[dana], tags=["Economy"])
    client.get(path)

    # Its subject, its stories, how many there are, their bylines: all four prepared.
    asked = page_queries(client, path)
    assert len(asked) == 4
    assert all(is_kept(sql) for sql in asked)
    # A later page's stories and count are built for its render.
    later = page_queries(client, f"{path}?page=2")
    assert len([sql for sql in later if sql.startswith("SELECT")]) == 2


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


def test_many_stories_get_the_tags_taggits_prefetch_gives_them_in_one_query(
    django_assert_num_queries,
):
    stories = [make_article(tags=tags) for tags in (["Economy", "Energy"], [], ["Energy"])]
    expected = {
        story.pk: [(tag.pk, tag.name, tag.slug) for tag in story.tags.all()]
        for story in Article.objects.filter(pk__in=[s.pk for s in stories]).prefetch_related("tags")
    }

    attached = list(Article.objects.filter(pk__in=[s.pk for s in stories]))
    with django_assert_num_queries(1):
        attach_many_tags(attached)
        found = {
            story.pk: [(tag.pk, tag.name, tag.slug) for tag in story.tags.all()]
            for story in attached
        }
    assert found == expected
    assert [len(tags) for tags in found.values()] == [2, 0, 1]


def test_a_search_asks_with_its_own_time_and_words(client, clock, settings):
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0
    now = timezone.now()
    make_article(headline="Harbour reopens", published_at=now - timedelta(hours=1))
    make_article(headline="Harbour strike", published_at=now + timedelta(hours=1))
    make_article(headline="Tram fares rise", published_at=now - timedelta(hours=2))

    def found(words: str) -> list[str]:
        html = client.get("/search/", {"q": words}).content.decode()
        return [re.sub(r"</?mark>", "", h) for h in headlines(html)]

    assert found("harbour") == ["Harbour reopens"]
    assert found("tram") == ["Tram fares rise"]
    clock(2 * 3600)
    assert found("harbour") == ["Harbour strike", "Harbour reopens"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_search_pages_results_are_read_by_a_kept_query(client, settings):
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0
    make_article(headline="Harbour reopens")
    client.get("/search/", {"q": "harbour"})

    with CaptureQueriesContext(connection) as captured:
        assert client.get("/search/", {"q": "harbour reopens"}).status_code == 200
    asked = [query["sql"] for query in captured.captured_queries]
    # The ranked ids (the one statement written around the kept ones), then the page's stories
    # with their matches marked, and their bylines.
    assert len(asked) == 3 and asked[0].startswith("WITH recent AS MATERIALIZED")
    assert all(is_kept(sql) for sql in asked[1:])
    assert "ts_headline" in asked[1]


def test_a_feeds_linked_stories_are_read_by_a_kept_query(client, clock):
    now = timezone.now()
    linked = make_article(headline="Earlier talks", published_at=now - timedelta(hours=2))
    later = make_article(headline="Later talks", published_at=now + timedelta(hours=1))
    blocks = [{"type": "story", "story": linked.pk}, {"type": "story", "story": later.pk}]
    make_article(headline="Talks resume", blocks=blocks, published_at=now - timedelta(hours=1))

    with CaptureQueriesContext(connection) as captured:
        feed = client.get("/feed/").content.decode()
    reading = [q["sql"] for q in captured.captured_queries if '"articles_article"' in q["sql"]]
    assert all(sql.startswith("PREPARE kept_query_") or is_kept(sql) for sql in reading)
    assert "Earlier talks&lt;/a&gt;" in feed and "Later talks&lt;/a&gt;" not in feed
    clock(2 * 3600)  # the linked story is public now: the feed's query asks with its own time
    assert "Later talks&lt;/a&gt;" in client.get("/feed/").content.decode()


def test_each_kept_query_converts_its_own_columns_on_every_run():
    # Converters are looked up once per query and connection: two queries whose JSON and time
    # columns sit in different places each get theirs, run after run.
    story = make_article(blocks=[{"type": "text", "html": "<p>Words</p>"}])
    story.refresh_from_db()
    stories = KeptQuery(lambda: Article.objects.filter(pk=ID).values("blocks", "published_at"))
    times = KeptQuery(lambda: Article.objects.filter(pk=ID).values("published_at", "blocks"))
    for _ in range(2):
        [first] = stories.rows(id=story.pk)
        [second] = times.rows(id=story.pk)
        assert first == second == {"blocks": story.blocks, "published_at": story.published_at}
        assert first["published_at"].tzinfo is not None
