"""How a story will look where readers meet it (a search result, a social card, the lead photo),
shown in its change form. Each preview is a template in templates/admin/articles/previews/."""

from django.template.loader import render_to_string

from articles.photos import renditions
from articles.public import seo

from .photos import staff_original


def search_result(article) -> str:
    title, text = seo.title(article), seo.description(article)
    return render_to_string(
        "admin/articles/previews/search_result.html",
        {
            "url": article.get_absolute_url(),
            "title": title,
            "text": text,
            "title_limit": seo.RECOMMENDED_LENGTHS["seo_title"],
            "text_limit": seo.RECOMMENDED_LENGTHS["meta_description"],
        },
    )


def social_card(article) -> str:
    title = seo.social_title(article)
    return render_to_string(
        "admin/articles/previews/social_card.html",
        {
            "image": seo.social_image(seo.social_photo(article)),
            "site_name": seo.site_name(),
            "title": title,
            "text": seo.description(article),
            "title_limit": seo.RECOMMENDED_LENGTHS["social_headline"],
        },
    )


def lead_photo(photo) -> str:
    item = renditions.pick(photo.rendition_set("jpeg"), 640) or staff_original(photo)
    return render_to_string(
        "admin/articles/previews/lead_photo.html", {"photo": photo, "url": item["url"]}
    )
