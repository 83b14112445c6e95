import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from .browser import choose_autocomplete, log_in

pytestmark = pytest.mark.e2e

HEADLINE = "הממשלה אישרה את תקציב המדינה"
SLUG = "הממשלה-אישרה-את-תקציב-המדינה"


def test_a_hebrew_headline_gets_a_hebrew_address_as_the_editor_types(new_context):
    editor = log_in(new_context().new_page(), "editor")

    editor.goto("/admin/articles/article/add/")
    editor.locator("#id_headline").press_sequentially(HEADLINE)
    editor.locator("#id_headline").press("Tab")
    # The slug is made in the browser as the headline is typed (the admin's urlify.js, told that
    # the field allows Unicode): Hebrew letters kept, not stripped to an empty slug.
    expect(editor.locator("#id_slug")).to_have_value(SLUG)
    choose_autocomplete(editor, "id_section", "Israel")
    choose_autocomplete(editor, "id_bylines-0-author", "Noa Katz")
    editor.locator("#id_status").select_option("published")
    editor.locator("[name=_save]").first.click()
    expect(editor.locator(".messagelist")).to_contain_text("was added successfully")

    reader = new_context().new_page()
    reader.goto("/israel/")
    reader.get_by_role("link", name=HEADLINE).first.click()
    # The browser sends it percent-encoded, as every link carries it.
    expect(reader).to_have_url(re.compile(rf"/israel/{re.escape(quote(SLUG))}/$"))
    expect(reader.get_by_role("heading", name=HEADLINE, level=1)).to_be_visible()
