from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from .models import Article, Author, Byline, Section


def story_list(queryset):
    """Published stories with everything a story card shows, in one place."""
    return (
        queryset.published()
        .select_related("section", "lead_photo")
        .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
    )


def paginate(request, queryset, per_page=20):
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    return page


def home(request):
    stories = list(story_list(Article.objects)[:20])
    return render(
        request,
        "articles/home.html",
        {"lead": stories[0] if stories else None, "stories": stories[1:]},
    )


def article(request, section, slug):
    queryset = Article.objects.select_related("section", "lead_photo").prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("author")), "tags"
    )
    if not request.user.is_staff:
        queryset = queryset.published()
    story = get_object_or_404(queryset, slug=slug)
    if story.section is None or story.section.slug != section:
        return redirect(story, permanent=True)
    return render(request, "articles/article.html", {"article": story})


@staff_member_required
def preview(request, pk):
    story = get_object_or_404(Article, pk=pk)
    return render(request, "articles/article.html", {"article": story, "preview": True})


def section(request, slug):
    sect = get_object_or_404(Section, slug=slug)
    page = paginate(request, story_list(sect.articles))
    return render(request, "articles/list.html", {"title": sect.name, "page": page})


def author(request, slug):
    person = get_object_or_404(Author, slug=slug)
    page = paginate(request, story_list(person.articles))
    return render(request, "articles/list.html", {"title": person.name, "page": page})


def tag(request, slug):
    stories = story_list(Article.objects.filter(tags__slug=slug))
    if not stories.exists():
        raise Http404("No such tag")
    page = paginate(request, stories)
    return render(request, "articles/list.html", {"title": slug, "page": page})
