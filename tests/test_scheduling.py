"""Scheduling from the back office (issue 25, item 6): "Schedule" beside "Publish now", in the
story list (an action whose intermediate page chooses the time) and on the change form, holding
the embargo and the publish permission, behind CSRF."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:articles_article_changelist")


def time_fields(moment) -> dict:
    local = timezone.localtime(moment)
    return {"published_at_0": f"{local:%Y-%m-%d}", "published_at_1": f"{local:%H:%M}"}


def schedule_url(story):
    return reverse("admin:articles_article_schedule", args=[story.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_list_offers_schedule_with_a_page_to_choose_the_time(editor_client):
    first = make_article(headline="Budget analysis", status=Article.Status.REVIEW)
    second = make_article(headline="Weekend guide", status=Article.Status.DRAFT)
    chosen = {"action": "schedule", "_selected_action": [first.pk, second.pk]}

    page = editor_client.post(CHANGELIST_URL, chosen)

    html = page.content.decode()
    assert page.status_code == 200
    assert "Budget analysis" in html and "Weekend guide" in html
    assert 'name="published_at_0"' in html and 'name="apply"' in html
    assert Article.objects.scheduled().count() == 0  # nothing changes until a time is chosen

    at = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    done = editor_client.post(CHANGELIST_URL, {**chosen, "apply": "yes", **time_fields(at)})

    assert done.status_code == 302
    for story in (first, second):
        story.refresh_from_db()
        assert story.is_scheduled and story.published_at == at
    follow = editor_client.get(CHANGELIST_URL)
    assert any(m.startswith("2 stories scheduled for") for m in messages_of(follow))


def test_a_time_in_the_past_or_missing_is_refused_with_a_message(editor_client):
    story = make_article(status=Article.Status.REVIEW)
    chosen = {"action": "schedule", "_selected_action": [story.pk], "apply": "yes"}

    missing = editor_client.post(CHANGELIST_URL, chosen)
    past = editor_client.post(
        CHANGELIST_URL, {**chosen, **time_fields(timezone.now() - timedelta(hours=1))}, follow=True
    )

    assert missing.status_code == 200 and "This field is required" in missing.content.decode()
    assert any("Choose a time in the future" in m for m in messages_of(past))
    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW


def test_scheduling_obeys_the_embargo(editor_client):
    until = timezone.now() + timedelta(days=2)
    story = make_article(status=Article.Status.REVIEW, embargo_until=until)

    refused = editor_client.post(
        schedule_url(story), time_fields(until - timedelta(days=1)), follow=True
    )
    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW
    assert any("Under embargo until" in m for m in messages_of(refused))

    editor_client.post(schedule_url(story), time_fields(until + timedelta(hours=1)))
    story.refresh_from_db()
    assert story.is_scheduled


def test_the_change_form_has_publish_now_and_schedule_for_editors_only(
    editor_client, reporter, client
):
    story = make_article(status=Article.Status.REVIEW)
    change = reverse("admin:articles_article_change", args=[story.pk])

    html = editor_client.get(change).content.decode()
    assert "Publish now</button>" in html and f'href="{schedule_url(story)}"' in html

    client.force_login(reporter)
    html = client.get(change).content.decode()
    assert "Publish now" not in html and schedule_url(story) not in html


def test_schedule_from_the_change_form_then_publish_now(editor_client):
    story = make_article(headline="Port reopens", status=Article.Status.REVIEW)
    at = (timezone.now() + timedelta(hours=5)).replace(second=0, microsecond=0)

    assert editor_client.get(schedule_url(story)).status_code == 200
    scheduled = editor_client.post(schedule_url(story), time_fields(at))
    assert scheduled.status_code == 302
    story.refresh_from_db()
    assert story.is_scheduled and story.published_at == at

    editor_client.post(schedule_url(story), {"now": "1"})
    story.refresh_from_db()
    assert story.is_published and story.published_at <= timezone.now()


def test_a_reporter_cannot_schedule_through_a_crafted_post(reporter_client):
    story = make_article(status=Article.Status.REVIEW)
    at = timezone.now() + timedelta(days=1)

    page = reporter_client.post(schedule_url(story), time_fields(at))
    action = reporter_client.post(
        CHANGELIST_URL,
        {"action": "schedule", "_selected_action": [story.pk], "apply": "yes", **time_fields(at)},
    )

    assert page.status_code == 403
    assert action.status_code in (200, 302)
    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW


def test_scheduling_needs_the_csrf_token(editor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    story = make_article(status=Article.Status.REVIEW)
    at = timezone.now() + timedelta(days=1)

    page = browser.post(schedule_url(story), time_fields(at))
    action = browser.post(
        CHANGELIST_URL,
        {"action": "schedule", "_selected_action": [story.pk], "apply": "yes", **time_fields(at)},
    )

    assert page.status_code == 403 and action.status_code == 403
    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW
