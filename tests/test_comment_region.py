from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import caching
from comments.caching import comments_key
from comments.models import Comment
from tests.factories import make_article
from tests.factories_comments import article_page, comments_region, make_comment, post_comment

pytestmark = pytest.mark.django_db


def render_region(article) -> str:
    request = RequestFactory().get(article.get_absolute_url())
    request.user = AnonymousUser()
    template = Template("{% load comment_tags %}{% comments_region article %}")
    return template.render(Context({"article": article, "request": request}))


def add_threads(article, count, replies_each=2):
    start = timezone.now() - timedelta(days=1)
    for n in range(count):
        thread = make_comment(article, body=f"Thread {n}", created_at=start + timedelta(minutes=n))
        for r in range(replies_each):
            make_comment(
                article,
                parent=thread,
                body=f"Reply {n}.{r}",
                created_at=start + timedelta(minutes=n, seconds=r + 1),
            )


@pytest.mark.parametrize("threads", [1, 30])
def test_the_region_costs_at_most_three_queries_however_many_comments(
    django_assert_max_num_queries, settings, threads
):
    settings.COMMENTS_SHOWN_ON_ARTICLE = 20
    article = make_article()
    add_threads(article, threads)
    # Expect at most 3 queries: the capped approved threads, their approved replies,
    # and the approved count (only when more threads exist than the page shows).
    with django_assert_max_num_queries(3):
        html = render_region(article)
    assert "Thread 0" in html and "Reply 0.1" in html


def test_the_article_page_query_count_does_not_grow_with_comments(client, settings):
    settings.COMMENTS_SHOWN_ON_ARTICLE = 5
    few = make_article()
    add_threads(few, 6, replies_each=1)
    many = make_article()
    add_threads(many, 40, replies_each=3)
    for article in (few, many):
        article_page(client, article)  # warm whatever the story page caches for itself
    with CaptureQueriesContext(connection) as few_queries:
        article_page(client, few)
    with CaptureQueriesContext(connection) as many_queries:
        article_page(client, many)
    assert len(few_queries) == len(many_queries)


def test_the_region_caps_the_list_and_links_to_the_full_paginated_comments_page(client, settings):
    settings.COMMENTS_SHOWN_ON_ARTICLE = 3
    settings.COMMENTS_PER_PAGE = 2
    article = make_article()
    add_threads(article, 5, replies_each=1)
    region = comments_region(article_page(client, article))
    assert "Thread 2" in region and "Thread 3" not in region
    assert "(10)" in region
    assert f'href="/comments/{article.pk}/">Read all 10 comments</a>' in region

    first = client.get(f"/comments/{article.pk}/").content.decode()
    assert "Thread 0" in first and "Reply 1.0" in first and "Thread 2" not in first
    last = client.get(f"/comments/{article.pk}/?page=3").content.decode()
    assert "Thread 4" in last and "Thread 3" not in last
    assert "Thread 4" in client.get(f"/comments/{article.pk}/?page=99").content.decode()


def test_the_full_comments_page_is_404_for_unpublished_stories(client):
    article = make_article(status="draft")
    assert client.get(f"/comments/{article.pk}/").status_code == 404


def test_no_link_to_more_when_everything_fits(client):
    article = make_article()
    add_threads(article, 2)
    region = comments_region(article_page(client, article))
    assert "Read all" not in region
    assert "(6)" in region


def test_replies_are_shown_under_their_thread_and_a_reply_to_a_reply_joins_it(client):
    article = make_article()
    top = make_comment(article, body="Top level")
    first_reply = make_comment(article, parent=top, body="First reply")
    post_comment(client, article, body="Answering the reply", parent=first_reply.pk)
    answer = Comment.objects.get(body="Answering the reply")
    assert answer.parent == top
    assert answer.status == Comment.Status.PENDING
    assert "Answering the reply" not in article_page(client, article)
    answer.approve(by=None)
    region = comments_region(article_page(client, article))
    assert region.index("Top level") < region.index("First reply") < region.index("Answering")
    assert '<ol class="comment-replies">' in region


def test_the_reply_page_shows_the_form_with_the_parent(client):
    article = make_article()
    top = make_comment(article, body="Say more?")
    html = client.get(f"/comments/{article.pk}/reply/{top.pk}/").content.decode()
    assert "Say more?" in html
    assert f'name="parent" value="{top.pk}"' in html
    assert 'name="body"' in html
    region = comments_region(article_page(client, article))
    assert f'href="/comments/{article.pk}/reply/{top.pk}/"' in region


def test_replies_to_hidden_or_foreign_comments_are_refused(client):
    article = make_article()
    hidden = make_comment(article, status="pending")
    other = make_comment(make_article())
    for parent in (hidden, other):
        response = post_comment(client, article, parent=parent.pk)
        assert response.status_code == 400
        assert "The comment you are replying to is not available." in response.content.decode()
    assert client.get(f"/comments/{article.pk}/reply/{hidden.pk}/").status_code == 404


def test_approved_replies_in_a_hidden_thread_stay_hidden(client):
    article = make_article()
    top = make_comment(article, body="Top", status="rejected")
    make_comment(article, parent=top, body="Orphan reply")
    region = comments_region(article_page(client, article))
    assert "Orphan reply" not in region
    assert "(0)" in region


def test_the_comments_version_moves_when_readers_would_see_a_change_and_only_then(
    moderator, django_capture_on_commit_callbacks
):
    article = make_article()
    key = comments_key(article.pk)

    def version():
        return caching.current_versions([key])[key]

    start = version()
    with django_capture_on_commit_callbacks(execute=True):
        comment = make_comment(article, status="pending")
    assert version() == start  # a new pending comment shows nowhere
    with django_capture_on_commit_callbacks(execute=True):
        comment.approve(by=moderator)
    approved = version()
    assert approved != start
    with django_capture_on_commit_callbacks(execute=True):
        comment.reject(by=moderator, reason="abusive")
    assert version() != approved
