"""varnishd running the shipped deploy/varnish/default.vcl in front of a test gunicorn, as in
production: readers' listener, the app servers' purge listener (`-a purge=...`) and the purge
secret in varnishd's environment. Only the backend's port and, for tests that play the TLS proxy
from another loopback address, the `trusted_proxies` ACL are written into a copy of the file."""

import http.client
import os
import re
import secrets
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from deploy.services import stop_process
from tests.servers import REPO, free_port, request, wait_for

VCL = REPO / "deploy" / "varnish" / "default.vcl"
SHIPPED_TRUSTED_PROXIES = 'acl trusted_proxies {\n    "127.0.0.1";\n    "::1";\n}'
# The TLS proxy in the tests that play it: a loopback address other than the one the tests (and
# the app's purges) come from, which is then a client that reached Varnish directly.
TLS_PROXY = "127.0.0.2"
DIRECT_CLIENT = "127.0.0.1"
# A varnishlog line: nesting marks, tag, value.
LOG_RECORD = re.compile(r"^-+\s+(BereqURL|BereqHeader)\s+(.*)$")


@dataclass
class Cache:
    """Where a test's Varnish listens, chosen before the app starts (the app is told where to
    purge), and the secret the two share."""

    port: int = field(default_factory=free_port)
    purge_port: int = field(default_factory=free_port)
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @property
    def purge_url(self) -> str:
        return f"http://127.0.0.1:{self.purge_port}/"

    def app_env(self) -> dict[str, str]:
        return {"NEWSROOM_PURGE_URLS": self.purge_url, "NEWSROOM_PURGE_SECRET": self.secret}


def shipped_vcl(backend_port: int, trusted_proxy: str | None = None) -> str:
    text = VCL.read_text()
    assert '.port = "8000";' in text
    text = text.replace('.port = "8000";', f'.port = "{backend_port}";')
    if trusted_proxy:
        assert SHIPPED_TRUSTED_PROXIES in text
        text = text.replace(
            SHIPPED_TRUSTED_PROXIES, f'acl trusted_proxies {{\n    "{trusted_proxy}";\n}}'
        )
    return text


@contextmanager
def varnishd(backend_port: int, cache: Cache, trusted_proxy: str | None = None):
    """Yields varnishd's working directory (for varnishlog) once it answers."""
    root = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
    vcl = root / "default.vcl"
    vcl.write_text(shipped_vcl(backend_port, trusted_proxy))
    workdir = root / "work"
    log = root / "varnishd.log"
    command = [
        "varnishd", "-F", "-j", "none", "-n", str(workdir),
        "-a", f"127.0.0.1:{cache.port}", "-a", f"purge=127.0.0.1:{cache.purge_port}",
        "-f", str(vcl), "-s", "malloc,32m",
    ]  # fmt: skip
    env = {**os.environ, "NEWSROOM_PURGE_SECRET": cache.secret}
    with log.open("w") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for(lambda: request(cache.port, "GET", "/healthz")[0] == 200, "varnishd", log=log)
        yield workdir
    finally:
        stop_process(server)
        shutil.rmtree(root, ignore_errors=True)


def request_from(source: str, port, method, path, body=None, headers=None):
    """servers.request, sent from the loopback address `source`."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(source, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode(errors="replace")
    finally:
        connection.close()


def backend_request_headers(workdir: Path, url: str) -> list[dict[str, str]]:
    """The headers of each request Varnish sent the app for `url`, from Varnish's own log."""
    result = subprocess.run(
        ["varnishlog", "-d", "-n", str(workdir), "-g", "request", "-i", "BereqURL,BereqHeader"],
        capture_output=True, text=True, check=True, timeout=10,
    )  # fmt: skip
    fetches, current = [], None
    for line in result.stdout.splitlines():
        record = LOG_RECORD.match(line)
        if not record:
            continue
        tag, value = record.groups()
        if tag == "BereqURL":
            current = {} if value == url else None
            if current is not None:
                fetches.append(current)
        elif current is not None:
            name, _, header = value.partition(": ")
            current[name.lower()] = header
    return fetches
