"""The agency credit report: lead photos of a month's published stories, per agency, with CSV."""

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db

REPORT_URL = reverse("admin:articles_photo_agency_credits")


def at(day, month=11):
    return timezone.make_aware(datetime(2026, month, day, 12, 0))


@pytest.fixture
def november():
    reuters = make_photo(agency="Reuters", photographer="Amir Cohen", caption="Port of Haifa")
    shutter = make_photo(agency="Shutterstock", photographer="Alexandros Michailidis")
    make_article(headline="Haifa port story", lead_photo=reuters, published_at=at(3))
    make_article(headline="Haifa follow-up", lead_photo=reuters, published_at=at(20))
    make_article(headline="Blinken visit", lead_photo=shutter, published_at=at(10))
    make_article(headline="October story", lead_photo=shutter, published_at=at(28, month=10))
    make_article(
        headline="Unpublished", lead_photo=shutter, status=Article.Status.DRAFT, published_at=at(5)
    )
    make_article(headline="No photo", published_at=at(6))


def test_the_report_counts_photos_and_stories_per_agency_for_the_month(editor_client, november):
    response = editor_client.get(REPORT_URL, {"month": "2026-11"})

    assert response.status_code == 200
    assert response.context["totals"] == [
        {"agency": "Reuters", "photos": 1, "stories": 2},
        {"agency": "Shutterstock", "photos": 1, "stories": 1},
    ]
    html = response.content.decode()
    assert "Haifa port story" in html and "Amir Cohen" in html
    assert "October story" not in html and "Unpublished" not in html and "No photo" not in html


def test_the_report_exports_csv(editor_client, november):
    response = editor_client.get(REPORT_URL, {"month": "2026-11", "format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="agency-credits-2026-11.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "agency",
        "story",
        "story id",
        "photo",
        "photo id",
        "published",
        "photographer",
        "use",
    ]
    assert [(row[0], row[1], row[6]) for row in rows[1:]] == [
        ("Reuters", "Haifa port story", "Amir Cohen"),
        ("Reuters", "Haifa follow-up", "Amir Cohen"),
        ("Shutterstock", "Blinken visit", "Alexandros Michailidis"),
    ]


def test_a_formula_in_a_headline_is_not_run_by_a_spreadsheet(editor_client):
    make_article(headline="=HYPERLINK(1)", lead_photo=make_photo(agency="AP"), published_at=at(4))

    response = editor_client.get(REPORT_URL, {"month": "2026-11", "format": "csv"})

    assert "'=HYPERLINK(1)" in response.content.decode()


def test_a_bad_month_is_a_clear_400(editor_client):
    response = editor_client.get(REPORT_URL, {"month": "November"})

    assert response.status_code == 400
    assert "Choose a month as YYYY-MM" in response.content.decode()


def test_reporters_cannot_see_the_billing_report(reporter_client):
    assert reporter_client.get(REPORT_URL).status_code == 403
