"""POST data for the admin's article form, as the browser would send it."""

from articles.models import Article


def article_post(
    *, section=None, authors=(), status=Article.Status.DRAFT, lead_photo=None, **fields
):
    data = {
        "kicker": "Kicker",
        "headline": "A headline for the test",
        "subheadline": "",
        "slug": "a-headline-for-the-test",
        "section": section.pk if section else "",
        "body": "<p>Body.</p>",
        "lead_photo": lead_photo.pk if lead_photo else "",
        "contributor_note": "",
        "tags": "",
        "status": status,
        "published_at_0": "",
        "published_at_1": "",
        "comments_open": "on",
        "bylines-TOTAL_FORMS": str(len(authors)),
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        # The other inlines, sent empty as a browser sends them.
        "contributors-TOTAL_FORMS": "0",
        "contributors-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
    }
    for i, author in enumerate(authors):
        data[f"bylines-{i}-author"] = author.pk
        data[f"bylines-{i}-position"] = i
    data.update(fields)
    return data
