from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from comments.outcomes import SENT_MESSAGE
from tests.factories import make_article
from tests.factories_comments import (
    article_page,
    comments_region,
    form_data,
    make_comment,
    post_comment,
    post_url,
    seen,
)

POLICY = (
    "Do not send comments that include inflammatory words, defamation and content "
    "that exceeds the limit of good taste."
)

pytestmark = pytest.mark.django_db


def test_open_article_page_shows_the_policy_and_a_post_form_with_the_contract_fields(client):
    article = make_article()
    region = comments_region(article_page(client, article))
    assert POLICY in region
    assert f'<form method="post" action="{post_url(article)}"' in region
    for field in ("name", "email", "body"):
        assert f'name="{field}"' in region
    assert "csrfmiddlewaretoken" not in region  # shared page: the post's origin is checked instead
    assert "Comments <span" in region and "(0)" in region


def test_a_valid_post_is_stored_pending_and_the_reader_lands_on_the_article_with_the_message(
    client,
):
    article = make_article()
    response = post_comment(client, article, body="First line\nSecond line")
    assert response.status_code == 303
    assert response["Location"] == f"{article.get_absolute_url()}?comment=sent#comments"
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert (comment.name, comment.email, comment.ip_address) == (
        "Ruth Reader",
        "ruth@example.com",
        "203.0.113.7",
    )
    assert comment.flags == {}
    page = client.get(response["Location"]).content.decode()
    assert SENT_MESSAGE in comments_region(page)
    assert "First line" not in page


def test_the_message_belongs_to_the_address_the_reader_lands_on_not_to_the_reader(client):
    article = make_article()
    landing = post_comment(client, article)["Location"]

    assert SENT_MESSAGE not in article_page(client, article)
    assert SENT_MESSAGE in comments_region(Client().get(landing).content.decode())


