"""`make bench`: reader pages rendered from nothing, in this process (no HTTP, no gunicorn): the
page cache off and no part kept, so every request reads the database and renders every template.
The p50 of many renders of each page, and optionally a cProfile of them (`--profile`), say what a
page costs to make and where that time goes, with less of the noise of a shared machine than
throughput under load."""

import cProfile
import io
import pstats
import statistics
import time

from django.test import Client
from django.test.utils import override_settings

# How many renders of each page are timed after one to warm up (imports, template compilation).
RENDERS = 30


def nothing_kept():
    """The settings of a render from nothing: no page copies and no kept parts."""
    return override_settings(NEWSROOM_PAGE_CACHE_SECONDS=0, NEWSROOM_FRAGMENT_CACHE_SECONDS=0)


def render_times(pages, host: str = "127.0.0.1", renders: int = RENDERS) -> dict:
    """{name: {"status", "bytes", "p50_ms", "cpu_p50_ms", "calls"}} for each (name, path) of
    `pages`: the wall-clock and CPU-time (this process's) p50 of `renders` renders, and the
    Python function calls of one render (counted by cProfile: the same from run to run however
    busy the machine is, so a fair before and after on a shared machine)."""
    client = Client(headers={"host": host}, raise_request_exception=False)
    figures = {}
    with nothing_kept():
        for name, path in pages:
            first = client.get(path)
            wall, cpu = [], []
            for _ in range(renders):
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(path)
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            profiler = cProfile.Profile()
            profiler.runcall(client.get, path)
            figures[name] = {
                "status": first.status_code,
                "bytes": len(first.content),
                "p50_ms": round(statistics.median(wall), 2),
                "cpu_p50_ms": round(statistics.median(cpu), 2),
                "calls": pstats.Stats(profiler).total_calls,
            }
    return figures


def profile(path: str, host: str = "127.0.0.1", renders: int = 10, lines: int = 40) -> str:
    """cProfile of `renders` renders of `path` from nothing: the functions by their own time and
    by their cumulative time, as text."""
    client = Client(headers={"host": host}, raise_request_exception=False)
    with nothing_kept():
        client.get(path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(renders):
            client.get(path)
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(lines)
    stats.sort_stats("cumulative").print_stats(lines)
    return out.getvalue()
