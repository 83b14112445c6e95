"""A topic's and an author's stories are read down their links on Postgres: each tag link and
each byline carries its story's publication time, kept by the database whichever way a story or
a link is written (migrations 0024 and 0026), so their pages and feeds list what readers may
see, newest first, as stories are published, moved and withdrawn. Their later pages, and a
section's, go on down the same index as page 1."""

import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Byline, TaggedArticle
from articles.models.kept_queries import GENERIC_PLAN
from articles.public import page_queries
from tests.factories import make_archive, make_article, make_author, make_section
from tests.test_kept_queries import is_kept
from tests.test_related_by_tag_links import link_times

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_kept(settings):
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0  # each page asks the database again


def byline_times(story) -> set:
    return link_times(story, "articles_byline", "article_id")


def headlines(client, path: str) -> list[str]:
    html = client.get(path).content.decode()
    return re.findall(r'class="story-headline"><a [^>]*>(.*?)</a>', html)


def test_a_byline_carries_its_storys_publication_time_as_it_changes():
    now = timezone.now().replace(microsecond=0)
    story = make_article(authors=[make_author()], published_at=now - timedelta(hours=1))
    assert byline_times(story) == {now - timedelta(hours=1)}

    story.published_at = now - timedelta(days=3)
    story.save()
    Byline.objects.create(article=story, author=make_author(), position=1)  # made after
    assert byline_times(story) == {now - timedelta(days=3)}

    Article.objects.filter(pk=story.pk).update(published_at=now)  # not through the model
    assert byline_times(story) == {now}

    draft = make_article(status=Article.Status.DRAFT)
    assert byline_times(draft) == {None}


@pytest.mark.parametrize("path", ["/author/dana/", "/tag/economy/"])
def test_an_authors_and_a_topics_first_page_follow_their_stories_times(client, path):
    dana, now = make_author("Dana", slug="dana"), timezone.now()
    subject = {"authors": [dana], "tags": ["Economy"]}
    first = make_article(**subject, headline="First", published_at=now - timedelta(hours=3))
    second = make_article(**subject, headline="Second", published_at=now - timedelta(hours=2))
    make_article(headline="Not theirs", published_at=now - timedelta(minutes=1))
    assert headlines(client, path) == ["Second", "First"]

    first.published_at = now - timedelta(hours=1)  # moved up
    first.save()
    assert headlines(client, path) == ["First", "Second"]

    second.published_at = now + timedelta(hours=1)  # rescheduled
    second.save()
    assert headlines(client, path) == ["First"]

    second.published_at = now - timedelta(minutes=5)
    second.status = Article.Status.DRAFT  # withdrawn, its time in the past
    second.save()
    assert headlines(client, path) == ["First"]


@pytest.mark.parametrize("path", ["/feed/author/dana/", "/feed/tag/economy/"])
def test_a_feed_of_only_unpublished_stories_is_404_and_a_feed_asks_only_kept_queries(client, path):
    dana = make_author("Dana", slug="dana")
    story = make_article(authors=[dana], tags=["Economy"], status=Article.Status.DRAFT)
    assert client.get(path).status_code == 404

    story.status, story.published_at = Article.Status.PUBLISHED, timezone.now()
    story.save()
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    assert story.headline in response.content.decode()
    # Its subject too: not a search of every public story for one with that topic or author.
    assert [is_kept(query["sql"]) for query in captured.captured_queries] == [True] * len(captured)


