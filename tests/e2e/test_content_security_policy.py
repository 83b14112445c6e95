"""The reader pages work under their own Content-Security-Policy: nothing they need is blocked."""

import pytest

from .browser import REFERENCE_URL

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", ["/", REFERENCE_URL, "/search/?q=ceasefire"])
def test_nothing_on_a_reader_page_is_blocked_by_its_policy(browser, base_url, path):
    context = browser.new_context(base_url=base_url)  # the policy enforced, as for readers
    page = context.new_page()
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        response = page.goto(path)
        assert "script-src 'none'" in response.headers["content-security-policy"]
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy images load too
        page.wait_for_load_state("networkidle")
        assert page.evaluate("Array.from(document.images).every(img => img.naturalWidth > 0)")
        assert page.evaluate(
            "Array.from(document.styleSheets).some(sheet => sheet.href && sheet.cssRules.length > 0)"
        )
        assert blocked == []
    finally:
        context.close()
