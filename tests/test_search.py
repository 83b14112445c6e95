import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.public import search as search_module
from articles.public.search import MAX_QUERY_LENGTH, clean_query, simple_search
from articles.public.views import PER_PAGE
from newsroom.demo import ensure_authors, ensure_reference_article, ensure_sections
from tests.factories import make_article, make_author, make_photo

pytestmark = pytest.mark.django_db


def results(client, q, **params) -> tuple[int, str]:
    response = client.get("/search/", {"q": q, **params})
    return response.status_code, response.content.decode()


def headlines(html: str) -> list[str]:
    found = re.findall(r'<h2 class="story-headline"><a href="[^"]+">(.*?)</a></h2>', html)
    return [re.sub(r"</?mark>", "", headline) for headline in found]


def test_ceasefire_finds_the_reference_article_first(client):
    make_article(
        headline="Markets wait on the region",
        body="<p>Traders hope a ceasefire would calm energy prices.</p>",
    )
    make_article(
        headline="Border towns count the cost",
        subheadline="Residents say a ceasefire cannot come soon enough.",
    )
    reference = ensure_reference_article(ensure_sections(), ensure_authors())

    status, html = results(client, "ceasefire")

    assert status == 200
    assert headlines(html)[0] == reference.headline
    assert len(headlines(html)) == 3
    assert "3 results for “ceasefire”" in html


def test_headline_outranks_subheadline_outranks_body(client):
    in_body = make_article(headline="Body match", body="<p>The desalination plant opens.</p>")
    in_sub = make_article(headline="Sub match", subheadline="A desalination plant opens.")
    in_headline = make_article(headline="Desalination plant opens")

    assert headlines(results(client, "desalination")[1]) == [
        in_headline.headline,
        in_sub.headline,
        in_body.headline,
    ]


def test_search_understands_word_forms(client):
    story = make_article(headline="Negotiators negotiate a truce")

    assert headlines(results(client, "negotiating")[1]) == [story.headline]


def test_only_published_stories_are_found(client):
    make_article(headline="Published harbour story")
    make_article(headline="Draft harbour story", status=Article.Status.DRAFT)
    make_article(headline="Review harbour story", status=Article.Status.REVIEW)

    assert headlines(results(client, "harbour")[1]) == ["Published harbour story"]


def test_matches_are_highlighted_in_headline_and_snippet(client):
    make_article(
        headline="Ceasefire talks resume",
        body="<p>Officials said the <strong>ceasefire</strong> proposal &amp; its timetable were close.</p>",
    )

    html = results(client, "ceasefire")[1]

    assert "<mark>Ceasefire</mark> talks resume" in html
    assert re.search(
        r'<p class="dek snippet">.*<mark>ceasefire</mark> proposal &amp; its timetable', html
    )
    assert "<strong>" not in re.search(r'<p class="dek snippet">.*?</p>', html).group()


def test_markup_in_stories_cannot_escape_the_snippet(client):
    make_article(
        headline="Escaping story", body="<p>quarry &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )

    html = results(client, "quarry")[1]

    assert "<script>alert(1)" not in html
    snippet = re.search(r'<p class="dek snippet">(.*?)</p>', html).group(1)
    assert "<mark>quarry</mark> &lt;script&gt;alert(1)" in snippet


def test_results_are_paginated_and_keep_the_query(client):
    for n in range(PER_PAGE + 2):
        make_article(headline=f"Election story {n}")

    first = results(client, "election")[1]
    second = results(client, "election", page=2)[1]

    assert len(headlines(first)) == PER_PAGE
    assert len(headlines(second)) == 2
    assert 'href="?q=election&amp;page=2">More results</a>' in first
    assert 'href="?q=election&amp;page=1">Previous results</a>' in second
    assert "Older stories" not in first and "Newer stories" not in second  # ranked, not by time
    assert results(client, "election", page="abc")[0] == 404
    assert results(client, "election", page=9)[0] == 404


def test_an_empty_query_shows_the_form_without_results(client):
    make_article(headline="Anything")

    for q in ("", "   "):
        status, html = results(client, q)
        assert status == 200
        assert "Type a few words to search every published story." in html
        assert '<label for="search-page-q">Search published stories</label>' in html


@pytest.mark.parametrize(
    "q",
    [
        "'",
        '"',
        "!!!",
        "a & | ! ( ) : *",
        "ceasefire)",
        "-",
        "OR",
        "the",
        "<script>alert(1)</script>",
        "ceasefire\x00talks",
        "\ue000marker",
        "x" * 5000,
        "%",
        "'; DROP TABLE articles_article; --",
    ],
)
def test_hostile_queries_are_handled_gracefully(client, q):
    make_article(headline="Ceasefire talks")

    status, html = results(client, q)

    assert status == 200
    assert "<script>alert(1)" not in html
    assert Article.objects.exists()


def test_queries_are_cleaned_and_capped():
    assert clean_query("  cease\x00fire \n talks ") == "cease fire talks"
    assert len(clean_query("y" * 5000)) == MAX_QUERY_LENGTH


def test_no_results_says_so(client):
    make_article(headline="Something else")

    html = results(client, "zeppelin")[1]

    assert "No stories match “zeppelin”." in html


def test_words_only_left_out_are_no_search(client):
    make_article(headline="Ceasefire talks")
    make_article(headline="Harbour reopens")

    # "Everything but…" would read every story (no index serves it); with a word to find, fine.
    assert "No stories match “-ceasefire”." in results(client, "-ceasefire")[1]
    assert headlines(results(client, "harbour -ceasefire")[1]) == ["Harbour reopens"]


def test_the_search_page_asks_not_to_be_indexed(client):
    assert '<meta name="robots" content="noindex, follow">' in results(client, "x")[1]


def test_the_search_index_holds_published_stories_written_through():
    # Postgres's use of it is checked with the ranking below, on enough stories to need it.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_indexdef('article_search_published_idx'::regclass),"
            " to_regclass('article_search_document_idx')"
        )
        definition, old_index = cursor.fetchone()

    assert "USING gin (search_document)" in definition
    assert "fastupdate=off" in definition  # no pending list for every search to read
    assert "WHERE ((status)::text = 'published'::text)" in definition
    assert old_index is None


