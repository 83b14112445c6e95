"""The new pieces of `make bench`: lists of varied searches and crawled stories taken from the
archive itself, wrk driven over such a list without asking any address twice, and the report of
pages made from nothing and of that traffic. No timings are asserted."""

import os
from urllib.parse import parse_qs, urlsplit

import pytest

from newsroom import bench_render, bench_traffic, benchmark
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_searches_are_distinct_words_and_pairs_from_the_headlines():
    make_article(headline="Harbour strike ends after talks")
    make_article(headline="Budget talks stall in parliament")

    searches = bench_traffic.headline_searches(count=10)

    terms = [parse_qs(urlsplit(path).query)["q"][0] for path in searches]
    assert len(terms) == len(set(terms)) == 10
    assert any(" " in t for t in terms) and any(" " not in t for t in terms)
    headlines = "harbour strike ends after talks budget talks stall in parliament"
    assert all(word in headlines for t in terms for word in t.split())


def test_the_crawler_gets_distinct_published_stories():
    stories = [make_article() for _ in range(5)]
    make_article(status="draft")

    paths = bench_traffic.crawl_paths(count=10)

    assert sorted(paths) == sorted(story.get_absolute_url() for story in stories)


def test_pages_are_rendered_from_nothing_in_process():
    story = make_article()

    figures = bench_render.render_times([("story", story.get_absolute_url())], "testserver", 3)

    assert figures["story"]["status"] == 200
    assert figures["story"]["calls"] > 1000
    assert figures["story"]["p50_ms"] > 0


def floor_server(run_dir):
    """The floor under gunicorn, one worker, in a clean environment: it configures Django
    itself and answers any path."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    return benchmark.gunicorn(
        "newsroom.floor:application", env=env, workers=1, run_dir=str(run_dir), ready_path="/"
    )


def test_wrk_asks_every_address_of_a_list_once_before_any_twice(tmp_path):
    paths = [f"/?n={n}" for n in range(100_000)]
    with floor_server(tmp_path) as base:
        row = bench_traffic.run_list(
            base, paths, str(tmp_path), connections=4, threads=2, duration=1
        )

    assert row["requests"] > 0 and row["errors"] == 0
    assert row["distinct"] == 100_000 and row["wrapped"] is False


def test_a_crawl_ends_when_every_address_of_its_list_has_been_answered_once(tmp_path):
    # An odd number: the two threads' shares differ by one.
    paths = [f"/?n={n}" for n in range(3001)]
    with floor_server(tmp_path) as base:
        row = bench_traffic.run_list(
            base, paths, str(tmp_path), once=True, at_most_seconds=60,
            connections=4, threads=2, duration=1,
        )  # fmt: skip

    # All of it but the last few of one thread's share, none twice, nothing left waiting.
    assert 2900 <= row["requests"] <= 3001 and row["wrapped"] is False
    assert row["errors"] == 0
    # Its rate is over the time the list took, not the most it could have run.
    assert row["requests"] / row["rps"] < 30


def test_the_report_has_pages_made_from_nothing_and_the_traffic_no_copy_serves():
    wrk = {"rps": 400.0, "p50_ms": 9.0, "p99_ms": 20.0, "errors": 0, "ratio": 0.1}
    size = {
        "stories": 100000,
        "pages": [{"page": "home", "nothing": wrk}],
        "rendered": {"home": {"p50_ms": 7.5, "cpu_p50_ms": 7.0, "calls": 12345}},
        "traffic": {"crawler": {**wrk, "requests": 4000, "distinct": 10000, "wrapped": False}},
    }

    report = bench_traffic.markdown({"sizes": [size]})

    assert "| home | 7.5 | 7.0 | 12,345 | 400 | 0.100 | 9.0 | 20.0 |" in report
    assert "| crawler | 400 | 0.100 | 9.0 | 20.0 | 4000 | 10000 | 0 |" in report
