"""Banned words and banned addresses."""

from django.contrib import admin
from django.utils.translation import ngettext

from comments.models import Ban, BannedWord


@admin.register(BannedWord)
class BannedWordAdmin(admin.ModelAdmin):
    list_display = ["word", "created_at"]
    search_fields = ["word"]
    readonly_fields = ["created_at"]


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ["value", "kind", "reason", "created_by", "created_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["value", "reason"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if caught := obj.spam_pending(by=request.user):
            self.message_user(
                request,
                ngettext(
                    "%(count)d waiting comment marked as spam.",
                    "%(count)d waiting comments marked as spam.",
                    caught,
                )
                % {"count": caught},
            )
