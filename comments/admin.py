from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from .models import Ban, BannedWord, Comment, Report
from .moderation import FLAG_LABELS, highlight

DECISIONS = {
    "approve": ("approve", "Approved"),
    "reject": ("reject", "Rejected"),
    "spam": ("mark_spam", "Marked as spam"),
}


class StatusFilter(admin.SimpleListFilter):
    """The queue opens on pending comments; "All" is an explicit choice, not the default."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Comment.Status.choices, ("all", "All")]

    def value(self):
        return super().value() or Comment.Status.PENDING

    def queryset(self, request, queryset):
        value = self.value()
        return queryset if value == "all" else queryset.filter(status=value)

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class FlagFilter(admin.SimpleListFilter):
    title = "flag"
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


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "excerpt",
        "article_link",
        "name",
        "email",
        "created_at",
        "status",
        "flag_list",
        "decide",
    ]
    list_display_links = ["excerpt"]
    list_filter = [
        StatusFilter,
        FlagFilter,
        ("article", admin.RelatedOnlyFieldListFilter),
        "created_at",
        "auto_approved",
    ]
    list_select_related = ["article__section"]
    search_fields = ["name", "email", "body", "article__headline"]
    date_hierarchy = "created_at"
    ordering = ["created_at"]
    list_per_page = 50
    actions = ["approve", "reject", "mark_spam", "ban_email", "ban_ip"]
    inlines = [ReportInline]
    # Moderators decide; nobody rewrites a reader's words.
    readonly_fields = [
        "article_link",
        "parent",
        "name",
        "email",
        "highlighted_body",
        "created_at",
        "status",
        "flag_list",
        "auto_approved",
        "moderated_by",
        "moderated_at",
        "moderation_reason",
        "ip_address",
        "user_agent",
        "decide",
    ]
    fieldsets = [
        (None, {"fields": ["article_link", "parent", "name", "email", "highlighted_body"]}),
        (
            "Decision",
            {
                "fields": [
                    "status",
                    "flag_list",
                    "decide",
                    "moderation_reason",
                    "moderated_by",
                    "moderated_at",
                    "auto_approved",
                ]
            },
        ),
        ("Sender", {"classes": ["collapse"], "fields": ["created_at", "ip_address", "user_agent"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(report_count=Count("reports"))

    def has_add_permission(self, request):
        return False

    def has_ban_permission(self, request):
        return request.user.has_perm("comments.add_ban")

    @admin.display(description="Comment")
    def excerpt(self, comment):
        text = Truncator(comment.body).chars(160)
        return highlight(text, comment.flags.get("banned_words", []))

    @admin.display(description="Comment")
    def highlighted_body(self, comment):
        return format_html(
            '<div style="white-space:pre-wrap;max-width:60em">{}</div>',
            highlight(comment.body, comment.flags.get("banned_words", [])),
        )

    @admin.display(description="Article", ordering="article__headline")
    def article_link(self, comment):
        return format_html(
            '<a href="{}">{}</a>',
            comment.article.get_absolute_url(),
            Truncator(comment.article.headline).chars(60),
        )

    @admin.display(description="Flags")
    def flag_list(self, comment):
        items = []
        for flag, value in comment.flags.items():
            label = FLAG_LABELS.get(flag, flag)
            if flag == "banned_words":
                words = format_html_join(", ", "<mark>{}</mark>", ((w,) for w in value))
                items.append(format_html("{}: {}", label, words))
            elif flag in {"links", "banned"}:
                items.append(format_html("{} ({})", label, value))
            else:
                items.append(format_html("{}", label))
        report_count = getattr(comment, "report_count", None)
        if report_count is None:
            report_count = comment.reports.count()
        if report_count:
            items.append(format_html("Reported ({})", report_count))
        if comment.auto_approved:
            items.append("Auto-approved (trusted commenter)")
        return format_html_join(mark_safe("<br>"), "{}", ((item,) for item in items))

    @admin.display(description="Decide")
    def decide(self, comment):
        """One-click buttons; they submit the page's own form (and its CSRF token) to our URLs."""
        if comment.pk is None:
            return ""
        buttons = [
            (reverse(f"admin:comments_comment_{decision}", args=[comment.pk]), label)
            for decision, label in [("approve", "Approve"), ("reject", "Reject")]
            if not (decision == "approve" and comment.status == Comment.Status.APPROVED)
            and not (decision == "reject" and comment.status == Comment.Status.REJECTED)
        ]
        return format_html_join(
            " ",
            '<button type="submit" class="button" formaction="{}" formmethod="post" '
            "formnovalidate>{}</button>",
            buttons,
        )

    def get_urls(self):
        urls = [
            path(
                f"<path:object_id>/{decision}/",
                self.admin_site.admin_view(self.decide_view),
                {"decision": decision},
                name=f"comments_comment_{decision}",
            )
            for decision in DECISIONS
        ]
        return urls + super().get_urls()

    def decide_view(self, request, object_id, decision):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        # get_object() answers None for an id that is not a number, as the admin's own views do.
        comment = self.get_object(request, unquote(object_id))
        if comment is None:
            raise Http404("No such comment.")
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        method, done = DECISIONS[decision]
        getattr(comment, method)(by=request.user)
        self.log_change(request, comment, done)
        self.message_user(request, f"{done}: comment by {comment.name}.", messages.SUCCESS)
        back = request.META.get("HTTP_REFERER", "")
        if url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(back)
        return redirect("admin:comments_comment_changelist")

    def _decide_all(self, request, queryset, method, done):
        count = 0
        for comment in queryset:
            getattr(comment, method)(by=request.user)
            self.log_change(request, comment, done)
            count += 1
        self.message_user(
            request, f"{done}: {count} comment{'s' if count != 1 else ''}.", messages.SUCCESS
        )

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve(self, request, queryset):
        self._decide_all(request, queryset, "approve", "Approved")

    @admin.action(description="Reject selected comments", permissions=["change"])
    def reject(self, request, queryset):
        self._decide_all(request, queryset, "reject", "Rejected")

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._decide_all(request, queryset, "mark_spam", "Marked as spam")

    def _ban(self, request, kind, values):
        created = []
        for value in sorted(set(filter(None, values))):
            ban, is_new = Ban.objects.get_or_create(
                kind=kind,
                value=value,
                defaults={
                    "created_by": request.user,
                    "reason": "Banned from the moderation queue.",
                },
            )
            ban.spam_pending(by=request.user)
            if is_new:
                created.append(value)
        self.message_user(
            request,
            f"Banned {len(created)} new {'email' if kind == Ban.Kind.EMAIL else 'IP'} address"
            f"{'es' if len(created) != 1 else ''}: {', '.join(created) or 'none'}. "
            "Their waiting and later comments are stored as spam.",
            messages.SUCCESS,
        )

    @admin.action(description="Ban the authors' email addresses", permissions=["ban"])
    def ban_email(self, request, queryset):
        self._ban(request, Ban.Kind.EMAIL, queryset.values_list("email", flat=True))

    @admin.action(description="Ban the authors' IP addresses", permissions=["ban"])
    def ban_ip(self, request, queryset):
        self._ban(request, Ban.Kind.IP, queryset.values_list("ip_address", flat=True))


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
                request, f"{caught} waiting comment{'s' if caught != 1 else ''} marked as spam."
            )
