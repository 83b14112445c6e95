"""`make bench`: the traffic that never meets a copy, and the report of it. Varied searches (a
few hundred words and pairs of words from the archive's own headlines), a crawler (distinct
archive stories in random order, each asked once), links shared with new tracking parameters
each time (in the app and through the shipped Varnish configuration), every reader page made
from nothing over HTTP, and the in-process figures of newsroom/bench_render.py.

wrk runs each list from a Lua script: every thread takes every n-th address of the list from its
own place in it, so no address is asked twice until the whole list has been (a run that gets
that far says so: `wrapped`). A crawl ends when its whole list has been answered.
"""

import itertools
import os
import random
import re
import secrets
import subprocess
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from deploy.services import REPO, free_port, http_status, stop_process, wait_for

from . import benchmark

SEARCHES = 300
CRAWLED = 10_000
SEED = 22  # the same lists in every run
# A crawl reads its whole list once: a cost that grows with the stories read shows only then.
# This bounds the run if the server is far slower than it should be.
ONCE_AT_MOST_SECONDS = 600

# Each wrk thread learns its number (`offset`), to take its own share of the requests.
_THREAD_NUMBER = """
local counter = 0
function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
end
"""

_LIST_SCRIPT = (
    _THREAD_NUMBER
    + """
function init(args)
  paths = {}
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  step = tonumber(args[2])
  i = offset + 1 - step
  done_file = args[3]  -- read once: the file to make (_ONCE_SCRIPT)
end
function request()
  i = i + step
  if i > #paths then i = offset + 1 end
  return wrk.format("GET", paths[i])
end
"""
)

# A list read once: a thread stops when every address of its share has been answered, and makes
# a file that says so (wrk hands each response to Lua only when a script asks for it).
_ONCE_SCRIPT = """
function response()
  answered = (answered or 0) + 1
  if answered == math.ceil((#paths - offset) / step) then
    io.open(done_file, "w"):close()
    wrk.thread:stop()
  end
end
"""

# A new fbclid (and campaign) on every request, as links shared on social networks carry.
_TRACKING_SCRIPT = (
    _THREAD_NUMBER
    + """
function init(args)
  path = args[1]
  plain = args[2] == "plain"
  run = tostring(os.time())
  n = 0
end
function request()
  n = n + 1
  if plain then return wrk.format("GET", path) end
  return wrk.format("GET", path .. "?utm_source=share&utm_campaign=" .. run ..
    "&fbclid=IwAR" .. offset .. "x" .. n)
end
"""
)


