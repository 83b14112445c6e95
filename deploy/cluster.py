"""Newsroom as it runs on several machines, all on this one, on loopback.

    python deploy/cluster.py          # make cluster: start everything, print addresses, Ctrl-C stops
    python deploy/cluster.py check    # make cluster-check: a short load while parts stop and start

The parts: a Postgres primary and a streaming replica (throwaway, under a temporary folder),
PgBouncer in transaction mode in front of the primary, two gunicorn app servers sharing Redis
(REDIS_URL, default database CLUSTER_REDIS_DB or TEST_REDIS_DB or 9: flushed at start), Varnish
in front of both (deploy/varnish/default.vcl with a round-robin director over the two servers),
and photos on a local S3 server (moto). The shared Postgres at 127.0.0.1:5432 is not used.
"""

import collections
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.services import (
    REPO,
    Gunicorn,
    MotoS3,
    PgBouncer,
    Postgres,
    ServiceError,
    Varnish,
    run,
)

VCL = REPO / "deploy" / "varnish" / "default.vcl"
BUCKET = "newsroom-media"
REFERENCE_PATH = "/world/blinken-heads-to-israel-as-ceasefire-talks-gain-momentum/"
READER_PATHS = ["/", REFERENCE_PATH, "/world/", "/feed/", "/sitemap.xml", "/robots.txt"]


def redis_url() -> str:
    number = os.environ.get("CLUSTER_REDIS_DB") or os.environ.get("TEST_REDIS_DB") or "9"
    return f"redis://127.0.0.1:6379/{number}"


def cluster_vcl(root: Path, servers: list[Gunicorn]) -> Path:
    """The project's VCL with its single backend replaced by the app servers behind a director."""
    text = VCL.read_text()
    probe = re.search(r"\n    \.probe = \{.*?\n    \}", text, re.S)
    backends = "".join(
        f'backend app{number} {{\n    .host = "127.0.0.1";\n    .port = "{server.port}";'
        f"{probe.group(0) if probe else ''}\n}}\n\n"
        for number, server in enumerate(servers, start=1)
    )
    director = (
        "sub vcl_init {\n    new apps = directors.round_robin();\n"
        + "".join(f"    apps.add_backend(app{n});\n" for n in range(1, len(servers) + 1))
        + "}\n\n# Runs before the project's vcl_recv.\nsub vcl_recv {\n"
        "    set req.backend_hint = apps.backend();\n"
        "    # Kept, so that a post can be sent again to the other server (below).\n"
        '    if (req.method == "POST") {\n        std.cache_req_body(1MB);\n    }\n}\n\n'
        "# A server that stopped between two probes, or a kept connection it closed: try the\n"
        "# next one. Other fetches move the round robin on too, so a retry can meet the stopped\n"
        "# server again: a few tries, not one.\n"
        "sub vcl_backend_error {\n    if (bereq.retries < 4) {\n        return (retry);\n"
        "    }\n}\n\n"
    )
    text, count = re.subn(r"backend default \{.*?\n\}\n", backends + director, text, flags=re.S)
    if count != 1:
        raise ServiceError(f"{VCL}: expected one `backend default` block to replace")
    text = text.replace("import std;", "import directors;\nimport std;", 1)
    path = root / "cluster.vcl"
    path.write_text(text)
    path.chmod(0o644)
    return path


