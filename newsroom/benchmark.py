"""The pieces of `make bench` (newsroom/management/commands/bench.py): gunicorn on loopback,
wrk as the load, queries counted in-process, and the report.

Figures from a shared 2-core machine move from run to run: read each page as a ratio of the
floor (newsroom/floor.py) measured in the same run, not as absolute seconds.
"""

import os
import platform
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from deploy.services import Gunicorn

# Reader pages measured, by name. The search word is a common one (one story in nine).
PAGES = [
    ("home", "/"),
    ("article", "/world/blinken-heads-to-israel-as-ceasefire-talks-gain-momentum/"),
    ("section", "/world/"),
    ("tag", "/tag/economy/"),
    ("author", "/author/dana-levi/"),
    ("search", "/search/?q=market"),
    ("feed", "/feed/"),
    ("sitemap", "/sitemap.xml"),
    # A page of the stories' sitemap (the whole of it at 1,000 stories): 5,000 addresses.
    ("sitemap of stories", "/sitemap-articles.xml"),
]
CACHE_SECONDS = 60
# What a browser (and Varnish or a CDN, fetching from the site) says it accepts. Cached pages are
# measured both ways: as browsers ask, and without it (wrk's default, the whole page in bytes).
AS_BROWSERS_ASK = ("Accept-Encoding: gzip, deflate, br",)
# Each page, and the floor, is loaded this long before it is measured: every worker has made
# its copies or parts first, as in a site that has been up for a while.
WARM_UP_SECONDS = 2

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_DURATION = r"([\d.]+)(us|ms|s|m)\b"


def _ms(match) -> float:
    return round(float(match.group(1)) * _UNITS_MS[match.group(2)], 2)


