"""The story admin's handoffs between writer and editor, mixed into ArticleAdmin: sending a story
back with a note, saying on screen when the editors could not be mailed about a story sent to
review, and scheduling (the list's action and the change form's "Publish now" and "Schedule")."""

import json
from contextlib import contextmanager

from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.urls import path, reverse
from django.utils.translation import gettext as _

from articles.editorial import desk
from articles.models import PUBLISH_PERMISSION, Article

from . import scheduling


class HandoffsMixin:
    def get_urls(self):
        return [
            path(
                "<path:object_id>/schedule/",
                self.admin_site.admin_view(scheduling.schedule_one),
                name="articles_article_schedule",
            ),
            *super().get_urls(),
        ]

    def may_send_back(self, request, obj) -> bool:
        return (
            obj is not None
            and obj.status == Article.Status.REVIEW
            and request.user.has_perm(PUBLISH_PERMISSION)
            and self.has_change_permission(request, obj)
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.may_send_back(request, obj):
            return fieldsets
        return [
            (name, {**options, "fields": [*options["fields"], "send_back_note"]})
            if "status" in options["fields"]  # "Publication", by its fields: its name is translated
            else (name, options)
            for name, options in fieldsets
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.sent_back_at is not None:
            # The editor's reason, shown until the story goes to review again.
            context["send_back"] = obj.send_backs.select_related("by").first()
        if obj is not None and request.user.has_perm(PUBLISH_PERMISSION):
            context["schedule_url"] = reverse("admin:articles_article_schedule", args=[obj.pk])
            context["can_publish_now"] = not obj.is_published
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if change and form.sends_back:
            obj.send_back(by=request.user, note=form.cleaned_data["send_back_note"])
        else:
            super().save_model(request, obj, form, change)

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        if not add and form.sends_back:
            # The note goes into the log entry and the version's comment: the story's history.
            changed = LogEntry(change_message=json.dumps(message)).get_change_message()
            return f"Sent back: {form.cleaned_data['send_back_note'].strip()} ({changed})"
        return message

    @contextmanager
    def telling_of_unmailed_reviews(self, request):
        """Around a request that may send stories to review: a warning for each whose mail to
        the editors failed (the mail goes once the save is committed, inside this block)."""
        with desk.review_mail_failures() as unmailed:
            yield
        for story in unmailed:
            messages.warning(
                request,
                _(
                    "“%(story)s” is in review, but the editors could not be mailed about it "
                    "(the mail server did not answer): tell an editor it is waiting."
                )
                % {"story": story},
            )

    # Around VersionAdmin's, whose revision is the transaction the mail waits for.
    def add_view(self, request, form_url="", extra_context=None):
        with self.telling_of_unmailed_reviews(request):
            return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        with self.telling_of_unmailed_reviews(request):
            return super().change_view(request, object_id, form_url, extra_context)
