from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, LoadedFromRows

from .decisions import Decision
from .reports import Report
from .status import Status

# The note on a decision to keep a reported comment.
KEPT = "Kept after reports."


def comments_are_open(article: Article) -> bool:
    """Readers may comment on a public story whose comments are on and that is not too old."""
    if not article.is_published or not article.comments_open:
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    return not days or article.published_at >= timezone.now() - timedelta(days=days)


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """What the public may see: approved comments, and approved replies in approved threads.

        A withdrawn comment is not among them: at most its place in a thread is shown."""
        return self.filter(status=Comment.Status.APPROVED, withdrawn_at__isnull=True).filter(
            Q(parent__isnull=True) | Q(parent__status=Comment.Status.APPROVED)
        )

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def flagged(self):
        """Pending comments the automatic checks raised a flag on."""
        return self.pending().exclude(flags={})

    def with_report_counts(self):
        """Annotate `report_count` (every report) and `new_reports` (those made since the
        comment's last decision: a decision answers the reports made before it).

        Subqueries rather than joins, so the queue's page counts need no GROUP BY.
        """
        reports = Report.objects.filter(comment=OuterRef("pk")).order_by().values("comment")

        def counted(queryset):
            return Coalesce(Subquery(queryset.annotate(n=Count("pk")).values("n")), 0)

        return self.annotate(
            report_count=counted(reports), new_reports=counted(reports.since_decision())
        )

    def reported(self):
        """Approved comments reported since the last decision, most reported first."""
        return (
            self.filter(status=Comment.Status.APPROVED, withdrawn_at__isnull=True)
            .with_report_counts()
            .filter(new_reports__gt=0)
            .order_by("-new_reports", "created_at", "pk")
        )

    def queue_counts(self) -> dict[str, int]:
        """How many comments each moderation queue holds.

        Three small queries rather than one pass over every comment: the waiting ones through
        the queue index, the reported ones from the reports, and the plain count.
        """
        waiting = self.filter(status=Comment.Status.PENDING).aggregate(
            pending=Count("pk"), flagged=Count("pk", filter=~Q(flags={}))
        )
        reported = (
            Report.objects.filter(
                comment__status=Comment.Status.APPROVED, comment__withdrawn_at=None
            )
            .since_decision()
            .values("comment_id")
            .distinct()
            .count()
        )
        return {**waiting, "reported": reported, "all": self.count()}

    def threads_for(self, article):
        """An article's approved top-level comments, oldest first, replies prefetched; a
        withdrawn one only as the placeholder holding replies readers see."""
        shown = Q(status=Comment.Status.APPROVED, withdrawn_at__isnull=True)
        replies = Comment.objects.filter(shown).order_by("created_at")
        answered = Exists(Comment.objects.filter(shown, parent=OuterRef("pk")))
        return (
            self.filter(article=article, parent__isnull=True, status=Comment.Status.APPROVED)
            .filter(Q(withdrawn_at__isnull=True) | answered)
            .order_by("created_at", "pk")
            .prefetch_related(models.Prefetch("replies", queryset=replies, to_attr="shown_replies"))
        )