def parse_wrk(output: str) -> dict:
    """Requests per second, p50 and p99 (ms) and failed requests from `wrk --latency` output."""
    done = re.search(r"(\d+) requests in", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(rf"^\s+50%\s+{_DURATION}", output, re.M)
    p99 = re.search(rf"^\s+99%\s+{_DURATION}", output, re.M)
    if not (rps and p50 and p99):
        raise ValueError(f"Unexpected wrk output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    answered = done is not None and int(done.group(1)) > 0  # else wrk prints zeros
    return {
        "rps": round(float(rps.group(1)), 1),
        "p50_ms": _ms(p50) if answered else None,
        "p99_ms": _ms(p99) if answered else None,
        "errors": (int(non_2xx.group(1)) if non_2xx else 0)
        + (sum(int(n) for n in sockets.groups()) if sockets else 0),
    }


def run_wrk(
    url: str,
    *,
    connections: int,
    threads: int,
    duration: int,
    headers: tuple = (),
    script: str | None = None,
    script_args: tuple = (),
    until=None,
) -> dict:
    """wrk's figures (parse_wrk) and how many requests it made; `script` is a Lua script
    choosing each request (newsroom/bench_traffic.py), given `script_args`. `until`: a test
    asked every few milliseconds; once it holds, wrk is interrupted, and measures its run up
    to then (`duration` is then the most it runs)."""
    threads = min(threads, connections)
    # A generous timeout: a slow answer is measured as slow, not counted as a failure.
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    command += ["--latency", url]
    if script_args:
        command += ["--", *script_args]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        if until is not None:
            # wrk sleeps for its whole duration even when its threads have stopped; SIGINT ends
            # the sleep, and it reports on the time it ran.
            while process.poll() is None and not until():
                time.sleep(0.005)
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        output = process.communicate()[0]
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command, output)
    done = re.search(r"(\d+) requests in", output)
    return {**parse_wrk(output), "requests": int(done.group(1)) if done else 0}


def fetch_status(url: str, attempts: int = 10, headers: tuple = ()) -> tuple[int, str]:
    """The page's status and Content-Encoding, asked again for a while if it is not 200 (a
    database restart)."""
    request = urllib.request.Request(url, headers=dict(h.split(": ", 1) for h in headers))
    for _ in range(attempts):
        encoding = ""
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                status, encoding = response.status, response.headers["Content-Encoding"] or ""
        except urllib.error.HTTPError as error:
            status = error.code
        if status == 200:
            break
        time.sleep(1)
    return status, encoding


@contextmanager
def gunicorn(app: str, *, env: dict, workers: int, run_dir: str, ready_path: str = "/healthz"):
    """`app` served by gunicorn with sync workers on a free loopback port (deploy.services, with
    its own control socket and log in `run_dir`): yields its base URL."""
    server = Gunicorn(Path(run_dir), env, workers, app=app, ready_path=ready_path).start()
    try:
        yield server.url
    finally:
        server.stop()


def count_queries(pages=PAGES, host: str = "127.0.0.1") -> dict:
    """Database queries per page, in this process through Django's test client: a page rendered
    afresh (page cache off, its shared parts not yet kept either: the most a miss costs), and a
    second anonymous request with the page cache on (a hit)."""
    client = Client(headers={"host": host}, raise_request_exception=False)
    counts = {}
    for name, path in pages:
        # Counted on leaving each block: a later request resets the connection's query log.
        with (
            override_settings(NEWSROOM_PAGE_CACHE_SECONDS=0, NEWSROOM_FRAGMENT_CACHE_SECONDS=0),
            CaptureQueriesContext(connection) as uncached,
        ):
            status = client.get(path).status_code
        counts[name] = {"status": status, "uncached": len(uncached)}
        with override_settings(NEWSROOM_PAGE_CACHE_SECONDS=CACHE_SECONDS):
            client.get(path)
            with CaptureQueriesContext(connection) as cached:
                client.get(path)
            counts[name]["cached"] = len(cached)
    return counts


def database_for_size(url: str, size: int) -> str:
    """The bench database of one size: `<name>_<size>` beside the one in `url`."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{size}"))


def ensure_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    conn = psycopg2.connect(maintenance)
    conn.autocommit = True  # CREATE DATABASE cannot run in a transaction
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(
                line.split(":", 1)[1].strip() for line in info if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    memory_gb = None
    try:
        with open("/proc/meminfo") as info:
            kb = int(next(line.split()[1] for line in info if line.startswith("MemTotal")))
            memory_gb = round(kb / 1024 / 1024, 1)
    except (OSError, StopIteration, ValueError):
        pass
    return {
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0)),
        "memory_gb": memory_gb,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def _n(value) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def markdown(results: dict) -> str:
    """The report as Markdown: one table per size, and how each page scales between sizes."""
    m, run = results["machine"], results["settings"]
    lines = [
        f"Measured {results['when']} on {m['cpu']} ({m['cores']} cores"
        + (f", {m['memory_gb']} GB" if m.get("memory_gb") else "")
        + f"), {m['os']}, Python {m['python']}, {results['postgres']}; "
        f"gunicorn {run['workers']} sync workers, `wrk -t{run['threads']} -c{run['connections']} "
        f"-d{run['duration']}s` after {WARM_UP_SECONDS} s of the same load, {run['cache']} "
        "cache. Ratios are to the floor, a bare Django "
        "view with no middleware and no database under the same gunicorn settings, measured "
        "just before and just after each page (for half as long each) by a server kept up beside "
        "the site's; *alone* is the p50 of one connection (`wrk -t1 -c1`); queries are per "
        "request, counted in-process. *Cached*: anonymous readers served whole copies of pages "
        "(NEWSROOM_PAGE_CACHE_SECONDS=60), asked for as browsers ask "
        f"(`{AS_BROWSERS_ASK[0]}`: gzip-compressed); *no gzip*: the same copies asked for "
        "without it (wrk's default: every byte of the page). *Uncached*: no whole copies (0), "
        "every request makes its page, asked for without gzip; the parts every reader shares (a "
        "story with its related stories and rail, its comments region) are kept as in "
        "production on a miss; its queries are those of a page whose parts are not kept yet "
        "either, the most one request costs.",
        "",
    ]
    for size in results["sizes"]:
        floor = size["floor"]
        lines += [
            f"**{size['stories']:,} stories, {size['comments']:,} comments** "
            + (
                f"(seeded by an earlier run; checked in {size['seed_seconds']:.0f} s). "
                if size.get("seeded_before")
                else f"(seeded in {size['seed_seconds']:.0f} s). "
            )
            + f"Floor: {_n(floor['rps'])} req/s (mean of its runs beside the pages, "
            f"{_n(floor['rps_low'])} to {_n(floor['rps_high'])}), p50 {_n(floor['p50_ms'])} ms, "
            f"p99 {_n(floor['p99_ms'])} ms, alone p50 {_n(floor['p50_alone_ms'])} ms.",
            "",
            "| page | cached req/s | × floor | p50 ms | p99 ms | queries | no gzip req/s "
            "| × floor | p99 ms | uncached req/s | × floor | p50 ms | p99 ms | alone p50 ms "
            "| queries | errors |",
            "| --- " + "| ---: " * 15 + "|",
        ]
        for page in size["pages"]:
            c, i, u = page["cached"], page["identity"], page["uncached"]
            lines.append(
                f"| {page['page']} | {_n(c['rps'])} | {c['ratio']:.2f} | {_n(c['p50_ms'])} "
                f"| {_n(c['p99_ms'])} | {c['queries']} | {_n(i['rps'])} | {i['ratio']:.2f} "
                f"| {_n(i['p99_ms'])} | {_n(u['rps'])} | {u['ratio']:.3f} "
                f"| {_n(u['p50_ms'])} | {_n(u['p99_ms'])} | {_n(u['p50_alone_ms'])} | {u['queries']} "
                f"| {c['errors'] + i['errors'] + u['errors']} |"
            )
        lines.append("")
    if len(results["sizes"]) > 1:
        small, large = results["sizes"][0], results["sizes"][-1]
        lines += [
            f"**Scaling**: uncached throughput at {large['stories']:,} stories against "
            f"{small['stories']:,} (as a share of each run's floor).",
            "",
            f"| page | {small['stories']:,} × floor | {large['stories']:,} × floor | slowdown |",
            "| --- | ---: | ---: | ---: |",
        ]
        for before, after in zip(small["pages"], large["pages"], strict=True):
            b, a = before["uncached"]["ratio"], after["uncached"]["ratio"]
            slowdown = f"{b / a:.2f}×" if a else "–"
            lines.append(f"| {before['page']} | {b:.3f} | {a:.3f} | {slowdown} |")
        lines.append("")
    return "\n".join(lines)
