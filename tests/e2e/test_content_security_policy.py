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
        assert "script-src 'self';" in response.headers["content-security-policy"]
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy images load too
        page.wait_for_load_state("networkidle")
        assert page.evaluate("Array.from(document.images).every(img => img.naturalWidth > 0)")
        assert page.evaluate(
            "Array.from(document.styleSheets).some(sheet => sheet.href && sheet.cssRules.length > 0)"
        )
        assert blocked == []
    finally:
        context.close()


def test_the_admin_article_form_and_its_editor_work_under_the_admin_policy(new_context, base_url):
    import urllib.request

    from playwright.sync_api import expect

    from .browser import log_in

    page = new_context(bypass_csp=False).new_page()
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in(page, "editor")
    page.goto("/admin/articles/article/")
    change_url = page.locator("#result_list tbody tr a").first.get_attribute("href")
    for path in ("/admin/articles/article/add/", change_url):
        response = page.goto(path)
        assert "script-src 'self' 'sha256-" in response.headers["content-security-policy"]
        editor = page.locator(".ProseMirror[contenteditable=true]")
        expect(editor).to_be_visible()
        editor.click()
        page.keyboard.type("Typed under the policy")
        expect(editor).to_contain_text("Typed under the policy")
        page.wait_for_load_state("networkidle")
    assert blocked == []
    # gunicorn names itself but no version; every response carries the other headers.
    with urllib.request.urlopen(f"{base_url}/robots.txt") as answer:
        assert answer.headers["Server"] == "gunicorn"
        assert "camera=()" in answer.headers["Permissions-Policy"]
        assert answer.headers["Cross-Origin-Resource-Policy"] == "same-origin"