def scanned_rows(table: str) -> int:
    """Rows of `table` read by sequential scans in this transaction so far."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT seq_tup_read FROM pg_stat_xact_user_tables WHERE relname = %s", [table]
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("table", ["articles_taggedarticle", "articles_byline"])
def test_the_triggers_find_stories_and_links_by_key_however_small_the_tables_were_at_first(table):
    """A session keeps the plans of a trigger's statements: made while the tables held a page
    (a new site, or seed_demo's first stories before its one long transaction), they would read
    the whole table for every link as the archive grows (a 100,000-story seed passed its
    statement timeout)."""
    dana = make_author("Dana", slug="dana")
    first = make_article(authors=[dana], tags=["Energy"])
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE articles_article, {table}")  # a page each
    # Each trigger's plan made and kept.
    if table == "articles_taggedarticle":
        first.tags.add(*(f"Tag {n}" for n in range(8)))
    else:
        for position in range(1, 8):
            Byline.objects.create(article=first, author=make_author(), position=position)
    first.published_at -= timedelta(minutes=1)
    first.save()
    energy = Tag.objects.get(name="Energy")
    with transaction.atomic():
        stories = make_archive(2000, first.section, every=timedelta(hours=1))
        before = scanned_rows("articles_article")
        if table == "articles_taggedarticle":
            TaggedArticle.objects.bulk_create(
                TaggedArticle(content_object=story, tag=energy) for story in stories
            )
        else:
            Byline.objects.bulk_create(Byline(article=story, author=dana) for story in stories)
        assert scanned_rows("articles_article") == before

        before = scanned_rows(table)
        for story in stories[:10]:
            story.published_at -= timedelta(minutes=1)
            story.save(update_fields=["published_at"])
        assert scanned_rows(table) == before
    story_column = "content_object_id" if table == "articles_taggedarticle" else "article_id"
    assert link_times(stories[0], table, story_column) == {stories[0].published_at}


def generic_plans(field: str, subject_id: int) -> list[str]:
    """The plans of a topic's or an author's first page and count, as every render runs them
    (in their generic plan, the same for every topic or author)."""
    found = []
    with connection.cursor() as cursor:
        for query in page_queries._FIRST_PAGES[field]:
            _, params = query.sql(at=timezone.now(), id=subject_id, ids=[])
            places = ", ".join(["%s"] * len(params))
            cursor.execute(
                f"{GENERIC_PLAN}EXPLAIN (COSTS OFF) EXECUTE {query.name}({places})", params
            )
            found.append("\n".join(row for (row,) in cursor.fetchall()))
    return found


@pytest.mark.parametrize(
    ("field", "path", "link_index"),
    [
        ("authors", "/author/rare/", "byline_story_time_idx"),
        ("tags", "/tag/rare/", "tagged_story_time_idx"),
    ],
)
def test_one_plan_reads_any_topics_or_authors_stories_down_their_links(
    client, field, path, link_index
):
    """A rare topic's or author's stories are found through its links, as a busy one's: down
    the publication index, one plan for all would walk the archive to find a rare one's.
    And the status it asks for is written in its SQL (story_queries._Word), not a parameter:
    only then may the plan check each story in the indexes of published stories alone."""
    rare = make_author("Rare", slug="rare")
    only = make_article(authors=[rare], tags=["Rare"], headline="The rare one")
    # A newsroom's reporters and topics, each with 30 of the archive's stories.
    reporters = [make_author(f"Reporter {n}", slug=f"reporter-{n}") for n in range(100)]
    topics = Tag.objects.bulk_create(Tag(name=f"Topic {n}", slug=f"topic-{n}") for n in range(100))
    archive = make_archive(3000, only.section, every=timedelta(minutes=1))
    Byline.objects.bulk_create(
        Byline(article=story, author=reporters[n % 100]) for n, story in enumerate(archive)
    )
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=story, tag=topics[n % 100]) for n, story in enumerate(archive)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article, articles_byline, articles_taggedarticle")

    assert headlines(client, path) == ["The rare one"]
    subject = rare.pk if field == "authors" else Tag.objects.get(slug="rare").pk
    for plan in generic_plans(field, subject):
        # Down the links' index, by the time each carries.
        assert link_index in plan
        assert re.search(r"Index Cond: \(\(\w+ = \$\d\) AND \(story_published_at <= \$", plan)
        assert "Seq Scan" not in plan
        # The plan knows which stories it wants: never "status = $1".
        assert not re.search(r"\(status\)::text = \$", plan)


def plan_of_page(captured) -> str:
    """The plan of the query that read a later page's stories (by its OFFSET)."""
    (sql,) = [query["sql"] for query in captured.captured_queries if "OFFSET" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (COSTS OFF) {sql}")
        return "\n".join(row for (row,) in cursor.fetchall())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("path", "index", "key"),
    [
        ("/world/", "article_section_listed_idx", "published_at"),
        ("/author/dana/", "byline_story_time_idx", "story_published_at"),
        ("/tag/economy/", "tagged_story_time_idx", "story_published_at"),
    ],
)
def test_later_pages_go_on_down_their_lists_index_in_page_ones_order(client, path, index, key):
    """A page deep in a section's, a topic's or an author's list (a crawler walks them all)
    skips the stories before it down the list's own index, as page 1 reads its own: never by
    joining every public story of the archive with a topic's links and sorting them all, nor
    by fetching each skipped story of a section from the table."""
    dana, world = make_author("Dana", slug="dana"), make_section("World", slug="world")
    section = make_article(headline="Elsewhere").section
    theirs = make_archive(3000, section, every=timedelta(minutes=1))[::2]
    Article.objects.filter(pk__in=[story.pk for story in theirs]).update(section=world)
    economy = Tag.objects.create(name="Economy", slug="economy")
    Byline.objects.bulk_create(Byline(article=story, author=dana) for story in theirs)
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=story, tag=economy) for story in theirs
    )
    with connection.cursor() as cursor:
        # As autovacuum leaves a site's tables: their pages marked all-visible, so that an
        # index holding all a query reads (an index-only scan) is worth reading alone.
        cursor.execute("VACUUM ANALYZE articles_article, articles_byline, articles_taggedarticle")
    per_page = page_queries.PER_PAGE

    first_two = headlines(client, path) + headlines(client, f"{path}?page=2")
    assert first_two == [story.headline for story in theirs[: 2 * per_page]]
    with CaptureQueriesContext(connection) as captured:
        twelfth = headlines(client, f"{path}?page=12")
    assert twelfth == [story.headline for story in theirs[11 * per_page : 12 * per_page]]
    plan = plan_of_page(captured)
    assert re.search(
        rf"Index Only Scan (Backward )?using {index} .*\n *Index Cond: \(\(\w+ = \d+\) AND "
        rf"\({key} <= ",
        plan,
    ), plan
