"""Comment factories and the helpers a reader's browser would use."""

import itertools
import re
import time

from django.test import Client
from django.urls import reverse

from comments.forms import issue_timestamp
from comments.models import Comment

_counter = itertools.count(1)


def make_comment(article, *, status=Comment.Status.APPROVED, **fields) -> Comment:
    n = next(_counter)
    defaults = {
        "name": f"Reader {n}",
        "email": f"reader{n}@example.com",
        "body": f"Comment number {n} on the story.",
        "ip_address": "10.0.0.1",
    }
    return Comment.objects.create(article=article, status=status, **{**defaults, **fields})


def form_data(article, **overrides) -> dict:
    """What a person's browser sends: the form was shown ten seconds ago, honeypot empty."""
    data = {
        "name": "Ruth Reader",
        "email": "ruth@example.com",
        "body": "A thoughtful comment about the talks.",
        "website": "",
        "started": issue_timestamp(article.pk, time.time() - 10),
    }
    data.update(overrides)
    return data


def post_url(article) -> str:
    return reverse("comments:post", args=[article.pk])


def post_comment(client, article, ip="203.0.113.7", **overrides):
    return client.post(post_url(article), form_data(article, **overrides), REMOTE_ADDR=ip)


def article_page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def comments_region(html: str) -> str:
    """The comments region of a page, so assertions do not match the story around it."""
    match = re.search(r'<section id="comments".*?</section>', html, re.S)
    assert match, "the page has no comments region"
    return match.group()


def csrf_client(user) -> Client:
    """A staff member's browser, with CSRF checks on as in production."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def seen(*comments) -> dict:
    """What a queue page sends with a decision: the revision of the words each card showed."""
    return {f"seen-{comment.pk}": str(comment.revision) for comment in comments}


def token_from(html: str) -> str:
    return html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
