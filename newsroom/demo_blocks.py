"""The demo's story made of blocks: one block of each kind, so `make run` shows every one of them
(and the browser journeys check them at phone widths). Built from the demo's own photos and
linked to the reference story; created once, like the rest of the demo."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article, Byline

SLUG = "how-a-ceasefire-deal-is-made"


def blocks(photos, linked: Article) -> list[dict]:
    return [
        {
            "type": "text",
            "html": "<p>A ceasefire is written long before it is announced. Mediators in "
            "<strong>Cairo</strong> and <strong>Doha</strong> pass drafts between delegations "
            "that never sit in the same room.</p>",
        },
        {"type": "heading", "text": "The rooms where it happens"},
        {
            "type": "photo",
            "photo": photos[3].pk,
            "caption": "Lawmakers follow the talks from the chamber",
            "size": "wide",
        },
        {
            "type": "gallery",
            "caption": "A day of shuttle diplomacy",
            "photos": [
                {"photo": photos[0].pk, "caption": "Delegates leave at rush hour"},
                {"photo": photos[1].pk, "caption": "The harbour before the first meeting"},
                {"photo": photos[4].pk},
            ],
        },
        {"type": "embed", "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
        {
            "type": "quote",
            "text": "Every word in the draft has been argued over twice.",
            "attribution": "A mediator close to the talks",
        },
        {
            "type": "factbox",
            "title": "Who is at the table",
            "html": "<ul><li>Qatar and Egypt, the mediators</li>"
            "<li>The United States, with bridging proposals</li>"
            "<li>Delegations that meet only through them</li></ul>",
        },
        {
            "type": "table",
            "caption": "Rounds of talks so far",
            "header": ["Month", "City", "Outcome"],
            "rows": [
                ["January", "Cairo", "A framework agreed in principle"],
                ["March", "Doha", "Talks paused over the sequencing of a truce"],
                ["May", "Cairo", "Bridging proposals tabled"],
            ],
        },
        {"type": "story", "story": linked.pk},
    ]


def ensure_block_story(sections, authors, photos, linked: Article) -> Article:
    story = Article.objects.filter(slug=SLUG).first()
    if story is not None:
        return story
    story = Article.objects.create(
        slug=SLUG,
        kicker="Explainer",
        headline="How a ceasefire deal is made, one draft at a time",
        subheadline="Photos, a gallery, a video, a fact box and a table: a story in blocks.",
        blocks=blocks(photos, linked),
        section=next(s for s in sections if s.slug == "world"),
        lead_photo=photos[5],
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(minutes=40),
    )
    Byline.objects.create(article=story, author=authors[0])
    story.tags.add("Hostage Deal", "Diplomacy")
    return story
