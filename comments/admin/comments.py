"""The moderation queue: comments as cards, one-click decisions, bulk actions and bans."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from comments.models import Ban, Comment, CommentChanged, Decision
from comments.moderation import FLAG_LABELS, highlight
from comments.queue import QUEUES, queue_url

from . import views as admin_views
from .queue_lists import (
    DECISIONS,
    DecisionActionForm,
    FlagFilter,
    QueueChangeList,
    ReportInline,
    StatusFilter,
    seen_revision,
)

UNSEEN = gettext_lazy(
    "The decision did not say which version of the comment it was made on; nothing was decided."
)


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
    list_select_related = ["article__section", "parent"]
    search_fields = ["name", "email", "body", "article__headline"]
    date_hierarchy = "created_at"
    ordering = ["created_at"]
    list_per_page = 50
    # The tabs already say how many comments there are; skip a second count of the whole table.
    show_full_result_count = False
    action_form = DecisionActionForm
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
        "decision_history",
    ]
    fieldsets = [
        (None, {"fields": ["article_link", "parent", "name", "email", "highlighted_body"]}),
        (
            gettext_lazy("Decision"),
            {
                "fields": [
                    "status",
                    "flag_list",
                    "decide",
                    "moderation_reason",
                    "moderated_by",
                    "moderated_at",
                    "auto_approved",
                    "decision_history",
                ]
            },
        ),
        (
            gettext_lazy("Sender"),
            {"classes": ["collapse"], "fields": ["created_at", "ip_address", "user_agent"]},
        ),
    ]

    class Media:
        css = {"all": ["comments/queue.css"]}
        js = ["comments/queue.js"]

    def get_queryset(self, request):
        # Annotated before ordering, since the reported queue orders by `new_reports`.
        queryset = Comment.objects.with_report_counts()
        return queryset.order_by(*self.get_ordering(request))

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    def get_ordering(self, request):
        if request.GET.get("status") == "reported":
            return ["-new_reports", "created_at"]
        return super().get_ordering(request)

    def changelist_view(self, request, extra_context=None):
        counts = Comment.objects.queue_counts()
        selected = request.GET.get("status") or Comment.Status.PENDING
        tabs = [(key, label, counts[key], key == selected) for key, label in QUEUES]
        context = {
            "title": _("Moderation queue"),
            "queue_tabs": tabs,
            "reject_reasons": Decision.Reason.choices,
            "can_decide": self.has_change_permission(request),
            "can_close": request.user.has_perm("comments.close_comments"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=context)

    def has_add_permission(self, request):
        return False

    def has_ban_permission(self, request):
        return request.user.has_perm("comments.add_ban")

    @admin.display(description=gettext_lazy("Comment"))
    def excerpt(self, comment):
        text = Truncator(comment.body).chars(160)
        return highlight(text, comment.flags.get("banned_words", []))

    @admin.display(description=gettext_lazy("Comment"))
    def highlighted_body(self, comment):
        return format_html(
            '<div style="white-space:pre-wrap;max-width:60em">{}</div>',
            highlight(comment.body, comment.flags.get("banned_words", [])),
        )

    @admin.display(description=gettext_lazy("Article"), ordering="article__headline")
    def article_link(self, comment):
        return format_html(
            '<a href="{}">{}</a>',
            comment.article.get_absolute_url(),
            Truncator(comment.article.headline).chars(60),
        )

    @admin.display(description=gettext_lazy("Flags"))
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

    @admin.display(description=gettext_lazy("History"))
    def decision_history(self, comment):
        rows = [
            (
                decision.get_status_display(),
                decision.by or "nobody",
                timezone.localtime(decision.at).strftime("%Y-%m-%d %H:%M"),
                ": ".join(filter(None, [decision.get_reason_display(), decision.note])),
            )
            for decision in comment.decisions.select_related("by")
        ]
        if not rows:
            return "No decision yet."
        return format_html_join(mark_safe("<br>"), "{} by {}, {} {}", rows)

    @admin.display(description=gettext_lazy("Decide"))
    def decide(self, comment):
        """The change page's buttons; they submit the page's own form (and its CSRF token)."""
        if comment.pk is None:
            return ""

        def button(decision, label):
            url = reverse(f"admin:comments_comment_{decision}", args=[comment.pk])
            return format_html(
                '<button type="submit" class="button" formaction="{}" formmethod="post" '
                "formnovalidate>{}</button>",
                url,
                label,
            )

        reasons = format_html_join("", '<option value="{}">{}</option>', Decision.Reason.choices)
        # The revision these buttons decide on: the words shown above them (Comment.approve).
        parts = [
            format_html(
                '<input type="hidden" name="seen-{}" value="{}">', comment.pk, comment.revision
            )
        ]
        if comment.status != Comment.Status.APPROVED:
            parts.append(button("approve", "Approve"))
        parts.append(
            format_html(
                '<label for="id_reason">Reason</label> <select name="reason-{}" id="id_reason">'
                '<option value="">Choose…</option>{}</select> <label for="id_note">Note</label> '
                '<input type="text" name="note-{}" id="id_note" maxlength="300"> {}',
                comment.pk,
                reasons,
                comment.pk,
                button("reject", "Reject"),
            )
        )
        if comment.status != Comment.Status.SPAM:
            parts.append(button("spam", "Spam"))
        thread = reverse("admin:comments_comment_thread", args=[comment.pk])
        parts.append(format_html('<a href="{}">Thread in context</a>', thread))
        return format_html_join(" ", "{}", ((part,) for part in parts))

    def get_urls(self):
        view = self.admin_site.admin_view
        urls = [
            path(
                f"<path:object_id>/{decision}/",
                view(self.decide_view),
                {"decision": decision},
                name=f"comments_comment_{decision}",
            )
            for decision in DECISIONS
        ]
        urls += [
            path("stats/", view(admin_views.stats), name="comments_comment_stats"),
            path(
                "<int:comment_id>/thread/", view(admin_views.thread), name="comments_comment_thread"
            ),
            path(
                "story/<int:article_id>/comments/",
                view(admin_views.open_or_close_story),
                name="comments_story_open_close",
            ),
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
        back = queue_url(request)
        decided = {"by": request.user, "seen": seen_revision(request, comment)}
        if decision == "reject":
            # Named after the comment: the queue shows many cards in one form.
            decided["reason"] = request.POST.get(f"reason-{comment.pk}", "")
            decided["note"] = request.POST.get(f"note-{comment.pk}", "")
        try:
            if decided["seen"] is None:
                raise ValidationError(UNSEEN)
            getattr(comment, method)(**decided)
        except ValidationError as error:
            # Refused: back to the card, which shows the comment as it is now.
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect(f"{back}#q{comment.pk}")
        self.log_change(request, comment, done)
        self.message_user(
            request,
            _("%(done)s: comment by %(name)s.") % {"done": done, "name": comment.name},
            messages.SUCCESS,
        )
        then = request.POST.get("then", "")
        return redirect(f"{back}#q{then}" if then.isdigit() else back)

    def _decide_all(self, request, queryset, method, done, **decision):
        """Decide on each selected comment its page showed; one whose words changed since (or
        that the page did not show) is left for the moderator to read again."""
        count, changed = 0, []
        for comment in queryset:
            seen = seen_revision(request, comment)
            try:
                if seen is None:
                    raise CommentChanged(UNSEEN)
                getattr(comment, method)(by=request.user, seen=seen, **decision)
            except CommentChanged:
                changed.append(comment.name)
                continue
            self.log_change(request, comment, done)
            count += 1
        self.message_user(
            request,
            ngettext("%(done)s: %(count)d comment.", "%(done)s: %(count)d comments.", count)
            % {"done": done, "count": count},
            messages.SUCCESS,
        )
        if changed:
            self.message_user(
                request,
                _(
                    "Not decided, changed by their authors after the page was opened (read them "
                    "again): %(names)s."
                )
                % {"names": ", ".join(changed)},
                messages.ERROR,
            )

    @admin.action(description=gettext_lazy("Approve selected comments"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide_all(request, queryset, *DECISIONS["approve"])

    @admin.action(
        description=gettext_lazy("Reject selected comments (with the reason chosen)"),
        permissions=["change"],
    )
    def reject(self, request, queryset):
        reason, note = request.POST.get("reason", ""), request.POST.get("note", "")
        try:  # a missing reason or note is refused at the first comment, before any change
            self._decide_all(request, queryset, *DECISIONS["reject"], reason=reason, note=note)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    @admin.action(
        description=gettext_lazy("Mark selected comments as spam"), permissions=["change"]
    )
    def mark_spam(self, request, queryset):
        self._decide_all(request, queryset, *DECISIONS["spam"])

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
        kind_name = _("email") if kind == Ban.Kind.EMAIL else "IP"
        banned = ngettext(
            "Banned %(count)d new %(kind)s address: %(values)s.",
            "Banned %(count)d new %(kind)s addresses: %(values)s.",
            len(created),
        ) % {"count": len(created), "kind": kind_name, "values": ", ".join(created) or _("none")}
        self.message_user(
            request,
            " ".join([banned, _("Their waiting and later comments are stored as spam.")]),
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Ban the authors' email addresses"), permissions=["ban"])
    def ban_email(self, request, queryset):
        self._ban(request, Ban.Kind.EMAIL, queryset.values_list("email", flat=True))

    @admin.action(description=gettext_lazy("Ban the authors' IP addresses"), permissions=["ban"])
    def ban_ip(self, request, queryset):
        self._ban(request, Ban.Kind.IP, queryset.values_list("ip_address", flat=True))
