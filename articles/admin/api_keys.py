"""Content API keys: editors name, make and revoke them. A new key is shown once, on the page
answering the form that made it; only its hash is stored (models/api_keys.py)."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext, gettext_lazy

from articles.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "created_at", "created_by", "status"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    list_select_related = ["created_by"]
    readonly_fields = ["prefix", "created_at", "created_by", "revoked_at"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return ["name"] if obj is None else ["name", *self.readonly_fields]

    @admin.display(description=gettext_lazy("status"))
    def status(self, key):
        return (
            "active"
            if key.is_active
            else f"revoked {timezone.localtime(key.revoked_at):%-d %b %Y %H:%M}"
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            # Shown by response_add on the page answering this POST: never stored, not even in
            # a message cookie.
            request.presented_api_key = obj.make_secret()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "key": obj,
            "presented": request.presented_api_key,
            "title": f"The key for “{obj.name}”",
        }
        response = TemplateResponse(request, "admin/articles/apikey/created.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description=gettext_lazy("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = 0
        for key in queryset.filter(revoked_at__isnull=True):
            key.revoke()
            revoked += 1
        self.message_user(
            request,
            gettext("Revoked %(count)d key(s): they are refused from now on.") % {"count": revoked},
        )
