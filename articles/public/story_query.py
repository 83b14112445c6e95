"""The story page's query: a story with what its page reads besides the story, in its row (its
blocks' photos, its embeds' previews, when its first correction is, whether it has
contributors). Reader pages run it compiled once per process (page_queries.py, KeptQuery), so
none of it may depend on the time: whether a correction is due (Correction.objects.due()) is
read by comparing when the first one is with the time of the render.
"""

from articles.models import Article


def article_queryset():
    """Stories as their page reads them."""
    return (
        Article.objects.select_related("section", "lead_photo", "social_image")
        .with_block_photos()
        .with_embed_previews()
        .with_parts_known()
    )
