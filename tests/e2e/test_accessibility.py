import pytest
from playwright.sync_api import expect

from .browser import AXE_JS, REFERENCE_URL, comment_form, describe, serious_violations

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
