"""Every kind of reader page is valid HTML, as the W3C's Nu HTML Checker (vnu.jar) sees it."""

import json
import re
import subprocess
import urllib.error
import urllib.request

import pytest

from .browser import REFERENCE_URL, VNU_JAR

pytestmark = pytest.mark.e2e

JAVA = "/usr/bin/java"


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


@pytest.fixture(scope="module")
def reader_pages(base_url) -> dict[str, str]:
    """The HTML readers get, as served, of each kind of reader page."""
    article = fetch(base_url + REFERENCE_URL)
    story_id = re.search(r'action="/comments/post/(\d+)/"', article).group(1)
    comment_id = re.search(rf'href="/comments/{story_id}/reply/(\d+)/"', article).group(1)
    paths = {
        "home": "/",
        "article": REFERENCE_URL,
        "section": "/world/",
        "topic": "/tag/antony-blinken/",
        "author": "/author/dana-levi/",
        "search": "/search/?q=ceasefire",
        "search without results": "/search/?q=zzzzqqq",
        "comments": f"/comments/{story_id}/",
        "reply form": f"/comments/{story_id}/reply/{comment_id}/",
        "report form": f"/comments/report/{comment_id}/",
    }
    pages = {name: fetch(base_url + path) for name, path in paths.items()}
    with pytest.raises(urllib.error.HTTPError) as not_found:
        fetch(base_url + "/no-such-section/")
    assert not_found.value.code == 404
    pages["not found"] = not_found.value.read().decode()
    return pages


def nu_check(pages: dict[str, str], folder) -> dict[str, list[str]]:
    """The checker's errors for each page: one run of vnu.jar (one JVM start) over all of them."""
    files = {}
    for name, html in pages.items():
        path = folder / (re.sub(r"\W+", "-", name) + ".html")
        path.write_text(html)
        files[path.name] = name
    result = subprocess.run(
        [
            JAVA,
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            *map(str, folder.iterdir()),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(result.stderr)  # vnu writes its report to stderr
    errors: dict[str, list[str]] = {name: [] for name in pages}
    for message in report["messages"]:
        name = files.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url"))
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message['message']} {message.get('extract', '')!r}"
        )
    return errors


def test_the_nu_html_checker_is_installed():
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run `make e2e`, which installs vnu-jar"


# The issue that brought the checker in: a time with microseconds (HTML allows three decimals).
KNOWN_BAD = (
    '<!doctype html><html lang="en"><head><title>Bad</title></head><body>'
    '<time datetime="2026-11-30T21:54:41.123456+00:00">today</time></body></html>'
)


def test_every_reader_page_type_has_no_html_errors(reader_pages, tmp_path):
    assert len(reader_pages) >= 10
    errors = nu_check({**reader_pages, "known bad": KNOWN_BAD}, tmp_path)

    # The checker ran and does see errors: the page made to have one has it.
    assert any("datetime" in error for error in errors.pop("known bad")), errors

    assert not any(errors.values()), json.dumps(
        {name: found for name, found in errors.items() if found}, indent=1, ensure_ascii=False
    )
