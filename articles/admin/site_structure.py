"""Sections, authors and old story addresses: the structure readers navigate."""

from django.contrib import admin

from articles.models import ArticleRedirect, Author, Section

from .guards import PublicationGuard


@admin.register(Section)
class SectionAdmin(PublicationGuard, admin.ModelAdmin):
    public_lookup = "section"
    list_display = ["name", "slug", "position", "top_story"]
    list_editable = ["position"]
    list_select_related = ["top_story"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["top_story"]


@admin.register(Author)
class AuthorAdmin(PublicationGuard, admin.ModelAdmin):
    public_lookup = "authors"
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(admin.ModelAdmin):
    """Old addresses of stories, recorded automatically; deleting one makes its old links 404."""

    list_display = ["old_path", "article", "created_at"]
    search_fields = ["old_path", "article__headline"]
    list_select_related = ["article"]
    readonly_fields = ["old_path", "article", "created_at"]

    def has_add_permission(self, request):
        return False
