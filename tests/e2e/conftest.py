"""The site under test for the browser journeys: a fresh database, gunicorn on loopback, Chromium.

The server runs as in production (DEBUG off, collected static files, two sync workers) against
its own database, so the journeys see exactly what a reader and the newsroom's staff would.
"""

import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.servers import gunicorn, manage, production_env

from .browser import CHROMIUM, CHROMIUM_ARGS, DATABASE_URL, SCREENSHOTS, VAR

FAILURES = VAR / "failures"


def recreate_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(maintenance)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


@pytest.fixture(scope="session")
def site_env(tmp_path_factory) -> dict[str, str]:
    """The environment of a production-like run on loopback, with its own database and files."""
    return production_env(
        tmp_path_factory.mktemp("site"),
        DATABASE_URL,
        DJANGO_SECRET_KEY="e2e-test-key-only-for-the-browser-journeys",
        # Live pages ask for updates every 2 s, not 20: a journey sees them without waiting long.
        NEWSROOM_LIVE_POLL_SECONDS="2",
    )


@pytest.fixture(scope="session")
def base_url(site_env, tmp_path_factory):
    """The URL of a fresh demo newsroom served by gunicorn; stopped at the end."""
    shutil.rmtree(FAILURES, ignore_errors=True)
    recreate_database(DATABASE_URL)
    manage(site_env, "collectstatic", "--noinput", "-v", "0")
    manage(site_env, "migrate", "--noinput", "-v", "0")
    manage(site_env, "seed_demo", "--users", "--comments", "5")
    with gunicorn(site_env, tmp_path_factory.mktemp("gunicorn")) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def browser() -> Browser:
    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser, base_url, request):
    """Opens browser contexts (separate cookie jars: separate people) closed after the test;
    when the test failed, each open page is saved to var/e2e/failures/ first."""
    contexts: list[BrowserContext] = []

    def open_context(**options) -> BrowserContext:
        options = {"viewport": {"width": 1280, "height": 900}, **options}
        # The policies are bypassed unless a test asks for them (axe-core is injected as a script).
        options.setdefault("bypass_csp", True)
        context = browser.new_context(base_url=base_url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield open_context
    failed = getattr(request.node, "failed_call", False)
    for number, context in enumerate(contexts):
        if failed:
            FAILURES.mkdir(parents=True, exist_ok=True)
            for tab, open_page in enumerate(context.pages):
                name = f"{request.node.name}-{number}-{tab}.png".replace("/", "_")
                open_page.screenshot(path=FAILURES / name, full_page=True)
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.failed_call = True
    return report


@pytest.fixture
def page(new_context) -> Page:
    """A page for an anonymous reader."""
    return new_context().new_page()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS
