"""Stories in the back office: the list, the change form's configuration, and the desk's
actions. The form's rules are in story_forms.py, its own pages in story_views.py."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles.editorial import revisions
from articles.models import PUBLISH_PERMISSION, Article, EditLock, edit_locks
from articles.public import invalidation

from . import live_views, previews, scheduling, story_list, story_views
from .desk import site_time
from .photos import thumbnail_img
from .story_forms import (
    ArticleForm,
    BylineInline,
    ContributorInline,
    CorrectionInline,
    LabelledSplitDateTime,
    NamedEmptyAutocomplete,
    StatusFilter,
    StoryChangeList,
)
from .story_handoffs import HandoffsMixin


def stories(count: int) -> str:
    return ngettext("%(count)d story", "%(count)d stories", count) % {"count": count}


@admin.register(Article)
class ArticleAdmin(HandoffsMixin, VersionAdmin):
    form = ArticleForm
    inlines = [BylineInline, ContributorInline, CorrectionInline]
    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}
    list_display = [
        "thumbnail", "headline", "section", "status_label", "byline", story_list.published,
        story_list.updated, "open_by",
    ]  # fmt: skip
    list_display_links = ["thumbnail", "headline"]
    list_filter = [StatusFilter, "kind", "section", "authors", "tags", "published_at"]
    list_select_related = ["section", "lead_photo", "edit_lock__user"]
    # Versions are recorded per story by the model methods the actions call, so the list view
    # itself is not wrapped in one revision (as VersionAdmin would), nor offers "recover deleted".
    change_list_template = None
    object_history_template = "admin/articles/article/object_history.html"
    search_fields = ["headline", "kicker", "subheadline", "slug", "authors__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "lead_photo", "social_image"]
    readonly_fields = [
        "lead_photo_preview", "rendered_body", "tag_list", "search_preview", "social_preview",
    ]  # fmt: skip
    save_on_top = True
    actions = ["send_to_review", "publish", scheduling.schedule, "unpublish"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "kind",
                    "sponsor",
                    "kicker",
                    "headline",
                    "subheadline",
                    "section",
                    "blocks",
                ]
            },
        ),
        (
            gettext_lazy("Photo and credits"),
            {"fields": ["lead_photo", "lead_photo_preview", "contributor_note", "tags"]},
        ),
        (
            gettext_lazy("Publication"),
            {"fields": ["status", "published_at", "embargo_until", "revised_at", "comments_open"]},
        ),
        (
            gettext_lazy("Search and social"),
            {
                "description": gettext_lazy(
                    "Each is optional: empty fields use the headline, subheadline "
                    "and lead photo. The previews show the story as last saved."
                ),
                "fields": [
                    "seo_title",
                    "meta_description",
                    "search_preview",
                    "social_headline",
                    "social_image",
                    "social_preview",
                ],
            },
        ),
        (gettext_lazy("Advanced"), {"classes": ["collapse"], "fields": ["slug"]}),
    ]

    def get_changelist(self, request, **kwargs):
        return StoryChangeList

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                NamedEmptyAutocomplete(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None or self.has_change_permission(request, obj):
            return super().get_fieldsets(request, obj)
        # Read-only (a reporter looking at a published story): show the story as readers see it.
        shown = {"blocks": "rendered_body", "tags": "tag_list"}
        return [
            (name, {**options, "fields": [shown.get(field, field) for field in options["fields"]]})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_readonly_fields(self, request, obj=None):
        # "Updated" is stamped by the site, never typed; only publishers set publication times
        # (a reporter's backdated time would otherwise survive an editor's publish action).
        fields = [*super().get_readonly_fields(request, obj), "revised_at"]
        if not request.user.has_perm(PUBLISH_PERMISSION):
            fields.append("published_at")
        return fields

    def has_change_permission(self, request, obj=None):
        # Reporters can read a published story but not change it: that would be publishing.
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and obj.is_saved_as_published:
            return request.user.has_perm(PUBLISH_PERMISSION)
        return allowed

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(story_views.compare),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/lock/",
                self.admin_site.admin_view(story_views.renew_lock),
                name="articles_article_lock",
            ),
            *live_views.urls(self.admin_site.admin_view),
            *super().get_urls(),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        restoring = getattr(request, "restoring_version", False)
        standing_embargo = getattr(request, "standing_embargo", None)
        return type(
            form.__name__,
            (form,),
            {"user": request.user, "restoring": restoring, "standing_embargo": standing_embargo},
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Whoever has the story's form open for changing holds its edit lock (renewed on each
        # render); a successful save releases it (save_model).
        if change and obj is not None and self.has_change_permission(request, obj):
            if request.method == "GET":
                revisions.ensure_baseline(obj)
            context["edit_lock"] = edit_locks.take(obj, request.user)
            context["lock_url"] = reverse("admin:articles_article_lock", args=[obj.pk])
        if change and obj is not None:
            context.update(live_views.panel(request, obj))  # a live story's entries
        return super().render_change_form(request, context, add, change, form_url, obj)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # django-reversion writes the old version to the database before the change form and
        # its checks run, so they judge the version being restored, not the story readers see:
        # who may restore is decided here, on the story as the database holds it now.
        current = self.get_object(request, unquote(object_id))
        if current is not None and current.status == Article.Status.PUBLISHED:
            self.require_publish_permission(request)
        # The "opened before someone else's save" check does not apply to a restore.
        request.restoring_version = True
        # Nor can a restore lift an embargo the story is under now (the version may predate it).
        if current is not None and current.is_under_embargo_at(timezone.now()):
            request.standing_embargo = current.embargo_until
        response = super().revision_view(request, object_id, version_id, extra_context)
        if current is not None and self.restored(request, response):
            invalidation.purge_story_change(Article.objects.get(pk=current.pk), current)
        return response

    def recover_view(self, request, version_id, extra_context=None):
        # A deleted story comes back as it was when deleted, public if it was: that is publishing.
        self.require_publish_permission(request)
        request.restoring_version = True
        response = super().recover_view(request, version_id, extra_context)
        if self.restored(request, response):
            version = Version.objects.get(pk=version_id)
            invalidation.purge_story_change(Article.objects.get(pk=version.object_id), None)
        return response

    def recoverlist_view(self, request, extra_context=None):
        self.require_publish_permission(request)
        return super().recoverlist_view(request, extra_context)

    def require_publish_permission(self, request) -> None:
        if not self.has_publish_permission(request):
            raise PermissionDenied

    @staticmethod
    def restored(request, response) -> bool:
        """Whether a restore was saved. Its old version was written raw, which sends no signals:
        the pages showing the story as it was are purged by the restore itself."""
        return request.method == "POST" and response.status_code == 302

    def changelist_view(self, request, extra_context=None):
        with self.telling_of_unmailed_reviews(request):  # the send-to-review action
            return admin.ModelAdmin.changelist_view(self, request, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if change and "_continue" not in request.POST:
            edit_locks.release(obj, request.user)

    def history_view(self, request, object_id, extra_context=None):
        """Every version, newest first, to compare or restore (the template adds both)."""
        action_list = [
            {
                "version": version,
                "revision": version.revision,
                "url": reverse(
                    "admin:articles_article_revision", args=[version.object_id, version.pk]
                ),
            }
            for version in revisions.versions_of(unquote(object_id))
        ]
        context = {"action_list": action_list}
        # Past VersionAdmin's own history_view, which would list every version again to build
        # an action list this one replaces.
        return admin.ModelAdmin.history_view(
            self, request, object_id, {**context, **(extra_context or {})}
        )

    class Media:
        js = [
            "articles/character_counts.js",
            "articles/admin_accessibility.js",
        ]
        css = {"all": ["articles/admin.css"]}

    @admin.display(description=gettext_lazy("Photo"))
    def thumbnail(self, article):
        if not article.lead_photo:
            return ""
        return thumbnail_img(article.lead_photo, 64, f"Edit “{article.headline}”")

    @admin.display(description=gettext_lazy("Search result preview"))
    def search_preview(self, article):
        if article.pk is None:
            return "Shown once the story is saved."
        return previews.search_result(article)

    @admin.display(description=gettext_lazy("Social card preview"))
    def social_preview(self, article):
        if article.pk is None:
            return "Shown once the story is saved."
        return previews.social_card(article)

    @admin.display(description=gettext_lazy("Body"))
    def rendered_body(self, article):
        return mark_safe(article.body)  # sanitised on every save

    @admin.display(description=gettext_lazy("Tags"))
    def tag_list(self, article):
        return ", ".join(tag.name for tag in article.tags.all()) or "—"

    @admin.display(description=gettext_lazy("Lead photo as readers see it"))
    def lead_photo_preview(self, article):
        if article.lead_photo is None:
            return "—"
        return previews.lead_photo(article.lead_photo)

    @admin.display(description=gettext_lazy("Status"), ordering="status")
    def status_label(self, article):
        status = "Scheduled" if article.is_scheduled else article.get_status_display()
        if article.is_under_embargo_at(timezone.now()):
            return f"{status}, embargoed until {site_time(article.embargo_until)}"
        return status

    @admin.display(description=gettext_lazy("Open by"))
    def open_by(self, article):
        try:
            lock = article.edit_lock
        except EditLock.DoesNotExist:
            return ""
        if not lock.is_live:
            return ""
        return format_html("✎ {}", lock.user.get_username())

    @admin.display(description=gettext_lazy("Byline"))
    def byline(self, article):
        return ", ".join(author.name for author in article.byline_authors)

    @admin.action(
        description=gettext_lazy("Send selected stories to review"), permissions=["change"]
    )
    def send_to_review(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.DRAFT):
            article.send_to_review(by=request.user)
            self.log_change(request, article, "Sent to review.")
            count += 1
        self.message_user(
            request,
            _("%(stories)s sent to review.") % {"stories": stories(count)},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Publish selected stories now"), permissions=["publish"])
    def publish(self, request, queryset):
        """Publish now: drafts, stories in review, and scheduled stories brought forward."""
        published = 0
        for article in queryset.select_related("lead_photo"):
            if article.is_published:
                self.message_user(
                    request,
                    _("“%(story)s” is already published.") % {"story": article},
                    messages.WARNING,
                )
                continue
            was_scheduled_for = article.published_at if article.is_scheduled else None
            try:
                article.publish_now(by=request.user)
            except (ValidationError, PermissionDenied) as error:
                reasons = "; ".join(
                    message
                    for messages_ in getattr(error, "message_dict", {}).values()
                    for message in messages_
                ) or str(error)
                self.message_user(
                    request,
                    _("“%(story)s” was not published: %(reasons)s")
                    % {"story": article, "reasons": reasons},
                    messages.ERROR,
                )
                continue
            published += 1
            note = "Published."
            if was_scheduled_for is not None:
                note = _("Published now; it was scheduled for %(when)s.") % {
                    "when": site_time(was_scheduled_for)
                }
                self.message_user(request, f"“{article}”: {note}", messages.INFO)
            self.log_change(request, article, note)
        if published:
            self.message_user(
                request,
                _("%(stories)s published.") % {"stories": stories(published)},
                messages.SUCCESS,
            )

    @admin.action(
        description=gettext_lazy("Unpublish selected stories (back to draft)"),
        permissions=["publish"],
    )
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.unpublish(by=request.user)
            self.log_change(request, article, "Unpublished (back to draft).")
            count += 1
        self.message_user(
            request, _("%(stories)s unpublished.") % {"stories": stories(count)}, messages.SUCCESS
        )
