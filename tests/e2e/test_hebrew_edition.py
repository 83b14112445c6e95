"""The Hebrew edition in a real browser: the same newsroom served with NEWSROOM_LANGUAGE=he (a
second gunicorn on the journeys' database), read and commented on at a laptop's and a phone's
width, its moderation queue worked; right to left, axe-core clean, no sideways scrolling, and
valid HTML as the Nu HTML Checker sees it."""

import re
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests.servers import gunicorn

from .browser import (
    DEMO_PASSWORD,
    HUMAN_FILL_SECONDS,
    REFERENCE_URL,
    comment_form,
    describe,
    serious_violations,
)
from .conftest import manage
from .test_html_validity import nu_check

pytestmark = pytest.mark.e2e

SENT = "התגובה נשלחה בהצלחה. בקרוב היא תיבחן על ידי עורכי האתר, ואם תימצא מתאימה – תפורסם באתר."
POLICY = "אין לשלוח תגובות הכוללות דברי הסתה, לשון הרע ותוכן החורג מגבולות הטעם הטוב."
QUEUE = "/admin/comments/comment/"


@pytest.fixture(scope="module")
def hebrew_url(base_url, site_env, tmp_path_factory):
    """The demo newsroom (seeded by base_url), served again in Hebrew."""
    with gunicorn({**site_env, "NEWSROOM_LANGUAGE": "he"}, tmp_path_factory.mktemp("he")) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def hebrew(new_context, hebrew_url):
    def open_page(width: int) -> Page:
        context = new_context(viewport={"width": width, "height": 844 if width < 600 else 900})
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.hebrew_url = hebrew_url
        return page

    return open_page


def visit(page: Page, path: str) -> None:
    assert page.goto(page.hebrew_url + path).status == 200, path


def right_to_left_and_clean(page: Page) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "he")
    expect(html).to_have_attribute("dir", "rtl")
    sizes = page.evaluate(
        "({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )
    assert sizes["scroll"] <= sizes["client"], f"sideways scrolling: {sizes}"
    violations = serious_violations(page)
    assert not violations, describe(violations)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_hebrew_reader_reads_the_front_page_and_a_story_and_comments(hebrew, screenshots, width):
    page = hebrew(width)
    visit(page, "/")
    right_to_left_and_clean(page)
    rail = page.get_by_role("complementary", name="חדשות אחרונות")
    expect(rail).to_be_visible()
    expect(rail).to_contain_text(re.compile(r"לפני|\d\d:\d\d|\d{4}"))
    if width > 600:
        # The rail is on the reading side's end: left of the stories in a right-to-left page.
        main = page.locator(".front-main").bounding_box()
        assert rail.bounding_box()["x"] < main["x"]
    page.screenshot(path=screenshots / f"hebrew-home-{width}.png", full_page=True)

    visit(page, REFERENCE_URL)
    right_to_left_and_clean(page)
    expect(page.get_by_text(POLICY)).to_be_visible()
    opened_at = time.monotonic()
    form = comment_form(page)
    form.get_by_label("שם").fill("מרים מחיפה")
    form.get_by_label("דואר אלקטרוני").fill(f"miriam-{width}@example.com")
    form.get_by_label("תגובה").fill(
        "הייתי בשדה התעופה כשהמזכיר נחת; האנשים היו מלאי תקווה (Blinken)."
    )
    page.screenshot(path=screenshots / f"hebrew-story-{width}.png", full_page=True)
    time.sleep(max(0.0, HUMAN_FILL_SECONDS - (time.monotonic() - opened_at)))
    form.get_by_role("button", name="שליחת תגובה").click()

    expect(page.get_by_text(SENT, exact=True)).to_be_visible()
    right_to_left_and_clean(page)
    page.get_by_text(SENT, exact=True).scroll_into_view_if_needed()
    page.screenshot(path=screenshots / f"hebrew-comment-sent-{width}.png")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_moderator_works_the_hebrew_queue(hebrew, site_env, screenshots, width):
    name = f"קורא {width}"
    manage(
        site_env,
        "shell",
        "-c",
        "from comments.models import Comment; from articles.models import Article; "
        "story = Article.objects.get(slug='blinken-heads-to-israel-as-ceasefire-talks-gain-momentum'); "
        f"Comment.objects.create(article=story, status='pending', name='{name}', "
        f"email='queue-{width}@example.com', body='תגובה ארוכה מספיק כדי להיגלל בטלפון: ' + 'מילים ' * 40)",
    )
    page = hebrew(width)
    log_in_as_moderator(page)
    visit(page, QUEUE)
    right_to_left_and_clean(page)
    card = page.locator(".queue-card", has_text=name)
    expect(card).to_have_count(1)
    page.screenshot(path=screenshots / f"hebrew-queue-{width}.png", full_page=True)
    card.locator("button.queue-approve").click()
    expect(page.locator(".messagelist")).to_contain_text(name)
    expect(page.locator(".queue-card", has_text=name)).to_have_count(0)
    right_to_left_and_clean(page)


def log_in_as_moderator(page: Page) -> None:
    """browser.log_in() through the Hebrew server's login form (right to left too)."""
    page.goto(page.hebrew_url + "/admin/login/?next=/admin/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("#id_username").fill("moderator")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_hebrew_reader_pages_are_valid_html(hebrew_url, tmp_path):
    article = fetch(hebrew_url + REFERENCE_URL)
    story_id = re.search(r'action="/comments/post/(\d+)/"', article).group(1)
    comment_id = re.search(rf'href="/comments/{story_id}/reply/(\d+)/"', article).group(1)
    pages = {
        name: fetch(hebrew_url + path)
        for name, path in {
            "home": "/",
            "section": "/world/",
            "topic": "/tag/antony-blinken/",
            "author": "/author/dana-levi/",
            "search": "/search/?q=ceasefire",
            "corrections": "/corrections/",
            "comments": f"/comments/{story_id}/",
            "reply form": f"/comments/{story_id}/reply/{comment_id}/",
        }.items()
    }
    pages["article"] = article
    with pytest.raises(urllib.error.HTTPError) as not_found:
        fetch(hebrew_url + "/no-such-section/")
    pages["not found"] = not_found.value.read().decode()
    for name, html in pages.items():
        assert '<html lang="he" dir="rtl">' in html, name
    errors = nu_check(pages, tmp_path)
    assert not any(errors.values()), {name: found for name, found in errors.items() if found}


def test_the_english_server_beside_it_stays_english(page):
    page.goto(REFERENCE_URL)
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("complementary", name="Latest news")).to_be_visible()
