"""The back office's query strings are checked before any admin reads them.

The admin hands query-string text straight to the database and to `datetime` in places no form
guards: the search of an autocomplete, every list filter's value, the date hierarchy's
year/month/day. Two kinds of input there made a 500 instead of an answer, in our admins and in
third-party ones (django-axes) alike:

- a NUL character: Postgres text cannot hold one, so any lookup carrying it fails in the
  database (forms refuse it with ProhibitNullCharactersValidator; these paths have no form);
- a date part outside what `datetime` can represent (`published_at__year=99999999999`,
  or the day after 9999-12-31), which Django's ChangeList lets through as OverflowError.

So this middleware answers such a request 400 with what was wrong, for every admin page,
before a view runs. Everything else keeps the admin's own handling ("?e=1" for a filter it
cannot apply).
"""

import datetime

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse

# The date parts a date hierarchy or drill-down sends, and the values datetime can step past
# (the admin adds a day, a month or a year to find the end of the range).
DATE_PARTS = {
    "__year": range(datetime.MINYEAR, datetime.MAXYEAR),
    "__month": range(1, 13),
    "__day": range(1, 32),
}


def problem(query) -> str:
    """What is wrong with an admin query string, or "" if nothing this module knows."""
    for name, values in query.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return "The address holds a NUL character, which no search or filter can contain."
        for suffix, allowed in DATE_PARTS.items():
            if name.endswith(suffix) and not all(
                value.isdigit() and len(value) < 6 and int(value) in allowed for value in values
            ):
                part = suffix.removeprefix("__")
                return f"“{values[-1][:20]}” is not a {part} the back office can show."
    return ""


class AdminQueryStringMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        in_admin = request.GET and request.path.startswith(reverse("admin:index"))
        if in_admin and (message := problem(request.GET)):
            context = {**admin.site.each_context(request), "title": "Bad request"}
            context["message"] = message
            response = TemplateResponse(request, "admin/bad_request.html", context, status=400)
            return response.render()
        return self.get_response(request)
