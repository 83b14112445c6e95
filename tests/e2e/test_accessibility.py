from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from .browser import (
    AXE_JS,
    REFERENCE_HEADLINE,
    REFERENCE_URL,
    comment_form,
    describe,
    log_in,
    serious_violations,
)

pytestmark = pytest.mark.e2e

PAGES = {
    "home": "/",
    "article": REFERENCE_URL,
    "section": "/world/",
    "tag": "/tag/antony-blinken/",
    "search": "/search/?q=ceasefire",
}


@pytest.fixture(autouse=True)
def _axe_is_installed():
    assert AXE_JS.exists(), f"{AXE_JS} is missing: run `make e2e`, which installs axe-core"


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_the_page_has_no_serious_accessibility_violations(page, path):
    response = page.goto(path)
    assert response.status == 200
    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_the_comment_form_showing_errors_has_no_serious_accessibility_violations(page):
    page.goto(REFERENCE_URL)
    form = comment_form(page)
    # The server's errors, as a browser without form validation would get them.
    form.evaluate("form => { form.noValidate = true }")
    form.locator("[name=email]").fill("reader@example")
    form.locator("[name=body]").fill("What I wrote is kept.")
    form.locator("[type=submit]").click()

    form = comment_form(page)
    expect(form.locator("[name=name]")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("[name=email]")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("[name=body]")).to_have_value("What I wrote is kept.")
    violations = serious_violations(page)
    assert not violations, describe(violations)


READER_PAGES_MORE = {"author": "/author/dana-levi/", "comments": "comments"}


@pytest.mark.parametrize("name", READER_PAGES_MORE)
def test_more_reader_pages_have_no_serious_accessibility_violations(page, name):
    path = READER_PAGES_MORE[name]
    if path == "comments":
        page.goto(REFERENCE_URL)
        path = page.locator("a[href^='/comments/']", has_text="Reply").first.get_attribute("href")
        path = path.split("reply/")[0]
    response = page.goto(path)
    assert response.status == 200
    violations = serious_violations(page)
    assert not violations, describe(violations)


ADMIN_PAGES = {
    "story list": ("editor", "/admin/articles/article/"),
    "story change form": ("editor", "reference"),
    "photo change form": ("editor", "photo"),
    "comment queue": ("moderator", "/admin/comments/comment/"),
}


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_the_admin_page_has_no_serious_accessibility_violations(new_context, name):
    username, path = ADMIN_PAGES[name]
    page = log_in(new_context().new_page(), username)
    if path == "reference":
        page.goto(f"/admin/articles/article/?q={quote(REFERENCE_HEADLINE)}")
        page.get_by_role("link", name=REFERENCE_HEADLINE, exact=True).click()
        path = None
    elif path == "photo":
        page.goto("/admin/articles/photo/")
        page.locator("#result_list tbody tr th a").first.click()
        path = None
    if path:
        response = page.goto(path)
        assert response.status == 200
    expect(page.locator("#content")).to_be_visible()
    violations = serious_violations(page)
    assert not violations, describe(violations)
