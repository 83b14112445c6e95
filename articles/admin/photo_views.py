"""The photo library's own admin page: the agency credit report. Routed by PhotoAdmin.get_urls,
behind admin_view."""

import datetime

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from articles.editorial import credit_report
from articles.models import PUBLISH_PERMISSION, Photo


def agency_credits(request):
    """Photos that led stories published in a month, per agency; `?format=csv` exports."""
    if not request.user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied
    today = timezone.localdate()
    error = ""
    try:
        month = credit_report.parse_month(request.GET.get("month") or f"{today:%Y-%m}")
        # A month whose end (or start, in UTC) the calendar cannot hold, such as 9999-12, is
        # as unusable as a malformed one.
        start, end = credit_report.month_bounds(month)
        start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        month = today.replace(day=1)
        error = "Choose a month as YYYY-MM, such as 2026-11; showing this month instead."
    rows = credit_report.credit_rows(month)
    if request.GET.get("format") == "csv" and not error:
        response = HttpResponse(credit_report.as_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="agency-credits-{month:%Y-%m}.csv"'
        return response
    context = {
        **admin.site.each_context(request),
        "opts": Photo._meta,
        "title": f"Agency credits, {month:%B %Y}",
        "month": month,
        "rows": rows,
        "totals": credit_report.totals(rows),
        "error": error,
    }
    return TemplateResponse(
        request,
        "admin/articles/photo/agency_credits.html",
        context,
        status=400 if error else 200,
    )