class Cluster:
    def __init__(self, root: Path, settings: dict[str, str] | None = None):
        self.root = root
        self.settings = settings or {}
        self.stopping: list = []

    def start(self) -> "Cluster":
        root = self.root
        say("Postgres primary")
        self.primary = Postgres.primary(root / "pg").start()
        self.stopping.append(self.primary)
        self.primary.psql("CREATE DATABASE newsroom")
        say("S3 (moto)")
        self.s3 = MotoS3(root).start()
        self.stopping.append(self.s3)
        import boto3

        boto3.client(
            "s3", endpoint_url=self.s3.url, region_name="us-east-1",
            aws_access_key_id="cluster", aws_secret_access_key="cluster",
        ).create_bucket(Bucket=BUCKET)  # fmt: skip
        import redis

        redis.Redis.from_url(redis_url()).flushdb()

        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
            "DJANGO_DEBUG": "0",
            "DJANGO_HTTPS": "0",
            "DJANGO_SECRET_KEY": "cluster-only-secret-key-for-loopback-runs-never-in-production",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_LOG_LEVEL": "WARNING",
            "STATIC_ROOT": str(root / "static"),
            "DATABASE_URL": self.primary.url("newsroom"),
            "REDIS_URL": redis_url(),
            "MEDIA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": self.s3.url,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_ACCESS_KEY_ID": "cluster",
            "AWS_SECRET_ACCESS_KEY": "cluster",
            "COMMENTS_TRUSTED_PROXIES": "1",
            "PYTHONUNBUFFERED": "1",
            **self.settings,
        }
        say("migrate, collectstatic, seed the demo (on the primary, directly)")
        manage = [sys.executable, "manage.py"]
        run([*manage, "migrate", "--noinput", "-v", "0"], cwd=REPO, env=self.env)
        run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=REPO, env=self.env)
        run([*manage, "seed_demo", "--users", "--comments", "20"], cwd=REPO, env=self.env)

        say("streaming replica")
        self.replica = self.primary.replica().start()
        self.stopping.append(self.replica)
        self.replica.wait_for_replay_of(self.primary)
        say("PgBouncer")
        self.bouncer = PgBouncer(root / "pgbouncer", port=self.primary.port).start()
        self.stopping.append(self.bouncer)

        self.env |= {
            "DATABASE_URL": self.bouncer.url("newsroom"),
            "DATABASE_POOLER": "pgbouncer",
            "DATABASE_REPLICA_URLS": self.replica.url("newsroom"),
        }
        self.varnish = Varnish(root, root / "cluster.vcl")
        self.env["NEWSROOM_PURGE_URLS"] = self.varnish.purge_url
        self.env["NEWSROOM_PURGE_SECRET"] = self.varnish.purge_secret
        self.apps = [Gunicorn(root, self.env, workers=3) for _ in range(2)]
        for app in self.apps:
            say(f"gunicorn on {app.port}")
            app.start()
            self.stopping.append(app)
        cluster_vcl(root, self.apps)
        say("Varnish")
        if shutil.which("varnishd") is None:
            raise ServiceError("varnishd is not installed (make cluster installs it)")
        self.varnish.start()
        self.stopping.append(self.varnish)
        return self

    def wait_until_writable(self, timeout: float = 30) -> None:
        """Until every app server's /healthz says the primary answers again."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                answers = [
                    json.loads(urllib.request.urlopen(f"{app.url}/healthz", timeout=3).read())
                    for app in self.apps
                ]
            except OSError:
                answers = []
            if answers and all(answer["database"] == "ok" for answer in answers):
                return
            time.sleep(0.2)

    def addresses(self) -> str:
        return "\n".join(
            [
                f"  site (Varnish)   {self.varnish.url}/   back office {self.varnish.url}/admin/",
                *(f"  app server {n}     {app.url}/" for n, app in enumerate(self.apps, 1)),
                f"  PgBouncer        {self.bouncer.url('newsroom')}",
                f"  primary          {self.primary.url('newsroom')}",
                f"  replica          {self.replica.url('newsroom')}",
                f"  Redis            {redis_url()}",
                f"  S3 (moto)        {self.s3.url}/{BUCKET}",
                f"  logs             {self.root}",
                "  demo logins      editor, reporter, moderator / newsroom-demo",
            ]
        )

    def stop(self) -> None:
        for part in reversed(self.stopping):
            try:
                part.stop()
            except ServiceError as error:
                print(error, file=sys.stderr)
        self.stopping.clear()


def say(what: str) -> None:
    print(f"== {what}", flush=True)


def temporary_root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="newsroom-cluster-"))
    root.chmod(0o755)  # Postgres, PgBouncer and Varnish's workers run as other users
    return root


def serve() -> None:
    root = temporary_root()
    cluster = Cluster(root)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # Even when started where SIGINT is ignored (a background job): Ctrl-C must stop it all.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        cluster.start()
        print("\nNewsroom cluster is up:\n" + cluster.addresses() + "\nCtrl-C stops it all.\n")
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        say("stopping")
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


# The check: a short load through Varnish while parts are stopped and started again.


class _HiddenFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.action, self.fields, self.inside = None, {}, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("action") or "").startswith("/comments/post/"):
            self.action, self.inside = attrs["action"], True
        elif tag == "input" and self.inside and attrs.get("type") == "hidden":
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def fetch(url: str, data: bytes | None = None, headers: dict | None = None) -> str:
    """The answer's status; Varnish's own error pages (no app server answered) say so."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return str(response.status)
    except urllib.error.HTTPError as error:
        from_varnish = b"Guru Meditation" in error.read()
        return f"{error.code}{' from Varnish' if from_varnish else ''}"
    except OSError:
        return "no answer"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


