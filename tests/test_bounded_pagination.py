"""Section, topic and author pages count only a few pages ahead (articles/public/pagination.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.public import pagination
from articles.public.views import PER_PAGE
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_archive(monkeypatch):
    """Three pages of stories in one section, by one author, under one tag; count one page ahead."""
    monkeypatch.setattr(pagination, "LOOK_AHEAD", 1)
    section = make_section(slug="business")
    dana = make_author(slug="dana")
    return [
        make_article(section=section, authors=[dana], tags=["Economy"])
        for _ in range(2 * PER_PAGE + 2)
    ]


@pytest.mark.parametrize("url", ["/business/", "/tag/economy/", "/author/dana/"])
def test_a_long_list_pages_on_without_a_total_until_its_end_is_in_reach(client, long_archive, url):
    first = client.get(url).content.decode()
    second = client.get(f"{url}?page=2").content.decode()
    third = client.get(f"{url}?page=3").content.decode()

    # Page 1 counts pages 1 and 2 and one story more: there is more, but no total yet.
    assert '<span aria-current="page">Page 1</span>' in first
    assert 'rel="next" href="?page=2"' in first
    # From page 2 the end is counted: the total is exact and the last page has no "Older" link.
    assert "Page 2 of 3" in second
    assert 'rel="next" href="?page=3"' in second
    assert "Page 3 of 3" in third
    assert 'rel="next"' not in third
    assert long_archive[-1].headline + "<" in third
    assert client.get(f"{url}?page=4").status_code == 404


def test_a_deep_page_is_reachable_directly_and_the_count_is_limited(client, long_archive):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/tag/economy/?page=3")

    assert response.status_code == 200
    assert long_archive[-1].headline + "<" in response.content.decode()
    counts = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*)")]
    # One count, over a LIMITed subquery: (3 pages + 1 ahead) of stories and one more row.
    assert len(counts) == 1
    assert f"LIMIT {4 * PER_PAGE + 1}" in counts[0]


@pytest.mark.parametrize("url", ["/business/", "/tag/economy/", "/author/dana/"])
def test_every_page_lists_its_own_stories_newest_first(client, long_archive, url):
    newest_first = sorted(long_archive, key=lambda story: story.published_at, reverse=True)
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"{url}?page={number}").content.decode()

        mine = newest_first[(number - 1) * PER_PAGE : number * PER_PAGE]
        shown = [story for story in long_archive if story.headline + "<" in html]
        assert {story.pk for story in shown} == {story.pk for story in mine}
        places = [html.index(story.headline + "<") for story in mine]
        assert places == sorted(places)
        # Past the pages counted ahead, the stories skipped are walked as ids only.
        offset = (number - 1) * PER_PAGE
        narrow = [q["sql"] for q in queries if f"LIMIT {PER_PAGE} OFFSET {offset})" in q["sql"]]
        assert len(narrow) == (1 if number > pagination.LOOK_AHEAD else 0)


def test_a_page_number_too_large_to_count_is_404(client, long_archive):
    assert client.get("/business/?page=9223372036854775807").status_code == 404
