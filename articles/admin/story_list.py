"""The story list's time columns: a date over a time of day rather than "Dec. 6, 2026, 2:04
p.m." on one line, so the list fits a laptop's screen beside its filters (the list's subtitle
names the time zone)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy


def list_time(value) -> str:
    if value is None:
        return "—"
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}">{}<br>{}</time>',
        local.isoformat(timespec="seconds"),
        date_format(local, "j M Y"),
        date_format(local, "H:i"),
    )


@admin.display(description=gettext_lazy("Published"), ordering="published_at")
def published(article):
    return list_time(article.published_at)


@admin.display(description=gettext_lazy("Updated"), ordering="updated_at")
def updated(article):
    return list_time(article.updated_at)
