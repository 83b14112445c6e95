"""The content API's lines in `make bench` (newsroom/benchmark_api.py): answered with a key made
for the run, queries counted afresh and kept, and a table in the report. Throughput itself is
measured by make bench, not asserted."""

import pytest

from articles.models import ApiKey
from newsroom import benchmark_api
from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db


def test_the_answers_measured_take_the_runs_key_and_count_their_queries():
    make_article(lead_photo=make_photo())
    first = benchmark_api.targets()
    measured = benchmark_api.targets()  # a second run revokes the first run's key

    assert ApiKey.objects.active().count() == 1
    assert [name for name, _, _ in measured] == ["api stories", "api story", "api photos"]
    counts = benchmark_api.count_queries(measured, host="testserver")
    for name, _, _ in measured:
        assert counts[name]["status"] == 200, name
        assert counts[name]["cached"] == 0, name  # the key and the answer are both kept
        assert counts[name]["uncached"] > counts[name]["cached"], name
    assert benchmark_api.count_queries(first[:1], host="testserver")["api stories"]["status"] == 401


def test_the_report_has_a_line_per_answer():
    def row(rps, ratio, queries):
        return {"rps": rps, "p50_ms": 2.0, "p99_ms": 9.0, "errors": 0, "ratio": ratio,
                "queries": queries}  # fmt: skip

    size = {
        "stories": 1000,
        "api": [{"answer": "api story", "path": "/api/v1/stories/1/",
                 "cached": row(800, 0.8, 1), "uncached": row(120, 0.12, 6)}],
    }  # fmt: skip
    lines = benchmark_api.markdown(size)
    assert lines[0].startswith("**Content API, 1,000 stories**")
    assert "| api story | 800 | 0.80 | 2.0 | 9.0 | 1 | 120 | 0.120 | 2.0 | 9.0 | 6 | 0 |" in lines
    assert benchmark_api.markdown({"stories": 1000}) == []
