"""site_tags.date_writer writes a time as Django's dateformat does (the comment threads write
each comment's time through it): every reader-page format, in every edition's language, on
every month and weekday, at times with one and two digits; a format with parts it does not
write itself (a time zone, "a.m.") is Django's."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import dateformat, translation

from articles.templatetags.site_tags import DATE_FORMATS, date_writer

MOMENTS = [
    datetime(2026, 1, 4, 9, 5, 7, tzinfo=UTC) + timedelta(days=31 * n, hours=n) for n in range(12)
]
MOMENTS += [datetime(987, 12, 31, 23, 59, 59, tzinfo=UTC)]
FORMATS = [
    *DATE_FORMATS,
    r"d/m/y G:i:s",
    r"D N b n \o\f \Y Y",
    r"jS F Y, P",
]


@pytest.mark.parametrize("language", ["en", "he", "ar"])
@pytest.mark.parametrize("english", FORMATS)
def test_writes_as_djangos_dateformat(language, english):
    with translation.override(language):
        format_string = str(DATE_FORMATS.get(english, english))
        write = date_writer(format_string)
        for moment in MOMENTS:
            assert write(moment) == dateformat.format(moment, format_string)


def test_names_follow_the_language_active_when_written():
    moment = datetime(2026, 3, 5, 9, 7, tzinfo=UTC)
    with translation.override("he"):
        hebrew = date_writer("j F Y")(moment)
    with translation.override("en"):
        english = date_writer("j F Y")(moment)
    assert english == "5 March 2026"
    assert hebrew != english and hebrew.startswith("5 ") and hebrew.endswith(" 2026")