class Comment(LoadedFromRows, models.Model):
    Status = Status

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", verbose_name=_("article")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text=_("The thread this reply belongs to; replies are one level deep."),
        verbose_name=_("parent"),
    )
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("email"), help_text=_("Never shown publicly."))
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        help_text=_(
            "Readers see a comment only once a moderator (or the trusted-commenter rule) "
            "approves it."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderation_reason = models.CharField(_("moderation reason"), max_length=200, blank=True)
    flags = models.JSONField(
        _("flags"),
        default=dict,
        blank=True,
        help_text=_("What the automatic checks raised, by check name."),
    )
    auto_approved = models.BooleanField(
        _("auto approved"),
        default=False,
        help_text=_("Approved by the trusted-commenter rule, not by a person."),
    )
    ip_address = models.GenericIPAddressField(_("ip address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    notified_at = models.DateTimeField(
        _("notified at"),
        null=True,
        blank=True,
        help_text=_("When moderators were mailed about it."),
    )
    revision = models.PositiveIntegerField(
        _("revision"),
        default=0,
        help_text=_(
            "How many times its author changed the words. A moderator's decision names "
            "the revision it was made on, so nobody approves text they never saw."
        ),
    )
    withdrawn_at = models.DateTimeField(
        _("withdrawn at"),
        null=True,
        blank=True,
        help_text=_(
            "When its author withdrew it. Its words are gone; it holds its place in the "
            "thread while readers see replies to it."
        ),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        permissions = [("close_comments", "Can close or reopen a story's comments")]
        indexes = [
            # The moderation queue: pending comments, oldest first.
            models.Index(fields=["status", "created_at"], name="comment_queue_idx"),
            # The article page: an article's approved comments, oldest first.
            models.Index(fields=["article", "status", "created_at"], name="comment_article_idx"),
            # Trusted-commenter and duplicate checks: one address's recent comments.
            models.Index(fields=["email", "created_at"], name="comment_email_idx"),
        ]

    def __str__(self):
        return f"{self.name} on {self.article}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#c{self.pk}"

    @classmethod
    def from_db(cls, db, field_names, values):
        # The status as stored: whether readers saw this comment before a change (signal_handlers.py).
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    def _decide(self, status, by, reason="", note="", seen=None):
        """Record a moderator's decision on the revision `seen` of its words (None: nobody read
        them, as when a ban decides an author's waiting comments). The row is locked meanwhile,
        so an edit arriving at the same time waits and is judged afresh (edit_by_author)."""
        with transaction.atomic():
            stored = Comment.objects.select_for_update().get(pk=self.pk)
            if seen is not None and stored.revision != seen:
                self.body, self.revision, self.status = stored.body, stored.revision, stored.status
                raise CommentChanged(
                    f"{self.name} changed their comment after you opened it: "
                    "nothing was decided. Read its new text and decide again.",
                    code="changed",
                )
            first = stored.moderated_at is None
            self.status = status
            self.moderated_by = by
            self.moderated_at = timezone.now()
            label = str(Decision.Reason(reason).label) if reason else ""
            self.moderation_reason = ": ".join(filter(None, [label, note]))[:200]
            self.auto_approved = False
            self.save(
                update_fields=[
                    "status",
                    "moderated_by",
                    "moderated_at",
                    "moderation_reason",
                    "auto_approved",
                    "updated_at",
                ]
            )
            Decision.objects.create(
                comment=self,
                status=status,
                reason=reason,
                note=note,
                by=by,
                at=self.moderated_at,
                first=first,
                waited=self.moderated_at - self.created_at,
            )

    def approve(self, *, by, seen: int | None = None):
        """Publish the comment; refused (CommentChanged) if its words are no longer revision
        `seen`, the one the moderator read."""
        self._decide(self.Status.APPROVED, by, seen=seen)

    def reject(self, *, by, reason: str, note: str = "", seen: int | None = None):
        """Rejecting needs a reason from Decision.Reason; "other" needs a note saying what."""
        note = note.replace("\x00", "").strip()[:300]  # the field's size; Postgres holds no NUL
        if reason not in Decision.Reason.values:
            raise ValidationError(_("Choose a reason for rejecting the comment."))
        if reason == Decision.Reason.OTHER and not note:
            raise ValidationError(_('Say why in a note when the reason is "Other".'))
        self._decide(self.Status.REJECTED, by, reason, note, seen=seen)

    def mark_spam(self, *, by, note: str = "", seen: int | None = None):
        self._decide(self.Status.SPAM, by, note=note, seen=seen)

    def keep(self, *, by, seen: int | None = None):
        """A moderator read a reported comment and leaves it up: the decision answers the
        reports made so far (Report.since_decision), and is on record like any other."""
        with transaction.atomic():
            stored = Comment.objects.select_for_update().get(pk=self.pk)
            if (
                stored.status != self.Status.APPROVED
                or not stored.reports.since_decision().exists()
            ):
                raise ValidationError(_("Only a published comment with new reports can be kept."))
            self._decide(self.Status.APPROVED, by, note=KEPT, seen=seen)

    def record_spam_on_arrival(self, reason: str) -> None:
        """The checks stored this comment as spam as it arrived (a ban, a bot's traces): their
        decision goes on record, by nobody, so the statistics count it with the moderators'.
        It is not the comment's first decision: time to decision measures moderators."""
        self.decisions.create(
            status=self.Status.SPAM, note=reason[:300], at=self.created_at, waited=timedelta(0)
        )

    @property
    def editable_until(self):
        return self.created_at + timedelta(minutes=settings.COMMENTS_EDIT_MINUTES)

    def change_refused(self, now=None) -> ValidationError | None:
        """Why its author may no longer edit or withdraw the comment, or None if they may: the
        time allowed has passed, it was withdrawn, or a moderator turned it down (the decision
        and the words it judged stay on record)."""
        # Only a moderator rejects; spam may be the checks' guess at posting, which says nothing.
        turned_down = self.status == self.Status.SPAM and self.moderated_at
        if self.status == self.Status.REJECTED or turned_down:
            message = _("A moderator has decided on this comment: it can no longer be changed.")
            return ValidationError(message, code="decided")
        if self.withdrawn_at:
            return ValidationError(_("This comment was withdrawn."), code="expired")
        if (now or timezone.now()) >= self.editable_until:
            return ValidationError(_("The time to change this comment has passed."), code="expired")
        return None

    def is_editable(self, now=None) -> bool:
        return self.change_refused(now) is None

    def _lock_for_author(self, now) -> "Comment":
        """The comment as stored, locked against a moderator deciding meanwhile (_decide)."""
        stored = Comment.objects.select_for_update().get(pk=self.pk)
        if refused := stored.change_refused(now):
            raise refused
        return stored

    def edit_by_author(self, body: str, *, flags: dict, now=None) -> None:
        """The reader's new words, with the checks' new flags; an approved comment goes back to
        the queue, since what a moderator approved is no longer what readers would see."""
        with transaction.atomic():
            stored = self._lock_for_author(now)
            self.status, self.revision = stored.status, stored.revision + 1
            self.body = body
            self.flags = flags
            update = ["body", "flags", "revision", "updated_at"]
            if self.status == self.Status.APPROVED:
                self.status = self.Status.PENDING
                self.auto_approved = False
                self.moderation_reason = "Edited by the reader after approval."
                update += ["status", "auto_approved", "moderation_reason"]
            self.save(update_fields=update)

    def withdraw(self, now=None) -> None:
        """The reader takes the comment back. Without replies it is deleted; with replies it
        stays as a placeholder holding the thread, since other readers' words are not the
        author's to take. Spam is kept as it is, on record (nothing tells its sender)."""
        now = now or timezone.now()
        with transaction.atomic():
            stored = self._lock_for_author(now)
            if stored.status == self.Status.SPAM:
                stored.withdrawn_at = now
                stored.save(update_fields=["withdrawn_at", "updated_at"])
            elif stored.replies.exists():
                stored.body = ""
                stored.withdrawn_at = now
                # Its words are gone, so nothing is left to moderate: the placeholder shows
                # the replies again if an edit or reports had sent it back to the queue.
                stored.status = self.Status.APPROVED
                stored.moderation_reason = "Withdrawn by its author."
                update = ["body", "withdrawn_at", "status", "moderation_reason", "updated_at"]
                stored.save(update_fields=update)  # its signal refreshes the story's pages
            else:
                stored.delete()

    def report(self, *, reason: str, ip_address: str | None) -> "Report | None":
        """Record a reader's report; enough of them send an approved comment back to the queue."""
        with transaction.atomic():
            report, created = Report.objects.get_or_create(
                comment=self, ip_address=ip_address, defaults={"reason": reason}
            )
            if not created:
                return None
            # Only reports since the last moderator decision count: one more report must not
            # hide again a comment a moderator has looked at and kept.
            count = self.reports.since_decision().count()
            if self.status == self.Status.APPROVED and count >= settings.COMMENTS_REPORT_THRESHOLD:
                self.status = self.Status.PENDING
                self.moderation_reason = f"Reported by {count} readers; back in the queue."
                # Its signal starts readers' pages of the story afresh (comments/signal_handlers.py).
                self.save(update_fields=["status", "moderation_reason", "updated_at"])
        return report


class CommentChanged(ValidationError):
    """A decision made on words the comment no longer has."""
