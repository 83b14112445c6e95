"""The moderation queue's parts: decisions offered, the bulk actions' form, the card list, its
filters and the reports shown with a comment."""

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.views.main import ChangeList
from django.utils.translation import gettext_lazy as _

from comments.models import Comment, Decision, Report
from comments.moderation import FLAG_LABELS, highlight
from comments.queue import prepare_cards

DECISIONS = {
    "approve": ("approve", _("Approved")),
    "reject": ("reject", _("Rejected")),
    "spam": ("mark_spam", _("Marked as spam")),
    "keep": ("keep", _("Kept")),
}


def seen_revision(request, comment) -> int | None:
    """The revision of the comment's words the moderator's page showed (each card and the change
    page carry theirs as `seen-<id>`), or None if the post names none."""
    value = request.POST.get(f"seen-{comment.pk}", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


class DecisionActionForm(ActionForm):
    """The bulk actions' form, with the reason that rejecting selected comments needs."""

    reason = forms.ChoiceField(
        choices=[("", _("Reason to reject…")), *Decision.Reason.choices],
        required=False,
        label=_("Reason"),
    )
    note = forms.CharField(max_length=300, required=False, label=_("Note"))


class QueueChangeList(ChangeList):
    """The changelist whose page of comments is shown as cards, with what each card needs."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = list(self.result_list)
        prepare_cards(self.result_list)
        for comment in self.result_list:
            comment.flag_html = self.model_admin.flag_list(comment)
            comment.highlighted = highlight(comment.body, comment.flags.get("banned_words", []))


class StatusFilter(admin.SimpleListFilter):
    """The queue opens on pending comments; "All" is an explicit choice, not the default."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            (Comment.Status.PENDING, _("Pending")),
            ("reported", _("Reported since the last decision")),
            ("flagged", _("Flagged by the checks")),
            *[choice for choice in Comment.Status.choices if choice[0] != Comment.Status.PENDING],
            ("all", _("All")),
        ]

    def value(self):
        return super().value() or Comment.Status.PENDING

    def queryset(self, request, queryset):
        value = self.value()
        if value == "all":
            return queryset
        if value == "reported":  # `new_reports` is annotated in CommentAdmin.get_queryset
            return queryset.filter(
                status=Comment.Status.APPROVED, withdrawn_at=None, new_reports__gt=0
            )
        if value == "flagged":
            return queryset.flagged()
        return queryset.filter(status=value)

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class FlagFilter(admin.SimpleListFilter):
    title = _("flag")
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return list(FLAG_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() == "reported":
            return queryset.filter(report_count__gt=0)  # annotated in CommentAdmin.get_queryset
        if self.value() in FLAG_LABELS:
            return queryset.filter(flags__has_key=self.value())
        return queryset


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    fields = ["reason", "ip_address", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