def test_the_stored_document_follows_every_write_even_without_save(client):
    story = make_article(headline="Harbour reopens")
    Article.objects.filter(pk=story.pk).update(headline="Zeppelin lands at the harbour")

    assert headlines(results(client, "zeppelin")[1]) == ["Zeppelin lands at the harbour"]
    assert results(client, "reopens")[1].count("story-headline") == 0


def test_common_words_rank_only_the_newest_matches(client, monkeypatch):
    monkeypatch.setattr(search_module, "SEARCH_CANDIDATES", 3)
    now = timezone.now()
    make_article(headline="Tram line opens", published_at=now - timedelta(days=30))
    older_body = make_article(
        body="<p>The tram runs late.</p>", published_at=now - timedelta(hours=3)
    )
    newer_body = make_article(
        body="<p>The tram runs early.</p>", published_at=now - timedelta(hours=1)
    )
    in_headline = make_article(headline="Tram fares rise", published_at=now - timedelta(hours=2))

    status, html = results(client, "tram")

    # The newest three matches, the headline match first; the month-old story is left out.
    assert status == 200
    assert headlines(html) == [in_headline.headline, newer_body.headline, older_body.headline]
    assert "the best matches among the newest 3 come first" in html


def test_the_result_page_is_kept_for_anonymous_readers(
    client, settings, django_assert_max_num_queries
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    make_article(headline="Budget vote delayed")
    first = client.get("/search/", {"q": "budget"})

    # A hit reads at most the content version: no search, no count, no bylines.
    with django_assert_max_num_queries(1):
        again = client.get("/search/", {"q": "budget"})

    assert again.content == first.content
    assert "public" in again["Cache-Control"]
    assert "max-age" in again["Cache-Control"]
    assert not again.cookies


def test_the_quickstart_fallback_matches_text_newest_first():
    older = make_article(headline="Ceasefire in the north")
    newer = make_article(body="<p>Hopes for a CEASEFIRE grow.</p>")
    older.published_at = older.published_at.replace(year=older.published_at.year - 1)
    older.save()
    make_article(headline="Unrelated")

    found = list(simple_search(Article.objects.published(), "ceasefire"))

    assert found == [newer, older]


def test_search_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    for n in range(PER_PAGE + 5):
        make_article(headline=f"Budget story {n}", tags=["Economy"])
    client.get("/")

    # Expect 3 queries: the ranked matches (ids); the page shown, with highlights; its bylines.
    with django_assert_num_queries(3):
        client.get("/search/", {"q": "budget"})


def ranked_ids(terms: str, **planner) -> tuple[list[int], str]:
    """The ranked candidates and how Postgres found them, with some of its plans switched off."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")  # as in a settled database
        for setting, value in planner.items():
            cursor.execute(f"SET LOCAL {setting} = {value}")
        with CaptureQueriesContext(connection) as queries:
            ids = search_module.search(terms).ids
        cursor.execute(f"EXPLAIN {queries[0]['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        for setting in planner:
            cursor.execute(f"RESET {setting}")
    return ids, plan


def test_many_matches_are_ranked_the_same_whichever_way_postgres_finds_them(monkeypatch):
    monkeypatch.setattr(search_module, "SEARCH_CANDIDATES", 10)
    now = timezone.now()
    stories = [
        make_article(
            headline="Tram news" if n % 30 == 0 else f"Story {n}",
            body="<p>The tram runs.</p>" if n % 30 == 20 else "<p>No trains.</p>",
            published_at=now - timedelta(hours=n),
        )
        for n in range(300)
    ]
    make_article(headline="Tram draft", status=Article.Status.DRAFT)
    make_article(headline="Tram scheduled", published_at=now + timedelta(hours=1))
    newest = [s for n, s in enumerate(stories) if n % 30 in (0, 20)][:10]
    # Headline matches first, then body matches; newest first among equals.
    expected = [s.pk for s in newest if "Tram" in s.headline] + [
        s.pk for s in newest if "Tram" not in s.headline
    ]

    # Newest first down the publication-time index, or all matches from the GIN index.
    walked, walk_plan = ranked_ids("tram", enable_bitmapscan="off", enable_seqscan="off")
    looked_up, gin_plan = ranked_ids("tram", enable_indexscan="off", enable_seqscan="off")

    # GIN indexes are read by bitmap scans only: with those off, the candidates are found by
    # walking a b-tree over the stories (which one depends on the table's statistics).
    assert "Index Scan" in walk_plan and "article_search_published_idx" not in walk_plan
    assert "article_search_published_idx" in gin_plan
    assert walked == looked_up == expected


def test_result_pages_end_with_the_ranked_candidates(client, monkeypatch):
    monkeypatch.setattr(search_module, "SEARCH_CANDIDATES", PER_PAGE + 3)
    for n in range(PER_PAGE * 3):
        make_article(headline=f"Election story {n}")

    first = results(client, "election")[1]
    status, last = results(client, "election", page=2)

    assert "the best matches among the newest 15 come first" in first
    assert status == 200 and len(headlines(last)) == 3
    assert 'rel="next"' not in last
    assert results(client, "election", page=3)[0] == 404


def test_result_cards_with_photos_and_bylines_need_no_more_queries(
    client, django_assert_num_queries
):
    for n in range(PER_PAGE + 2):
        make_article(
            headline=f"Budget story {n}",
            lead_photo=make_photo(),
            authors=[make_author(), make_author()],
        )
    client.get("/search/", {"q": "budget"})

    # The ranked matches; the page shown with highlights, sections and photos; its bylines.
    with django_assert_num_queries(3):
        html = client.get("/search/", {"q": "budget"}).content.decode()

    assert html.count("<picture") == PER_PAGE
    assert html.count('<span class="byline">') == PER_PAGE


def executed_plan(terms: str) -> tuple[list[int], str]:
    """The ranked candidates for `terms`, and the plan of finding them as it ran."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    with CaptureQueriesContext(connection) as queries:
        ids = search_module.search(terms).ids
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {queries[0]['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return ids, plan


def every_match_was_read(plan: str) -> bool:
    """Whether the search's second way (every match, the planner's choice of index) ran."""
    lines = plan.splitlines()
    everything = next(n for n, line in enumerate(lines) if '"*SELECT* 2"' in line)
    scans = [
        line for line in lines[everything:] if "Scan" in line and "on articles_article" in line
    ]
    return bool(scans) and not any("never executed" in line for line in scans)


def test_a_pair_of_common_words_is_found_among_the_newest_stories(monkeypatch):
    monkeypatch.setattr(search_module, "SEARCH_CANDIDATES", 3)  # the newest 30 read first
    now = timezone.now()
    stories = [
        make_article(
            headline="Tram strike called" if n % 2 == 0 else f"Story {n}",
            body="<p>Union says tram strike goes on.</p>" if n % 3 == 0 else "<p>Quiet day.</p>",
            published_at=now - timedelta(hours=n),
        )
        for n in range(60)
    ]
    old_only = make_article(
        headline="Zeppelin hangar reopens", published_at=now - timedelta(days=9)
    )
    make_article(headline="Zeppelin hangar draft", status=Article.Status.DRAFT)

    common, common_plan = executed_plan("tram strike")
    rare, rare_plan = executed_plan("zeppelin hangar")

    # The three newest stories with both words, the one with them in headline and body first,
    # then the headline match: found among the newest stories, without reading every match.
    both = [stories[0], stories[2], stories[3]]
    assert common == [story.pk for story in both]
    assert not every_match_was_read(common_plan)
    # A pair the newest stories do not hold: every match is found.
    assert rare == [old_only.pk]
    assert every_match_was_read(rare_plan)
