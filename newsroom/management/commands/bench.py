"""Throughput of the public pages under load: gunicorn on loopback, wrk as the client.

Run through `make bench`, which installs wrk and points DATABASE_URL at a bench database.
Figures are requests per second and latency per page, plus each page's throughput as a
ratio of /healthz measured in the same run (this machine is shared: compare ratios, not seconds).
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from articles.models import Article, Section

REQUESTS_RE = re.compile(r"Requests/sec:\s+([\d.]+)")
LATENCY_RE = re.compile(r"Latency\s+([\d.]+)(us|ms|s)")
UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Command(BaseCommand):
    help = "Benchmark the public pages with wrk against gunicorn on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=2000)
        parser.add_argument("--duration", type=int, default=10, help="Seconds of load per page.")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)

    def handle(self, *args, articles, duration, connections, workers, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on Postgres: set DATABASE_URL.")
        if shutil.which("wrk") is None:
            raise CommandError("wrk is not installed (make bench installs it).")
        call_command("migrate", verbosity=0)
        self.stdout.write(f"Seeding the bench newsroom ({articles} stories)…")
        call_command("seed_demo", articles=articles, stdout=self.stdout)
        connection.close()

        with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
            env = {**os.environ, "STATIC_ROOT": f"{tmp}/static"}
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                env=env,
                check=True,
            )
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            server = subprocess.Popen(
                [
                    sys.executable, "-m", "gunicorn", "newsroom.wsgi",
                    "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                    "--worker-class", "sync", "--control-socket", f"{tmp}/gunicorn.ctl",
                    "--access-logfile", "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
                ],
                env=env,
                start_new_session=True,
            )  # fmt: skip
            try:
                self.wait_until_up(f"{base}/healthz")
                results = [
                    self.load(name, base, path, duration, connections)
                    for name, path in self.pages()
                ]
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)

        self.report(results, articles, duration, connections, workers)

    def pages(self):
        story = Article.objects.published().get(
            slug="blinken-heads-to-israel-as-ceasefire-talks-gain-momentum"
        )
        section = Section.objects.get(slug="world")
        return [
            ("healthz", "/healthz"),
            ("home", "/"),
            ("article", story.get_absolute_url()),
            ("section", section.get_absolute_url()),
            ("search", "/search/?q=ceasefire"),
            ("feed", "/feed/"),
        ]

    def wait_until_up(self, url):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise CommandError(f"gunicorn did not answer {url} within 60 s")

    def load(self, name, base, path, duration, connections):
        url = base + path
        with urllib.request.urlopen(url, timeout=10) as response:
            status = response.status  # a warm-up request, and proof that the page works
        output = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rps = float(REQUESTS_RE.search(output).group(1))
        latency = LATENCY_RE.search(output)
        non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
        return {
            "page": name,
            "path": path,
            "status": status,
            "requests_per_second": rps,
            "mean_latency_ms": round(float(latency.group(1)) * UNIT[latency.group(2)], 2),
            "errors": int(non_2xx.group(1)) if non_2xx else 0,
        }

    def report(self, results, articles, duration, connections, workers):
        baseline = results[0]["requests_per_second"] or 1
        for row in results:
            row["ratio_to_healthz"] = round(row["requests_per_second"] / baseline, 3)
        summary = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "articles": articles,
            "duration_s": duration,
            "connections": connections,
            "gunicorn_workers": workers,
            "cpus": os.cpu_count(),
            "results": results,
        }
        out_dir = Path(settings.BASE_DIR) / "var" / "bench"
        out_dir.mkdir(parents=True, exist_ok=True)
        stamp = summary["when"].replace(":", "")
        for path in (out_dir / f"bench-{stamp}.json", out_dir / "latest.json"):
            path.write_text(json.dumps(summary, indent=2))
        self.stdout.write(
            f"\n{'page':<10}{'req/s':>10}{'mean ms':>10}{'× healthz':>11}{'errors':>8}"
        )
        for row in results:
            self.stdout.write(
                f"{row['page']:<10}{row['requests_per_second']:>10.1f}"
                f"{row['mean_latency_ms']:>10.2f}{row['ratio_to_healthz']:>11.3f}{row['errors']:>8}"
            )
        self.stdout.write(f"\nWritten to {out_dir / 'latest.json'}")
