"""The content API in `make bench` (newsroom/management/commands/bench.py): the story list, a
story and the photo list, asked for with a key, against the floor measured in the same run, the
app's kept answers on (as reader pages are cached) and off. Apart from the reader pages' loop
so that either can change without the other."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from articles.models import ApiKey, Article

from . import benchmark

KEY_NAME = "make bench"
# A key's rate (NEWSROOM_API_RATE_PER_MINUTE) would answer 429 to a load test within a second.
UNLIMITED = str(10**9)


def targets() -> list[tuple[str, str, tuple]]:
    """(name, path, headers) of the answers measured, with a key made for this run in the
    bench's own database (the run before's is deleted: its secret was never kept)."""
    ApiKey.objects.filter(name=KEY_NAME).delete()
    _, key = ApiKey.objects.create_key(KEY_NAME)
    newest = Article.objects.published().order_by("-published_at", "-pk").first()
    header = (f"Authorization: Api-Key {key}",)
    return [
        ("api stories", "/api/v1/stories/", header),
        ("api story", f"/api/v1/stories/{newest.pk}/", header),
        ("api photos", "/api/v1/photos/", header),
    ]


def count_queries(measured, host: str = "127.0.0.1") -> dict:
    """Queries per answer, in-process: made afresh, and kept (a repeat with copies on)."""
    counts = {}
    for name, path, headers in measured:
        client = Client(headers={"host": host, **dict(h.split(": ", 1) for h in headers)})
        with override_settings(NEWSROOM_PAGE_CACHE_SECONDS=0, NEWSROOM_API_RATE_PER_MINUTE=10**9):
            with CaptureQueriesContext(connection) as uncached:
                status = client.get(path).status_code
            counts[name] = {"status": status, "uncached": len(uncached)}
        with override_settings(
            NEWSROOM_PAGE_CACHE_SECONDS=benchmark.CACHE_SECONDS, NEWSROOM_API_RATE_PER_MINUTE=10**9
        ):
            client.get(path)
            with CaptureQueriesContext(connection) as cached:
                client.get(path)
            counts[name]["cached"] = len(cached)
    return counts


def measure(measured, queries, *, env, workers, run_dir, floor_base, load, beside) -> list[dict]:
    """Each answer under `load` with copies kept and not, each against the floor measured just
    before and just after it (as the reader pages are)."""
    rows = {}
    floor_before = benchmark.run_wrk(floor_base + "/", **beside)["rps"]
    for seconds, mode in ((benchmark.CACHE_SECONDS, "cached"), (0, "uncached")):
        site_env = {
            **env,
            "NEWSROOM_PAGE_CACHE_SECONDS": str(seconds),
            "NEWSROOM_FRAGMENT_CACHE_SECONDS": str(benchmark.CACHE_SECONDS),
            "NEWSROOM_API_RATE_PER_MINUTE": UNLIMITED,
        }
        site = benchmark.gunicorn("newsroom.wsgi", env=site_env, workers=workers, run_dir=run_dir)
        with site as base:
            for name, path, headers in measured:
                url = base + path
                status, _ = benchmark.fetch_status(url, headers=headers)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}, not 200.")
                warm_up = {**load, "duration": benchmark.WARM_UP_SECONDS}
                benchmark.run_wrk(url, **warm_up, headers=headers)
                row = benchmark.run_wrk(url, **load, headers=headers)
                floor_after = benchmark.run_wrk(floor_base + "/", **beside)["rps"]
                row["floor_rps"] = round((floor_before + floor_after) / 2, 1)
                row["ratio"] = round(row["rps"] / row["floor_rps"], 3)
                floor_before = floor_after
                row["queries"] = queries[name][mode]
                rows.setdefault(name, {"answer": name, "path": path})[mode] = row
    return list(rows.values())


def markdown(size: dict) -> list[str]:
    """The API's lines of one size's report."""
    if not size.get("api"):
        return []
    n = benchmark._n
    lines = [
        f"**Content API, {size['stories']:,} stories** (with a key; *kept*: the app's copy of "
        "the answer, NEWSROOM_PAGE_CACHE_SECONDS=60, served before Django once kept whole, the "
        "key checked from its kept entry: no query; "
        "*afresh*: made for each request).",
        "",
        "| answer | kept req/s | × floor | p50 ms | p99 ms | queries | afresh req/s | × floor "
        "| p50 ms | p99 ms | queries | errors |",
        "| --- " + "| ---: " * 11 + "|",
    ]
    for row in size["api"]:
        c, u = row["cached"], row["uncached"]
        lines.append(
            f"| {row['answer']} | {n(c['rps'])} | {c['ratio']:.2f} | {n(c['p50_ms'])} "
            f"| {n(c['p99_ms'])} | {c['queries']} | {n(u['rps'])} | {u['ratio']:.3f} "
            f"| {n(u['p50_ms'])} | {n(u['p99_ms'])} | {u['queries']} "
            f"| {c['errors'] + u['errors']} |"
        )
    return [*lines, ""]
