"""The pieces of `make bench` work: the floor answers, wrk's figures are read, queries are
counted, the report is a table. No timings are asserted: throughput is measured by make bench."""

import os
import urllib.request

import pytest

from deploy.services import Gunicorn, ServiceError
from newsroom import benchmark
from tests.factories import make_article

WRK_OUTPUT = """\
Running 1s test @ http://127.0.0.1:18931/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.35ms    2.77ms  37.58ms   89.48%
    Req/Sec     1.27k   504.08     1.74k    76.19%
  Latency Distribution
     50%    2.65ms
     75%    2.84ms
     90%    6.33ms
     99%    1.20s
  2648 requests in 1.10s, 413.89KB read
  Non-2xx or 3xx responses: 3
  Socket errors: connect 0, read 1, write 0, timeout 2
Requests/sec:   2408.78
Transfer/sec:    376.50KB
"""


def test_wrk_figures_are_read_in_milliseconds_with_every_failure_counted():
    assert benchmark.parse_wrk(WRK_OUTPUT) == {
        "rps": 2408.8,
        "p50_ms": 2.65,
        "p99_ms": 1200.0,
        "errors": 6,
    }


def test_a_run_where_nothing_answered_has_no_latency_figures():
    output = WRK_OUTPUT.replace("2648 requests in", "0 requests in")

    assert benchmark.parse_wrk(output)["p50_ms"] is None


def test_the_floor_answers_under_gunicorn_without_middleware_or_database(tmp_path):
    # A clean environment: the floor configures Django itself, with no database at all.
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}

    with (
        benchmark.gunicorn(
            "newsroom.floor:application", env=env, workers=1, run_dir=str(tmp_path), ready_path="/"
        ) as base,
        urllib.request.urlopen(base + "/", timeout=5) as response,
    ):
        assert response.status == 200
        assert response.read() == b"ok\n"
        assert response.headers["Set-Cookie"] is None
        assert response.headers["Content-Security-Policy"] is None  # no middleware ran
        # Nothing compresses its answer either, even for a browser that asks.
        assert benchmark.fetch_status(base + "/", headers=benchmark.AS_BROWSERS_ASK) == (200, "")


@pytest.mark.django_db
def test_queries_are_counted_for_a_fresh_page_and_a_cache_hit():
    story = make_article()
    pages = [("home", "/"), ("article", story.get_absolute_url())]

    counts = benchmark.count_queries(pages, host="testserver")

    assert counts["home"]["status"] == counts["article"]["status"] == 200
    assert counts["home"]["uncached"] > counts["home"]["cached"]
    assert counts["home"]["cached"] <= 1


def test_each_size_gets_its_own_database():
    url = "postgres://postgres@127.0.0.1:5432/newsroom_bench"

    assert benchmark.database_for_size(url, 1000).endswith("/newsroom_bench_1000")


def test_a_server_that_does_not_come_up_is_stopped_and_says_why(tmp_path):
    server = Gunicorn(tmp_path, dict(os.environ), workers=1, app="newsroom.no_such_module:app")

    with pytest.raises(ServiceError) as raised:
        server.start(timeout=30)

    assert "newsroom.no_such_module" in str(raised.value)  # the end of its log
    assert server.process.poll() is not None


def test_the_report_has_a_table_per_size_and_how_pages_scale():
    def row(rps, ratio):
        figures = {"rps": rps, "p50_ms": 9.0, "p99_ms": 20.0, "errors": 0, "ratio": ratio}
        return {**figures, "queries": 1, "p50_alone_ms": 4.0}

    sizes = [
        {
            "stories": stories,
            "comments": stories * 10,
            "seed_seconds": 5,
            "floor": {
                "rps": 1000.0,
                "rps_low": 900.0,
                "rps_high": 1100.0,
                "p50_ms": 3.0,
                "p99_ms": 9.0,
                "p50_alone_ms": 1.0,
            },
            "seeded_before": stories == 1000,
            "pages": [
                {
                    "page": "home",
                    "path": "/",
                    "cached": row(900, 0.9),
                    "identity": row(850, 0.85),
                    "uncached": row(rps, rps / 1000),
                }
            ],
        }
        for stories, rps in ((1000, 200.0), (100000, 100.0))
    ]
    results = {
        "when": "2026-11-30 22:00 UTC",
        "machine": {"cpu": "Test CPU", "cores": 2, "memory_gb": 8, "os": "Linux", "python": "3.11"},
        "postgres": "Postgres 15.20",
        "settings": {
            "workers": 5,
            "threads": 2,
            "connections": 32,
            "duration": 10,
            "cache": "local-memory",
        },
        "sizes": sizes,
    }

    report = benchmark.markdown(results)

    assert "Test CPU (2 cores, 8 GB)" in report
    assert "**100,000 stories, 1,000,000 comments** (seeded in 5 s)" in report
    assert "(seeded by an earlier run; checked in 5 s)" in report
    assert "Floor: 1,000 req/s (mean of its runs beside the pages, 900 to 1,100)" in report
    assert (
        "| home | 900 | 0.90 | 9.0 | 20.0 | 1 | 850 | 0.85 | 20.0 | 200 | 0.200 | 9.0 | 20.0 | 4.0 "
        "| 1 | 0 |" in report
    )
    assert "| home | 0.200 | 0.100 | 2.00× |" in report


@pytest.mark.parametrize("name", ["bench", "soak", "seed_demo", "make_renditions"])
def test_the_measuring_and_seeding_commands_load(name):
    # They run outside the suite (make bench, make soak): a broken import would go unnoticed.
    from django.core.management import load_command_class

    assert load_command_class("newsroom" if name != "make_renditions" else "articles", name)
