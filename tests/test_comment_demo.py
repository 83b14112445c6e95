import io

import pytest
from django.core.management import call_command

from comments.models import Comment
from newsroom.demo import REFERENCE

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(Comment.objects.values_list("email", "status", "parent__email", "article_id"))


def test_seed_demo_comments_are_approved_and_pending_with_replies_and_idempotent(client):
    out = io.StringIO()
    call_command("seed_demo", "--articles", "5", "--comments", "40", stdout=out)
    assert "comments: 40/40" in out.getvalue()
    first = snapshot()
    assert len(first) == 40
    call_command("seed_demo", "--articles", "5", "--comments", "40", stdout=io.StringIO())
    assert snapshot() == first

    statuses = {status for _, status, _, _ in first}
    assert statuses == {"approved", "pending"}
    replies = Comment.objects.filter(parent__isnull=False)
    assert replies.exists()
    assert not replies.filter(parent__parent__isnull=False).exists()
    assert all(r.article_id == r.parent.article_id for r in replies.select_related("parent"))

    reference = Comment.objects.filter(article__slug=REFERENCE["slug"]).first().article
    html = client.get(reference.get_absolute_url()).content.decode()
    shown = Comment.objects.approved().filter(article=reference).first()
    assert shown.body.split("\n")[0] in html


def test_more_comments_later_only_adds_the_missing_ones():
    call_command("seed_demo", "--comments", "6", stdout=io.StringIO())
    assert Comment.objects.count() == 6
    call_command("seed_demo", "--comments", "14", stdout=io.StringIO())
    assert Comment.objects.count() == 14
    assert Comment.objects.filter(parent__isnull=False).count() == 4


def test_the_default_demo_has_comments_on_the_reference_story():
    call_command("seed_demo", stdout=io.StringIO())
    on_reference = Comment.objects.filter(article__slug=REFERENCE["slug"])
    assert on_reference.approved().exists()
    assert on_reference.pending().exists()
