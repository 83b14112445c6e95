"""The newsroom's standards pages at /about/<kind>/, and which of them editors have written:
linked from every page's footer and from the organisation's structured data."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from articles import caching
from articles.models import PolicyPage

# The schema.org property of NewsMediaOrganization that names each page.
PROPERTIES = {
    PolicyPage.Kind.PUBLISHING_PRINCIPLES: "publishingPrinciples",
    PolicyPage.Kind.CORRECTIONS_POLICY: "correctionsPolicy",
    PolicyPage.Kind.ETHICS_POLICY: "ethicsPolicy",
}
TIMEOUT = 60 * 60


def written(request=None) -> list[dict]:
    """[{"title", "url", "property"}, …] of the policy pages that exist, for the page `request`
    is making. Cached like the section navigation, by the content version, which a saved or
    deleted policy page moves: every page footer and every story's JSON-LD name them."""
    return caching.by_content_version(request, "articles:policies", _written, TIMEOUT)


def _written() -> list[dict]:
    return [
        {"title": page.title, "url": page.get_absolute_url(), "property": PROPERTIES[page.kind]}
        for page in PolicyPage.objects.only("kind", "title")
    ]


@require_safe
@caching.reader_page()
def policy(request, kind):
    page = get_object_or_404(PolicyPage, kind=kind)
    return render(request, "articles/policy.html", {"page": page})