def headline_searches(count: int = SEARCHES) -> list[str]:
    """Search addresses for `count` distinct words and pairs of words (of one headline) from the
    headlines of published stories (half of each, or as many as there are)."""
    from articles.models import Article

    headlines = Article.objects.published().order_by("-pk").values_list("headline", flat=True)
    words, pairs = set(), set()
    for headline in headlines[:5000]:
        found = [w.lower() for w in re.findall(r"[^\W\d_]{4,}", headline)]
        words.update(found)
        pairs.update(f"{a} {b}" for a, b in itertools.combinations(found, 2) if a != b)
    pick = random.Random(SEED)
    chosen = pick.sample(sorted(words), min(count // 2, len(words)))
    chosen += pick.sample(sorted(pairs), min(count - len(chosen), len(pairs)))
    pick.shuffle(chosen)
    return ["/search/?" + urlencode({"q": terms}) for terms in chosen]


def crawl_paths(count: int = CRAWLED) -> list[str]:
    """The addresses of `count` distinct published stories, in random order."""
    from articles.models import Article

    ids = list(Article.objects.published().values_list("pk", flat=True))
    chosen = random.Random(SEED).sample(ids, min(count, len(ids)))
    stories = Article.objects.select_related("section").in_bulk(chosen)
    return [stories[pk].get_absolute_url() for pk in chosen]


def run_list(
    base: str,
    paths: list[str],
    run_dir: str,
    *,
    once: bool = False,
    at_most_seconds: int = ONCE_AT_MOST_SECONDS,
    **load,
) -> dict:
    """wrk over `paths` (see the module docstring): its figures, and whether it got through the
    whole list (then some addresses were asked twice). `once`: the run ends when every address
    has been answered once, but for the last few of one thread's share (or after
    `at_most_seconds`), not after the load's duration."""
    folder = Path(run_dir)
    listed = folder / "paths.txt"
    listed.write_text("\n".join(paths) + "\n")
    script = folder / "list.lua"
    script.write_text(_LIST_SCRIPT + (_ONCE_SCRIPT if once else ""))
    # Each thread has a share of the list, of one address at least.
    threads = min(load["threads"], load["connections"], len(paths))
    load = {**load, "threads": threads}
    arguments, until = (str(listed), str(threads)), None
    if once:
        done = folder / "share-answered"
        done.unlink(missing_ok=True)
        arguments += (str(done),)
        load = {**load, "duration": at_most_seconds}

        def until():
            # The first thread through its share: the others are near the end of theirs. wrk
            # ends now, all its connections with it; a thread stopped while the rest go on
            # would leave its last connections open, unwritten, each holding a sync worker
            # until the worker's timeout.
            return done.exists()

    row = benchmark.run_wrk(
        base + "/", **load, script=str(script), script_args=arguments, until=until
    )
    row["distinct"] = len(paths)
    row["wrapped"] = row["requests"] > len(paths)
    return row


def run_tracking(base: str, path: str, run_dir: str, *, plain: bool = False, **load) -> dict:
    """wrk on `path` with new tracking parameters on every request; or, `plain`, the bare path
    made by the same Lua request function (a fair plain hit beside it: making each request in
    Lua costs wrk, on the same cores, more than the server's work on a hit)."""
    script = Path(run_dir) / "tracking.lua"
    script.write_text(_TRACKING_SCRIPT)
    row = benchmark.run_wrk(
        base + path,
        **load,
        headers=benchmark.AS_BROWSERS_ASK,  # as a browser following the link asks
        script=str(script),
        script_args=(path, "plain" if plain else "tracking"),
    )
    return {**row, "tracking": not plain}


@contextmanager
def varnish_in_front(app_port: int, run_dir: str):
    """varnishd with the shipped VCL (deploy/varnish/default.vcl), its backend the app on
    `app_port`, run as tests/varnish_servers.py runs it: yields its base URL."""
    vcl = (REPO / "deploy" / "varnish" / "default.vcl").read_text()
    if '.port = "8000";' not in vcl:
        raise RuntimeError("The shipped VCL no longer names its backend port as 8000.")
    folder = Path(run_dir)
    copy = folder / "bench.vcl"
    copy.write_text(vcl.replace('.port = "8000";', f'.port = "{app_port}";'))
    port, purge_port = free_port(), free_port()
    command = [
        "varnishd", "-F", "-j", "none", "-n", str(folder / "varnish"),
        "-a", f"127.0.0.1:{port}", "-a", f"purge=127.0.0.1:{purge_port}",
        "-f", str(copy), "-s", "malloc,128m",
    ]  # fmt: skip
    env = {**os.environ, "NEWSROOM_PURGE_SECRET": secrets.token_urlsafe(32)}
    with (folder / "varnishd.log").open("w") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: http_status(url + "/healthz") == 200, "varnishd", 30, process)
        yield url
    finally:
        stop_process(process)


def _n(value) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _ratio(row: dict) -> str:
    return f"{row['ratio']:.3f}" if row.get("ratio") is not None else "–"


def markdown(results: dict) -> str:
    """The report's part on pages made from nothing and traffic no copy serves."""
    lines = [
        "**Rendered from nothing.** *In-process*: each page rendered by Django's test client in "
        "the benchmark's own process with no page copy and no kept part (NEWSROOM_PAGE_CACHE_"
        "SECONDS=0, NEWSROOM_FRAGMENT_CACHE_SECONDS=0), after one render to warm up: the p50 of "
        f"{results.get('renders', 30)} renders in wall-clock time and in this process's CPU "
        "time, and the Python function calls of one render (cProfile: the same however busy "
        "the machine is). *HTTP, nothing kept*: the same settings under gunicorn and wrk.",
        "",
    ]
    for size in results["sizes"]:
        lines += [
            f"*{size['stories']:,} stories*",
            "",
            "| page | in-process p50 ms | CPU p50 ms | calls | nothing kept req/s | × floor "
            "| p50 ms | p99 ms |",
            "| --- " + "| ---: " * 7 + "|",
        ]
        for page in size["pages"]:
            made = size.get("rendered", {}).get(page["page"], {})
            http = page.get("nothing") or {}
            lines.append(
                f"| {page['page']} | {_n(made.get('p50_ms'))} | {_n(made.get('cpu_p50_ms'))} "
                f"| {made.get('calls', '–'):,} | {_n(http.get('rps'))} | {_ratio(http)} "
                f"| {_n(http.get('p50_ms'))} | {_n(http.get('p99_ms'))} |"
            )
        traffic = size.get("traffic", {})
        lines += [
            "",
            "| traffic | req/s | × floor | p50 ms | p99 ms | requests | distinct | errors |",
            "| --- " + "| ---: " * 7 + "|",
        ]
        for name, row in traffic.items():
            distinct = row.get("distinct") or ("new each time" if row.get("tracking") else "one")
            lines.append(
                f"| {name} | {_n(row['rps'])} | {_ratio(row)} | {_n(row['p50_ms'])} "
                f"| {_n(row['p99_ms'])} | {row.get('requests', '–')} "
                f"| {distinct}{' (wrapped)' if row.get('wrapped') else ''} | {row['errors']} |"
            )
        lines.append("")
    lines += [
        "*Varied search*: the search page for a few hundred distinct words and pairs from the "
        "archive's headlines, no page copies (parts kept as in production). *Crawler*: distinct "
        "archive stories in random order, each asked once (the run ends with its list), "
        "nothing kept; *production settings*: the same list on "
        "the server with copies and parts on, none of its stories kept before, the parts their "
        "pages share kept as they are made. *Tracking*: a new `utm_*`/`fbclid` query "
        "on every request, page copies on, asked for as browsers ask (gzip); *through Varnish* "
        "the shipped VCL in front of the same app, beside a plain hit (also gzip) asked by the same "
        "Lua request function.",
        "",
    ]
    return "\n".join(lines)