def test_the_whole_path_post_pending_hidden_approved_by_a_moderator_shown_with_the_count(
    client, moderator
):
    article = make_article()
    post_comment(client, article, body="Approve me\nplease")
    comment = Comment.objects.get()
    assert "Approve me" not in article_page(client, article)

    staff = Client()
    staff.force_login(moderator)
    response = staff.post(
        "/admin/comments/comment/",
        {"action": "approve", "_selected_action": [comment.pk], **seen(comment)},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderated_by == moderator
    assert comment.moderated_at is not None

    region = comments_region(article_page(client, article))
    assert "<p>Approve me<br>please</p>" in region
    assert "Ruth Reader" in region
    assert "(1)" in region


@pytest.mark.parametrize("action", ["reject", "mark_spam"])
def test_rejected_and_spam_comments_stay_hidden(client, moderator, action):
    article = make_article()
    post_comment(client, article, body="Keep me out of sight")
    comment = Comment.objects.get()
    staff = Client()
    staff.force_login(moderator)
    staff.post(
        "/admin/comments/comment/",
        {
            "action": action,
            "_selected_action": [comment.pk],
            "reason": "off-topic",
            **seen(comment),
        },
    )
    comment.refresh_from_db()
    assert comment.status == {"reject": "rejected", "mark_spam": "spam"}[action]
    assert comment.moderated_by == moderator
    region = comments_region(article_page(client, article))
    assert "Keep me out of sight" not in region
    assert "(0)" in region


def test_markup_and_script_in_name_and_body_are_shown_as_text_and_email_never_shown(client):
    article = make_article()
    make_comment(
        article,
        name="<b>Bold</b> Name",
        email="secret.address@example.com",
        body='<script>alert("x")</script> and <a href="http://evil">link</a>',
    )
    page = article_page(client, article)
    region = comments_region(page)
    assert "&lt;b&gt;Bold&lt;/b&gt; Name" in region
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in region
    assert "<script>alert" not in page
    assert '<a href="http://evil">' not in page
    assert "secret.address" not in page


def test_approved_comments_are_listed_oldest_first_with_time(client):
    article = make_article()
    now = timezone.now()
    make_comment(article, body="Second said", created_at=now - timedelta(minutes=5))
    make_comment(article, body="First said", created_at=now - timedelta(minutes=50))
    make_comment(article, body="Never said", status=Comment.Status.PENDING)
    region = comments_region(article_page(client, article))
    assert region.index("First said") < region.index("Second said")
    assert "Never said" not in region
    assert "<time datetime=" in region
    assert "(2)" in region


def test_an_invalid_post_shows_the_errors_and_keeps_what_was_typed(client):
    article = make_article()
    response = post_comment(client, article, name="", email="not-an-address", body="My words")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please give your name." in html
    assert "Enter a valid email address." in html
    assert 'value="not-an-address"' in html
    assert "My words</textarea>" in html
    assert article.headline in html
    assert Comment.objects.count() == 0


def test_a_too_long_comment_is_refused_with_a_field_error_keeping_the_text(client, settings):
    settings.COMMENTS_MAX_LENGTH = 100
    article = make_article()
    long_body = "word " * 30
    response = post_comment(client, article, body=long_body)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ensure this value has at most 100 characters (it has 149)." in html
    assert long_body.strip() in html
    assert Comment.objects.count() == 0


def test_a_reader_with_no_cookies_at_all_can_comment():
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    html = article_page(client, article)
    started = html.split('name="started" value="')[1].split('"')[0]

    response = client.post(
        post_url(article),
        form_data(article, started=started),
        HTTP_SEC_FETCH_SITE="same-origin",
        HTTP_ORIGIN="http://testserver",
    )

    # The only cookie is the one that lets this reader edit their comment, and it never goes
    # to a story page: pages stay shared.
    assert set(client.cookies) == {"comment_edit"}
    assert client.cookies["comment_edit"]["path"] == "/comments/edit/"
    assert response.status_code == 303
    assert Comment.objects.count() == 1


def test_a_post_to_a_closed_article_is_refused_with_403(client):
    article = make_article(comments_open=False)
    region = comments_region(article_page(client, article))
    assert "Comments are closed for this story." in region
    assert "<form" not in region
    response = post_comment(client, article)
    assert response.status_code == 403
    assert "Comments are closed for this story" in response.content.decode()
    assert Comment.objects.count() == 0


def test_comments_close_after_the_configured_number_of_days(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 7
    article = make_article(published_at=timezone.now() - timedelta(days=8))
    assert "Comments are closed for this story." in comments_region(article_page(client, article))
    assert post_comment(client, article).status_code == 403
    fresh = make_article(published_at=timezone.now() - timedelta(days=6))
    assert post_comment(client, fresh).status_code == 303


@pytest.mark.parametrize(
    "status,published_at",
    [
        (Article.Status.DRAFT, None),
        (Article.Status.REVIEW, None),
        (Article.Status.PUBLISHED, timezone.now() + timedelta(days=1)),
    ],
)
def test_a_post_to_an_unpublished_article_is_404(client, status, published_at):
    article = make_article(status=status, published_at=published_at)
    assert post_comment(client, article).status_code == 404
    assert Comment.objects.count() == 0


def test_a_post_to_an_unknown_article_is_404(client):
    assert (
        client.post("/comments/post/999999/", form_data(article=make_article())).status_code == 404
    )


def test_the_post_endpoint_refuses_get(client):
    article = make_article()
    assert client.get(post_url(article)).status_code == 405


def test_a_staff_preview_of_a_draft_shows_no_form(client):
    user = User.objects.create_user("boss", password="x", is_staff=True, is_superuser=True)
    client.force_login(user)
    article = make_article(status=Article.Status.DRAFT)
    html = client.get(f"/preview/{article.pk}/").content.decode()
    region = comments_region(html)
    assert "Comments open when the story is published." in region
    assert "<form" not in region
