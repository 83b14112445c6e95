"""What search engines and social sites read: descriptions and schema.org NewsArticle data."""

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import Truncator

from . import renditions


def description(article) -> str:
    """The subheadline, or the opening of the body: for meta description and social cards."""
    text = article.subheadline or " ".join(strip_tags(article.body).split())
    return Truncator(text).chars(200)


def news_article(article, request) -> dict:
    """schema.org NewsArticle for the article page's JSON-LD."""
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline[:110],
        "description": description(article),
        "image": [],
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.modified_at.isoformat(),
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(author.get_absolute_url()),
            }
            for author in article.byline_authors
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": settings.NEWSROOM_SITE_NAME,
            "url": request.build_absolute_uri("/"),
        },
        "keywords": [tag.name for tag in article.tags.all()],
    }
    if article.section is not None:
        data["articleSection"] = article.section.name
    # Both read what the article page prefetched (articles/views.py article_context).
    if corrections := list(article.corrections.all()):
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.published_at.isoformat(),
            }
            for correction in corrections
        ]
    if contributors := list(article.contributors.all()):
        data["contributor"] = [
            {
                "@type": "Organization" if person.kind == "organization" else "Person",
                "name": person.name,
                "description": person.get_role_display(),
            }
            for person in contributors
        ]
    if article.lead_photo is not None:
        data["image"] = [request.build_absolute_uri(renditions.image_url(article.lead_photo))]
    return data
