"""The back office passes the validators too: the Nu HTML Checker finds no error and axe-core no
serious or critical violation on the pages the desk and the moderators work in, at a laptop's
width and a phone's."""

import json

import pytest
from playwright.sync_api import expect

from .browser import describe, log_in, serious_violations
from .conftest import manage
from .test_html_validity import nu_check

pytestmark = pytest.mark.e2e

HEADLINE = "Back office check: the validators read every inline of this story"

# A story with every inline filled (two bylines, a contributor, a correction) and blocks; on
# the queue, a reported comment (it offers Keep) and one the checks stored as spam.
SETUP = f"""
from datetime import timedelta
from django.utils import timezone
from articles.models import Article, Author, Byline, Contributor, Correction, Section
from articles.models.blocks import text_block
from comments.models import Comment

story = Article.objects.create(
    headline="{HEADLINE}", slug="back-office-check", section=Section.objects.get(slug="israel"),
    subheadline="Every part of the change form is on the page.",
    blocks=text_block("<p>The first paragraph.</p><h2>A heading</h2><p>More words.</p>"),
    status="published", published_at=timezone.now() - timedelta(days=2),
)
for position, author in enumerate(Author.objects.all()[:2]):
    Byline.objects.create(article=story, author=author, position=position)
Contributor.objects.create(article=story, name="Ynet", kind="organization", role="contributed")
Correction.objects.create(article=story, text="An earlier version gave the wrong date.")
comment = Comment.objects.create(
    article=story, status="approved", name="Reported Reader", email="reported@example.com",
    body="A sharp comment that two readers reported.", ip_address="198.51.100.20",
)
for ip in ("192.0.2.31", "192.0.2.32"):
    comment.report(reason="abuse", ip_address=ip)
print(story.pk)
"""


@pytest.fixture(scope="module")
def story_id(site_env, base_url):
    return int(manage(site_env, "shell", "-c", SETUP).strip().splitlines()[-1])


@pytest.fixture(scope="module")
def back_office(browser, base_url, story_id) -> dict[str, tuple[str, str]]:
    """Each page as (who opens it, its address); the story gets a second version first."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    page = log_in(context.new_page(), "editor")
    page.goto(f"/admin/articles/article/{story_id}/change/")
    page.locator("#id_subheadline").fill("Every part of the change form is on the page, twice.")
    page.locator("[name=_continue]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.goto(f"/admin/articles/article/{story_id}/history/")
    compare_form = page.locator("form", has=page.locator("[name=a]"))
    compare_form.locator("[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Compare versions")
    compare = page.url.removeprefix(base_url)
    context.close()
    return {
        "comment queue": ("moderator", "/admin/comments/comment/"),
        "reported queue": ("moderator", "/admin/comments/comment/?status=reported"),
        "story change form": ("editor", f"/admin/articles/article/{story_id}/change/"),
        "desk": ("editor", "/admin/"),
        "history": ("editor", f"/admin/articles/article/{story_id}/history/"),
        "compare": ("editor", compare),
        "credit report": ("editor", "/admin/articles/photo/agency-credits/"),
        "statistics": ("moderator", "/admin/comments/comment/stats/"),
        "story list": ("editor", "/admin/articles/article/"),
    }


def test_the_back_office_pages_have_no_html_errors(browser, base_url, back_office, tmp_path):
    pages = {}
    for role in ("editor", "moderator"):
        context = browser.new_context(base_url=base_url)
        page = log_in(context.new_page(), role)
        for name, (who, path) in back_office.items():
            if who == role:
                response = page.request.get(path)
                assert response.status == 200, (name, response.status)
                pages[name] = response.text()
        context.close()
    errors = nu_check(pages, tmp_path)
    assert not any(errors.values()), json.dumps(
        {name: found for name, found in errors.items() if found}, indent=1, ensure_ascii=False
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_back_office_pages_have_no_serious_accessibility_violations(
    new_context, back_office, width
):
    found = {}
    for role in ("editor", "moderator"):
        page = log_in(new_context(viewport={"width": width, "height": 900}).new_page(), role)
        for name, (who, path) in back_office.items():
            if who != role:
                continue
            page.goto(path)
            if name == "story change form":
                # Every inline shown: a new correction's row too (its date and time inputs).
                page.locator("#corrections-group .add-row a").click()
                expect(page.locator("#id_corrections-1-published_at_0")).to_be_visible()
            violations = serious_violations(page)
            if violations:
                found[name] = describe(violations)
    assert not found, "\n".join(f"{name}:\n{text}" for name, text in found.items())