urllib.request.install_opener(urllib.request.build_opener(NoRedirect()))


class Load:
    """Readers (GETs of cached and uncached pages) and commenters (POSTs) in threads; counts
    answers by phase, kind and status."""

    def __init__(self, base: str, readers: int = 6):
        self.base = base
        self.readers = readers
        self.phase = "warm-up"
        self.counts: dict = collections.defaultdict(collections.Counter)
        self.lock = threading.Lock()
        self.running = True
        page = urllib.request.urlopen(base + REFERENCE_PATH, timeout=10).read().decode()
        form = _HiddenFields()
        form.feed(page)
        self.comment_url = base + form.action
        self.comment_fields = form.fields

    def record(self, kind: str, status: str) -> None:
        with self.lock:
            self.counts[self.phase][(kind, status)] += 1

    def reader(self, number: int) -> None:
        n = 0
        while self.running:
            n += 1
            path = READER_PATHS[n % len(READER_PATHS)]
            if n % 3 == 0:  # a new address each time: the app and its database answer
                path = f"/search/?q=ceasefire+{number}-{n}"
            self.record("read", fetch(self.base + path))

    def commenter(self) -> None:
        n = 0
        while self.running:
            n += 1
            body = urllib.parse.urlencode(
                {**self.comment_fields, "name": "Load", "email": "load@example.com",
                 "body": f"Comment {n} from the cluster check."}
            ).encode()  # fmt: skip
            headers = {"Origin": self.base, "Referer": self.base + REFERENCE_PATH}
            self.record("write", fetch(self.comment_url, body, headers))
            time.sleep(0.2)

    def __enter__(self):
        self.threads = [
            threading.Thread(target=self.reader, args=(n,)) for n in range(self.readers)
        ] + [threading.Thread(target=self.commenter)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        for thread in self.threads:
            thread.join()

    def during(self, phase: str, seconds: float, before=None) -> None:
        with self.lock:
            self.phase = phase
        say(phase)
        if before is not None:
            before()
        time.sleep(seconds)


EXPECTED = {("read", "200"), ("write", "303")}
# While the primary is away, writes are refused on purpose.
INTENDED = {"primary stopped": {("write", "503")}}


def report(load: Load, started: float) -> int:
    print(
        f"\ncluster-check: {time.monotonic() - started:.0f} s, answers by phase (kind status: count)"
    )
    unexpected = 0
    for phase, counts in load.counts.items():
        total = sum(counts.values())
        parts = []
        for (kind, status), count in sorted(counts.items()):
            label = f"{kind} {status}: {count}"
            if (kind, status) in EXPECTED:
                parts.append(label)
            elif (kind, status) in INTENDED.get(phase, set()):
                parts.append(label + " (intended)")
            else:
                parts.append(label + " (ERROR)")
                unexpected += count
        print(f"  {phase:<28} {total:>6} requests   " + ", ".join(parts))
    print(f"errors (unexpected answers): {unexpected}")
    return unexpected


def check(seconds: float = 8) -> int:
    root = temporary_root()
    # Many posts from one address in a few seconds: the per-address limit would answer 429.
    cluster = Cluster(root, {"COMMENTS_RATE_LIMIT_PER_MINUTE": "100000"})
    started = time.monotonic()
    failed = True
    try:
        cluster.start()
        print(cluster.addresses())
        load = Load(cluster.varnish.url)
        with load:
            load.during("all up", seconds)
            # A phase starts before its part stops and ends once the part is back.
            for phase, part in [
                ("replica", cluster.replica),
                ("app server 1", cluster.apps[0]),
                ("primary", cluster.primary),
            ]:
                load.during(f"{phase} stopped", seconds, before=part.stop)
                part.start()
                if part is cluster.primary:
                    cluster.wait_until_writable()
                load.during(f"{phase} back", seconds)
        health = urllib.request.urlopen(cluster.apps[1].url + "/healthz", timeout=5).read()
        print("healthz after the check:", json.dumps(json.loads(health)))
        failed = report(load, started) > 0
        return 1 if failed else 0
    finally:
        say("stopping")
        cluster.stop()
        if failed:
            print(f"logs kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["check"]:
        sys.exit(check(float(os.environ.get("CLUSTER_CHECK_SECONDS", 8))))
    serve()
