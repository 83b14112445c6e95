"""Scheduling stories from the back office: the list's "Schedule" action (its intermediate page
chooses the time) and the change form's own page beside "Publish now". Both ask the story for
`schedule(by=…, at=…)`, which holds the embargo and the publish permission."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from articles.models import Article

from .desk import site_time
from .story_forms import LabelledSplitDateTime


class ScheduleForm(forms.Form):
    published_at = forms.SplitDateTimeField(
        label=gettext_lazy("Publish at"),
        widget=LabelledSplitDateTime,
        help_text=gettext_lazy(
            "A time in the future, in the site's time zone. A story under embargo "
            "cannot be scheduled before its embargo ends."
        ),
    )


def reasons(error) -> str:
    return "; ".join(
        message for field in getattr(error, "message_dict", {}).values() for message in field
    ) or "; ".join(getattr(error, "messages", [str(error)]))


def schedule_each(model_admin, request, stories, at) -> int:
    """Schedule each story for `at`, saying on screen why any was not; returns how many were."""
    done = 0
    for story in stories:
        try:
            story.schedule(by=request.user, at=at)
        except (ValidationError, PermissionDenied) as error:
            model_admin.message_user(
                request,
                _("“%(story)s” was not scheduled: %(reasons)s")
                % {"story": story, "reasons": reasons(error)},
                messages.ERROR,
            )
            continue
        model_admin.log_change(request, story, f"Scheduled for {site_time(at)}.")
        done += 1
    if done:
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d story scheduled for %(when)s.",
                "%(count)d stories scheduled for %(when)s.",
                done,
            )
            % {"count": done, "when": site_time(at)},
            messages.SUCCESS,
        )
    return done


def page(request, model_admin, stories, form, *, action: bool):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "title": (
            _("Schedule stories")
            if len(stories) > 1
            else _("Schedule “%(story)s”") % {"story": stories[0]}
        ),
        "stories": stories,
        "form": form,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/articles/article/schedule.html", context)


@admin.action(description=gettext_lazy("Schedule selected stories…"), permissions=["publish"])
def schedule(model_admin, request, queryset):
    """The list's action: the first post shows the time to choose, the second schedules."""
    stories = list(queryset.select_related("lead_photo"))
    form = ScheduleForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        schedule_each(model_admin, request, stories, form.cleaned_data["published_at"])
        return None  # back to the list
    return page(request, model_admin, stories, form, action=True)


@require_http_methods(["GET", "POST"])
def schedule_one(request, object_id):
    """The change form's "Schedule" and "Publish now": one story, by those who may publish."""
    model_admin = admin.site.get_model_admin(Article)
    story = model_admin.get_object(request, unquote(object_id))
    if story is None:
        raise Http404("No such story.")
    model_admin.require_publish_permission(request)
    change_page = redirect("admin:articles_article_change", story.pk)
    if request.method == "POST" and "now" in request.POST:
        try:
            story.publish_now(by=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(
                request,
                _("“%(story)s” was not published: %(reasons)s")
                % {"story": story, "reasons": reasons(error)},
            )
            return change_page
        model_admin.log_change(request, story, "Published.")
        messages.success(request, _("“%(story)s” is published.") % {"story": story})
        return change_page
    form = ScheduleForm(request.POST or None)
    if form.is_valid() and schedule_each(
        model_admin, request, [story], form.cleaned_data["published_at"]
    ):
        return change_page
    return page(request, model_admin, [story], form, action=False)
