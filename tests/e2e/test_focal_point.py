"""The photo admin: a click on the subject sets the focal point, and the crops follow it."""

import re

import pytest
from playwright.sync_api import expect

from .browser import log_in

pytestmark = pytest.mark.e2e


def test_an_editor_clicks_the_subject_to_set_the_focal_point(new_context):
    page = log_in(new_context().new_page(), "editor")
    page.goto("/admin/articles/photo/")
    page.locator("#result_list tbody tr th a").first.click()
    preview = page.locator(".focal-point img")
    expect(preview).to_be_visible()
    box = preview.bounding_box()

    # A quarter of the way across, three quarters of the way down.
    preview.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})

    expect(page.locator("#id_focal_x")).to_have_value(re.compile(r"^2[45](\.\d)?$"))
    expect(page.locator("#id_focal_y")).to_have_value(re.compile(r"^7[45](\.\d)?$"))
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator("#id_focal_x")).to_have_value(re.compile(r"^2[45](\.\d)?$"))
    expect(page.locator(".focal-point")).to_have_attribute("style", re.compile(r"--focal-x:2[45]"))
