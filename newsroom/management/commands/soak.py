"""A soak run: production settings under gunicorn (sync workers), a steady mixed load from
loopback for a fixed time, and what it did to errors, latency and worker memory.

Run through `make soak`. 64 client threads (one connection each) request the home page, stories,
topic pages, searches and comment posts in a fixed mix. Each thread posts as its own reader
address (X-Forwarded-For, with COMMENTS_TRUSTED_PROXIES=1 as behind one proxy), faster than the
comment rate limit allows, so some posts are meant to get 429. Bounded by time and by a request
cap. Worker memory is read from /proc after a short warm-up and at the end.
"""

import http.client
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from taggit.models import Tag

from articles.models import Article
from deploy.services import Gunicorn, ServiceError
from newsroom.benchmark import ensure_database

MIX = [("home", 25), ("article", 35), ("tag", 15), ("search", 15), ("comment", 10)]
SEARCH_WORDS = ["ceasefire", "talks", "minister", "water", "election", "market", "storm", "court"]
STARTED_RE = re.compile(r'name="started" value="([^"]+)"')


def rss_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(pid) for pid in children)


class Load:
    """The client side: threads, each with its own connection and reader address."""

    def __init__(self, port, paths, deadline, max_requests):
        self.port, self.paths = port, paths
        self.deadline, self.max_requests = deadline, max_requests
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.by_kind: Counter = Counter()
        self.latencies: list[float] = []
        self.sent = 0

    def take_turn(self) -> bool:
        with self.lock:
            if self.sent >= self.max_requests or time.monotonic() >= self.deadline:
                return False
            self.sent += 1
            return True

    def record(self, kind, status, seconds):
        with self.lock:
            self.statuses[status] += 1
            self.by_kind[(kind, status)] += 1
            self.latencies.append(seconds)

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read(), response
        finally:
            conn.close()

    def reader(self, number: int):
        rng = random.Random(number)
        address = f"198.18.{number // 250}.{number % 250 + 1}"
        forwarded = {"X-Forwarded-For": address}
        story = rng.choice(self.paths["article"])
        # The comment form as this reader's browser got it: the same page for every reader, no
        # cookie and no token (posts are checked by their origin, and by the signed time).
        _, html, _ = self.request("GET", story, headers=forwarded)
        started = STARTED_RE.search(html.decode())
        action = re.search(r'<form[^>]+action="(/comments/post/\d+/)"', html.decode())
        kinds, weights = zip(*MIX, strict=True)
        posts = 0
        while self.take_turn():
            kind = rng.choices(kinds, weights)[0]
            if kind == "comment" and (action is None or started is None):
                self.record(kind, "no comment form on the story", 0.0)  # an error, reported
                continue
            began = time.monotonic()
            try:
                if kind == "comment":
                    posts += 1
                    body = (
                        f"name=Soak+Reader+{number}"
                        f"&email=soak{number}%40example.com&website="
                        f"&body=Comment+{posts}+from+reader+{number}+during+the+soak"
                        f"&started={started.group(1)}"
                    )
                    status, _, _ = self.request(
                        "POST", action.group(1), body=body,
                        headers={**forwarded,
                                 "Content-Type": "application/x-www-form-urlencoded",
                                 "Origin": f"http://127.0.0.1:{self.port}",
                                 "Referer": f"http://127.0.0.1:{self.port}{story}"},
                    )  # fmt: skip
                else:
                    status, _, _ = self.request(
                        "GET", rng.choice(self.paths[kind]), headers=forwarded
                    )
            except (OSError, http.client.HTTPException) as error:
                status = f"connection error ({type(error).__name__})"
            self.record(kind, status, time.monotonic() - began)

    def run(self, threads: int):
        pool = [threading.Thread(target=self.reader, args=(n,)) for n in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()


class Command(BaseCommand):
    help = "Soak the site: production settings, gunicorn, 64 connections, 60 s (make soak)."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=60)
        parser.add_argument("--connections", type=int, default=64)
        parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
        parser.add_argument("--max-requests", type=int, default=200_000)
        parser.add_argument("--warmup", type=int, default=10, help="Seconds before memory is read.")
        parser.add_argument("--articles", type=int, default=500)

    def handle(self, *args, duration, connections, workers, max_requests, warmup, articles, **kw):
        if connection.vendor != "postgresql":
            raise CommandError("The soak runs on Postgres: set DATABASE_URL.")
        ensure_database(os.environ["DATABASE_URL"])
        call_command("migrate", verbosity=0)
        call_command("seed_demo", articles=articles, comments=100, users=True, stdout=self.stdout)
        paths = self.paths()
        connection.close()

        with tempfile.TemporaryDirectory(prefix="newsroom-soak-") as tmp:
            env = {**os.environ, "STATIC_ROOT": f"{tmp}/static", "COMMENTS_TRUSTED_PROXIES": "1"}
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                env=env,
                check=True,
            )
            try:
                server = Gunicorn(Path(tmp), env, workers).start()
            except ServiceError as error:
                raise CommandError(str(error)) from None
            port, master = server.port, server.process.pid
            try:
                booted = {pid: rss_kb(pid) for pid in workers_of(master)}
                Load(port, paths, time.monotonic() + warmup, max_requests).run(connections)
                started_pids = workers_of(master)
                before = {pid: rss_kb(pid) for pid in started_pids}
                began = time.monotonic()
                load = Load(port, paths, began + duration, max_requests)
                load.run(connections)
                elapsed = time.monotonic() - began
                after_pids = workers_of(master)
                after = {pid: rss_kb(pid) for pid in after_pids}
            finally:
                server.stop()
        self.report(load, elapsed, connections, workers, booted, before, after)

    def paths(self) -> dict:
        stories = list(
            Article.objects.published().select_related("section").order_by("-published_at")[:200]
        )
        tags = list(
            Tag.objects.filter(article__in=Article.objects.published())
            .distinct()
            .values_list("slug", flat=True)[:50]
        )
        if not stories or not tags:
            raise CommandError("The soak needs published stories with tags (seed_demo makes them).")
        return {
            "home": ["/"],
            "article": [story.get_absolute_url() for story in stories],
            "tag": [f"/tag/{slug}/" for slug in tags] + [f"/tag/{slug}/?page=1" for slug in tags],
            "search": [f"/search/?q={a}+{b}" for a in SEARCH_WORDS for b in SEARCH_WORDS],
        }

    def report(self, load, elapsed, connections, workers, booted, before, after):
        total = sum(load.statuses.values())
        latencies = sorted(load.latencies)
        p50 = statistics.median(latencies) * 1000
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
        ok = {status for status in load.statuses if isinstance(status, int) and status < 400}
        errors = {s: n for s, n in load.statuses.items() if s not in ok and s != 429}
        write = self.stdout.write
        write(f"\nsoak: {elapsed:.0f} s, {connections} connections, {workers} sync workers")
        write(f"requests: {total} ({total / elapsed:.0f}/s)")
        write(
            "by status: "
            + ", ".join(f"{s}: {n}" for s, n in sorted(load.statuses.items(), key=str))
        )
        for kind, _ in MIX:
            counts = {s: n for (k, s), n in load.by_kind.items() if k == kind}
            write(
                f"  {kind:<8} " + ", ".join(f"{s}: {n}" for s, n in sorted(counts.items(), key=str))
            )
        write(f"intended 429s (comment rate limit): {load.statuses.get(429, 0)}")
        write(f"errors (anything else not 2xx/3xx): {sum(errors.values())} {errors or ''}")
        write(f"latency: p50 {p50:.1f} ms, p99 {p99:.1f} ms")
        boot_total, start_total, end_total = (sum(m.values()) for m in (booted, before, after))
        write(f"worker RSS: {boot_total / 1024:.1f} MB at boot, {start_total / 1024:.1f} MB after "
              f"warm-up, {end_total / 1024:.1f} MB at the end "
              f"({(end_total - start_total) / start_total * 100:+.1f}% over the run)")  # fmt: skip
        for pid in sorted(set(before) | set(after)):
            start, end = before.get(pid), after.get(pid)
            write(f"  worker {pid}: {start and start / 1024:.1f} → {end and end / 1024:.1f} MB"
                  if start and end else f"  worker {pid}: replaced during the run")  # fmt: skip
