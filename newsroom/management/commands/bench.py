"""`make bench`: the reader pages under load at two archive sizes, with the page cache on and off,
beside the floor (a bare Django view) measured in the same run.

For each size (1,000 and 100,000 stories, ten comments a story) a database of its own is
migrated and seeded (seed_demo is idempotent: a second run only checks), then each page is
loaded with wrk against gunicorn with production settings: sync workers, DEBUG off, plain HTTP
on loopback. Writes var/bench/results.json and var/bench/results.md. The pieces are in
newsroom/benchmark.py.

Each size runs in a child process (this command again, with --one-size) because Django holds
one database per process; the child also counts each page's queries in-process.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from articles.models import Article
from newsroom import bench_render, bench_traffic, benchmark, benchmark_api


class Command(BaseCommand):
    help = "Benchmark the reader pages with wrk against gunicorn on 127.0.0.1 (see make bench)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes",
            default="1000,100000",
            help="Comma-separated numbers of stories (default 1000,100000).",
        )
        parser.add_argument("--comments-per-story", type=int, default=10)
        parser.add_argument("--duration", type=int, default=10, help="Seconds of load per run.")
        parser.add_argument("--connections", type=int, default=32)
        parser.add_argument("--threads", type=int, default=2)
        parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)) * 2 + 1)
        parser.add_argument(
            "--profile",
            action="store_true",
            help="Also write a cProfile of each page rendered from nothing to var/bench/.",
        )
        parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
        parser.add_argument("--results-file", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on Postgres: set DATABASE_URL.")
        if shutil.which("wrk") is None:
            raise CommandError("wrk is not installed (make bench installs it).")
        if options["one_size"]:
            self.measure_size(options["one_size"], options)
        else:
            self.run(options)

    def run(self, options):
        try:
            sizes = [int(size) for size in options["sizes"].split(",")]
        except ValueError:
            raise CommandError("--sizes takes numbers of stories, such as 1000,100000.") from None
        base_url = os.environ["DATABASE_URL"]
        measured = []
        with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
            env = {**os.environ, "STATIC_ROOT": f"{tmp}/static"}
            self.stdout.write("Collecting static files…")
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                env=env,
                cwd=settings.BASE_DIR,
                check=True,
            )
            for size in sizes:
                url = benchmark.database_for_size(base_url, size)
                benchmark.ensure_database(url)
                out = Path(tmp) / f"size-{size}.json"
                forwarded = [
                    f"--{name.replace('_', '-')}={options[name]}"
                    for name in ("comments_per_story", "duration", "connections", "threads", "workers")
                ] + (["--profile"] if options["profile"] else [])  # fmt: skip
                subprocess.run(
                    [
                        sys.executable, "manage.py", "bench", f"--one-size={size}",
                        f"--results-file={out}", *forwarded,
                    ],
                    env={**env, "DATABASE_URL": url},
                    cwd=settings.BASE_DIR,
                    check=True,
                )  # fmt: skip
                measured.append(json.loads(out.read_text()))
        results = {
            "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": benchmark.machine(),
            "postgres": measured[0].pop("postgres"),
            "settings": {
                "workers": options["workers"],
                "worker_class": "sync",
                "threads": options["threads"],
                "connections": options["connections"],
                "duration": options["duration"],
                "cache": "Redis" if os.environ.get("REDIS_URL") else "disk (shared by the workers)",
                "debug": settings.DEBUG,
            },
            "sizes": measured,
        }
        for size in measured:
            size.pop("postgres", None)
        out_dir = Path(settings.BASE_DIR) / "var" / "bench"
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "results.json").write_text(json.dumps(results, indent=2) + "\n")
        report = benchmark.markdown(results) + "\n" + bench_traffic.markdown(results)
        report += "\n" + "\n".join(
            line for size in measured for line in benchmark_api.markdown(size)
        )
        (out_dir / "results.md").write_text(report)
        self.stdout.write("\n" + report)
        self.stdout.write(f"Written to {out_dir / 'results.json'} and {out_dir / 'results.md'}")

    def measure_size(self, stories, options):
        comments = stories * options["comments_per_story"]
        call_command("migrate", verbosity=0)
        self.stdout.write(f"\n== {stories:,} stories, {comments:,} comments: seeding…")
        already = Article.objects.filter(slug__startswith="demo-story-").count() >= stories
        started = time.monotonic()
        call_command("seed_demo", articles=stories, comments=comments, stdout=self.stdout)
        seed_seconds = time.monotonic() - started
        queries = benchmark.count_queries()
        api = benchmark_api.targets()
        api_queries = benchmark_api.count_queries(api)
        self.stdout.write("  rendering each page from nothing, in-process…")
        rendered = bench_render.render_times(benchmark.PAGES)
        if options["profile"]:
            out_dir = Path(settings.BASE_DIR) / "var" / "bench"
            out_dir.mkdir(parents=True, exist_ok=True)
            for name, path in benchmark.PAGES:
                profile = bench_render.profile(path)
                (out_dir / f"profile-{stories}-{name}.txt").write_text(profile)
        lists = {"search": bench_traffic.headline_searches(), "crawl": bench_traffic.crawl_paths()}
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgres = f"Postgres {cursor.fetchone()[0].split()[0]}"
        connection.close()

        # The main figures at -c32 -t2; and one connection alone, for a page's own latency.
        load = {key: options[key] for key in ("connections", "threads", "duration")}
        alone = {"connections": 1, "threads": 1, "duration": options["duration"]}
        # The machine's load drifts (it is shared): each page is compared with the floor
        # measured just before and just after it, by a floor server kept up beside the site's.
        beside = {**load, "duration": max(3, options["duration"] // 2)}
        with (
            tempfile.TemporaryDirectory(prefix="newsroom-bench-run-") as run_dir,
            benchmark.gunicorn(
                "newsroom.floor:application",
                env=os.environ.copy(),
                ready_path="/",
                workers=options["workers"],
                run_dir=run_dir,
            ) as floor_base,
        ):
            self.stdout.write("  the floor…")
            benchmark.run_wrk(floor_base + "/", **{**load, "duration": benchmark.WARM_UP_SECONDS})
            floor = benchmark.run_wrk(floor_base + "/", **load)
            floor["p50_alone_ms"] = benchmark.run_wrk(floor_base + "/", **alone)["p50_ms"]
            floor_before = benchmark.run_wrk(floor_base + "/", **beside)["rps"]
            figures, traffic = {}, {}

            def beside_the_floor(row):
                """`row` against the floor measured just before and just after it."""
                nonlocal floor_before
                floor_after = benchmark.run_wrk(floor_base + "/", **beside)["rps"]
                row["floor_rps"] = round((floor_before + floor_after) / 2, 1)
                row["ratio"] = round(row["rps"] / row["floor_rps"], 3)
                floor_before = floor_after
                return row

            # Cached pages as browsers ask for them (gzip) and without (the whole page in bytes);
            # uncached pages without: the most a request costs. "uncached": no whole-page copies;
            # the parts every reader shares (the story, its comment threads) are still kept, as
            # in production on a page-cache miss. "nothing": nothing kept at all.
            servers = (
                (
                    benchmark.CACHE_SECONDS,
                    benchmark.CACHE_SECONDS,
                    (("cached", benchmark.AS_BROWSERS_ASK), ("identity", ())),
                ),
                (0, benchmark.CACHE_SECONDS, (("uncached", ()),)),
                (0, 0, (("nothing", ()),)),
            )
            for seconds, fragments, modes in servers:
                env = {
                    **os.environ,
                    "NEWSROOM_PAGE_CACHE_SECONDS": str(seconds),
                    "NEWSROOM_FRAGMENT_CACHE_SECONDS": str(fragments),
                    # Without Redis, a cache of this server's own (the workers share it).
                    "NEWSROOM_CACHE_DIR": f"{run_dir}/cache-{seconds}-{fragments}",
                    "NEWSROOM_VERSIONS_DIR": f"{run_dir}/versions",
                }
                site = benchmark.gunicorn(
                    "newsroom.wsgi", env=env, workers=options["workers"], run_dir=run_dir
                )
                with site as base:
                    for name, path in benchmark.PAGES:
                        for mode, headers in modes:
                            self.stdout.write(f"  {name} ({mode})…")
                            url = base + path
                            status, encoding = benchmark.fetch_status(url, headers=headers)
                            if status != 200:
                                raise CommandError(f"{path} answered {status}, not 200.")
                            if headers and encoding != "gzip":
                                raise CommandError(f"{path} was not gzip-compressed for browsers.")
                            # Steady state: every worker has made its copies (or parts) first.
                            warm_up = {**load, "duration": benchmark.WARM_UP_SECONDS}
                            benchmark.run_wrk(url, **warm_up, headers=headers)
                            row = beside_the_floor(benchmark.run_wrk(url, **load, headers=headers))
                            if mode == "uncached":
                                row["p50_alone_ms"] = benchmark.run_wrk(url, **alone)["p50_ms"]
                            row["queries"] = queries[name]["cached" if seconds else "uncached"]
                            figures[name, mode] = row
                    self.measure_traffic(
                        traffic, beside_the_floor, base, (seconds, fragments), lists, load, run_dir
                    )
            api_rows = benchmark_api.measure(
                api, api_queries, env=os.environ.copy(), workers=options["workers"],
                run_dir=run_dir, floor_base=floor_base, load=load, beside=beside,
            )  # fmt: skip
            besides = [row["floor_rps"] for row in [*figures.values(), *traffic.values()]]
            floor.update(
                rps_first=floor["rps"],
                rps=round(sum(besides) / len(besides), 1),
                rps_low=min(besides),
                rps_high=max(besides),
            )
        result = {
            "stories": stories,
            "comments": comments,
            "seed_seconds": round(seed_seconds, 1),
            "seeded_before": already,
            "postgres": postgres,
            "floor": floor,
            "api": api_rows,
            "pages": [
                {
                    "page": name,
                    "path": path,
                    "cached": figures[name, "cached"],
                    "identity": figures[name, "identity"],
                    "uncached": figures[name, "uncached"],
                    "nothing": figures[name, "nothing"],
                }
                for name, path in benchmark.PAGES
            ],
        }
        result.update(rendered=rendered, traffic=traffic)
        Path(options["results_file"]).write_text(json.dumps(result))

    def measure_traffic(self, traffic, beside_the_floor, base, kept, lists, load, run_dir):
        """What no copy serves, on the server keeping `kept` (page, parts seconds): links with
        new tracking parameters and the crawler (copies on, as in production: in the app and,
        the links, through Varnish), varied searches (no page copies), the crawler again
        (nothing kept)."""
        story = dict(benchmark.PAGES)["article"]
        if kept[0]:
            for name, path in (("home", "/"), ("story", story)):
                self.stdout.write(f"  {name} with new tracking parameters…")
                row = bench_traffic.run_tracking(base, path, run_dir, **load)
                traffic[f"{name}, new tracking parameters (app)"] = beside_the_floor(row)
            with bench_traffic.varnish_in_front(int(base.rsplit(":", 1)[1]), run_dir) as front:
                for name, path in (("home", "/"), ("story", story)):
                    self.stdout.write(f"  {name} through Varnish…")
                    # As browsers ask, like the links with tracking parameters beside it.
                    gzip = {"headers": benchmark.AS_BROWSERS_ASK}
                    benchmark.run_wrk(front + path, **{**load, "duration": 1}, **gzip)
                    row = bench_traffic.run_tracking(front, path, run_dir, plain=True, **load)
                    traffic[f"{name}, a plain hit (Varnish)"] = beside_the_floor(row)
                    row = bench_traffic.run_tracking(front, path, run_dir, **load)
                    traffic[f"{name}, new tracking parameters (Varnish)"] = beside_the_floor(row)
            # The same crawl as production meets it: no story of the list has a copy yet, and
            # the parts every story page shares (header, rail) are kept as they are made.
            self.stdout.write("  crawler, production settings…")
            row = bench_traffic.run_list(base, lists["crawl"], run_dir, once=True, **load)
            traffic["crawler (production settings)"] = beside_the_floor(row)
        elif kept[1]:
            self.stdout.write("  varied search…")
            row = bench_traffic.run_list(base, lists["search"], run_dir, **load)
            traffic["varied search"] = beside_the_floor(row)
        else:
            self.stdout.write("  crawler…")
            row = bench_traffic.run_list(base, lists["crawl"], run_dir, once=True, **load)
            traffic["crawler"] = beside_the_floor(row)
