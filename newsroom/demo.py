"""The demo newsroom: sections, authors, photos, tags and stories, built idempotently.

Used by `manage.py seed_demo`; every function can run twice and leaves the same rows.
"""

import io
import random
from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw
from taggit.models import Tag

from articles import caching
from articles.models import Article, Author, Byline, Photo, Section
from articles.models.blocks import text_block
from comments.models import Comment, StoryCommentCount

from .demo_blocks import ensure_block_story

SECTIONS = ["World", "Israel", "Politics", "Business", "Technology", "Culture", "Sport"]

AUTHORS = [
    ("Dana Levi", "Diplomatic correspondent covering the State Department and the region."),
    ("Michael Rosen", "Washington bureau chief."),
    ("Noa Katz", "Reports on technology, start-ups and the people behind them."),
    ("Samuel Ortiz", "Business editor: markets, energy and trade."),
    ("Yael Ben-David", "Culture writer and critic."),
    ("Omar Haddad", "Regional affairs reporter based in Jerusalem."),
]

DEMO_PASSWORD = "newsroom-demo"
DEMO_USERS = [("editor", "Editors"), ("reporter", "Reporters"), ("moderator", "Moderators")]

REFERENCE = {
    "slug": "blinken-heads-to-israel-as-ceasefire-talks-gain-momentum",
    "kicker": "Antony Blinken, Ceasefire Talks",
    "headline": "Blinken heads to Israel as ceasefire talks gain momentum",
    "subheadline": "U.S. officials express cautious optimism but acknowledge challenges ahead.",
    "contributor_note": "Ynet contributed to this report.",
    "tags": ["Antony Blinken", "Hostage Deal"],
    "body": (
        "<p>Secretary of State Antony Blinken lands in Israel on Sunday, his tenth trip to the "
        "region since the war began, as negotiators push to close the gaps that have stalled a "
        "ceasefire for months.</p>"
        "<p>The United States, working alongside mediators Qatar and Egypt, has put forward "
        "<strong>bridging proposals</strong> meant to settle the remaining disputes over the "
        "sequencing of a truce and the release of hostages.</p>"
        "<h2>Cautious optimism</h2>"
        "<p>American officials describe the talks as closer than at any point in recent weeks "
        "and say a ceasefire and hostage deal is ready to be closed, while stressing that "
        "<em>serious challenges remain</em> and that neither side has yet signed off.</p>"
        "<blockquote><p>We are closer, but closer is not done.</p></blockquote>"
        "<p>Blinken is expected to meet Israeli leaders before travelling on to Cairo and Doha "
        "to press the mediators for a final push.</p>"
    ),
    "photo": {
        "caption": "Antony Blinken",
        "alt_text": "Antony Blinken speaking at a lectern in front of flags",
        "photographer": "Alexandros Michailidis",
        "agency": "Shutterstock",
        "usage_terms": "Editorial use only. Licensed from Shutterstock.",
    },
}

PHOTOS = [
    (
        "Rush hour at the central station",
        "Commuters crowd a station platform",
        "Tamar Golan",
        "Reuters",
    ),
    ("The harbour at dawn", "Fishing boats moored in a calm harbour at sunrise", "", "AP"),
    ("A start-up's open-plan office", "Engineers working at long desks", "Lior Mizrahi", ""),
    (
        "Parliament in session",
        "Lawmakers seated in a semicircular chamber",
        "Eli Avraham",
        "Getty Images",
    ),
    (
        "The festival's opening night",
        "A crowd in front of an outdoor stage",
        "Maya Stern",
        "Newsroom",
    ),
    ("Fans at the final", "Supporters waving scarves in a stadium", "David Cohen", "AFP"),
]

HEADLINE_PARTS = [
    ("Markets", "Markets steady as central bank signals a pause"),
    ("Elections", "Coalition talks enter a decisive week"),
    ("Energy", "Gas field deal reshapes the regional energy map"),
    ("Start-ups", "Chip designer raises a record round"),
    ("Theatre", "A new staging of an old classic divides critics"),
    ("Football", "Late goal sends the champions through"),
    ("Diplomacy", "Envoys meet again as the region watches"),
    ("Housing", "Rents climb for a sixth straight month"),
    ("Hostages", "Families of hostages rally as mediators meet in Cairo"),
]

TAGS = [
    "Economy",
    "Elections",
    "Energy",
    "Start-ups",
    "Theatre",
    "Football",
    "Diplomacy",
    "Housing",
    "Hostage Deal",
]


def demo_image(seed: int) -> ContentFile:
    """A 1920×1200 JPEG drawn with Pillow: a gradient sky, hills and a sun (large enough for
    crops 1200 px wide in every ratio). `sun` on the file: where the sun is, in percent."""
    rng = random.Random(seed)
    width, height = 1920, 1200
    top = (rng.randint(20, 90), rng.randint(60, 140), rng.randint(120, 220))
    bottom = (rng.randint(180, 250), rng.randint(120, 200), rng.randint(80, 160))
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    sun_x, sun_y = rng.randint(240, 1680), rng.randint(144, 480)
    draw.ellipse([sun_x - 108, sun_y - 108, sun_x + 108, sun_y + 108], fill=(255, 230, 150))
    for layer in range(3):
        shade = 40 + layer * 30
        base = 720 + layer * 144
        points = (
            [(0, height)]
            + [(x, base + rng.randint(-144, 72)) for x in range(0, width + 240, 240)]
            + [(width, height)]
        )
        draw.polygon(points, fill=(shade, shade + 30, shade))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    picture = ContentFile(out.getvalue(), name=f"demo-{seed}.jpg")
    picture.sun = (round(sun_x / width * 100, 1), round(sun_y / height * 100, 1))
    return picture


def ensure_photo(
    seed: int, caption: str, alt_text: str, photographer: str, agency: str, usage_terms=""
) -> Photo:
    photo = Photo.objects.filter(caption=caption, photographer=photographer, agency=agency).first()
    if photo is None:
        photo = Photo(
            caption=caption,
            alt_text=alt_text,
            photographer=photographer,
            agency=agency,
            usage_terms=usage_terms,
        )
        picture = demo_image(seed)
        # The sun is the subject: crops keep it in frame.
        photo.focal_x, photo.focal_y = picture.sun
        photo.image.save(f"demo-{seed}.jpg", picture, save=False)
        photo.save()
    return photo


def ensure_sections() -> list[Section]:
    return [
        Section.objects.get_or_create(slug=slugify(name), defaults={"name": name, "position": i})[0]
        for i, name in enumerate(SECTIONS)
    ]


def ensure_authors() -> list[Author]:
    return [
        Author.objects.get_or_create(slug=slugify(name), defaults={"name": name, "bio": bio})[0]
        for name, bio in AUTHORS
    ]


def ensure_users(reporter_author="dana-levi") -> list[tuple[str, str]]:
    created = []
    for username, group_name in DEMO_USERS:
        user, was_created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, "email": f"{username}@example.com"}
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=group_name))
        created.append((username, DEMO_PASSWORD))
    if reporter := User.objects.filter(username="reporter").first():
        Author.objects.filter(slug=reporter_author, user__isnull=True).update(user=reporter)
    return created


def ensure_reference_article(sections, authors, world_slug="world") -> Article:
    world = next(s for s in sections if s.slug == world_slug)
    photo = ensure_photo(1, **REFERENCE["photo"])
    article, created = Article.objects.get_or_create(
        slug=REFERENCE["slug"],
        defaults={
            "kicker": REFERENCE["kicker"],
            "headline": REFERENCE["headline"],
            "subheadline": REFERENCE["subheadline"],
            "contributor_note": REFERENCE["contributor_note"],
            "body": REFERENCE["body"],
            "section": world,
            "lead_photo": photo,
            "status": Article.Status.PUBLISHED,
            "published_at": timezone.now() - timedelta(minutes=25),
        },
    )
    if created:
        Byline.objects.create(article=article, author=authors[0], position=0)
        Byline.objects.create(article=article, author=authors[1], position=1)
        article.tags.add(*REFERENCE["tags"])
    return article


def ensure_stories(sections, authors, photos) -> None:
    """A hand-sized newsroom: a story per headline, some scheduled and some drafts."""
    now = timezone.now()
    for i, (kicker, headline) in enumerate(HEADLINE_PARTS):
        slug = slugify(headline)
        if Article.objects.filter(slug=slug).exists():
            continue
        if i == 6:
            status, published_at = Article.Status.PUBLISHED, now + timedelta(days=1)
        elif i == 7:
            status, published_at = Article.Status.DRAFT, None
        else:
            status, published_at = Article.Status.PUBLISHED, now - timedelta(hours=2 + i * 5)
        article = Article.objects.create(
            slug=slug,
            kicker=kicker,
            headline=headline,
            subheadline=f"What the latest on {kicker.lower()} means for readers.",
            body=story_body(kicker),
            section=sections[(i + 1) % len(sections)],
            lead_photo=photos[i % len(photos)],
            status=status,
            published_at=published_at,
        )
        Byline.objects.create(article=article, author=authors[(i + 2) % len(authors)])
        article.tags.add(TAGS[i])


def story_body(topic: str) -> str:
    return (
        f"<p>The latest developments on {topic.lower()} drew attention across the country this week, "
        "as officials, analysts and residents weighed what comes next.</p>"
        "<p>Our reporters spoke to the people most affected and to those who will make the "
        "decisions in the weeks ahead.</p>"
        "<h2>What happens next</h2>"
        "<p>Further announcements are expected before the end of the month.</p>"
    )


def ensure_bulk_stories(
    count: int, sections, authors, photos, progress=None, *, parts=HEADLINE_PARTS, tags=TAGS,
    body=story_body, subheadline="Story {n} of the demo newsroom.",
) -> int:  # fmt: skip
    """`count` generated stories (slugs demo-story-1…N), inserted in bulk batches; returns how
    many were new. `parts` (kicker, headline), `tags`, `body` and `subheadline`: their words."""
    existing = set(
        Article.objects.filter(slug__startswith="demo-story-").values_list("slug", flat=True)
    )
    wanted = [f"demo-story-{n}" for n in range(1, count + 1)]
    missing = [slug for slug in wanted if slug not in existing]
    now = timezone.now()
    batch_size = 1000
    tag_objects = None
    for start in range(0, len(missing), batch_size):
        batch = []
        for slug in missing[start : start + batch_size]:
            n = int(slug.rsplit("-", 1)[1])
            kicker, headline = parts[n % len(parts)]
            batch.append(
                Article(
                    slug=slug,
                    kicker=kicker,
                    headline=f"{headline} ({n})",
                    subheadline=subheadline.format(n=n),
                    body=body(kicker),
                    # Written in bulk, past Article.save(): the blocks as save() would make them.
                    blocks=text_block(body(kicker)),
                    section=sections[n % len(sections)],
                    lead_photo=photos[n % len(photos)],
                    status=Article.Status.PUBLISHED,
                    published_at=now - timedelta(hours=n),
                )
            )
        created = Article.objects.bulk_create(batch)
        Byline.objects.bulk_create(
            [Byline(article=a, author=authors[i % len(authors)]) for i, a in enumerate(created)]
        )
        if tag_objects is None:
            tag_objects = [
                Tag.objects.get_or_create(
                    name=t, defaults={"slug": slugify(t, allow_unicode=True)}
                )[0]
                for t in tags
            ]
        Article.tags.through.objects.bulk_create(
            [
                Article.tags.through(content_object=a, tag=tag_objects[i % len(tag_objects)])
                for i, a in enumerate(created)
            ]
        )
        if progress:
            progress(min(start + batch_size, len(missing)), len(missing))
    return len(missing)


COMMENTERS = [
    "Miriam K.",
    "Jonathan Weiss",
    "Leah from Haifa",
    "Daniel R.",
    "Sara Mendes",
    "Avi",
    "Hannah Brooks",
    "Yossi Peretz",
]

COMMENT_BODIES = [
    "Cautious optimism is the right tone. We have been close before and it fell apart.",
    "Good to see Qatar and Egypt still at the table.\nThe details of the sequencing matter most.",
    "Tenth visit since the war began. That says a lot about how hard this has been.",
    "Thank you for a clear explanation of the bridging proposals.",
    "I hope the families get good news soon.",
    "Closer is not done - that quote sums it up.",
    "Would be useful to have a timeline of the previous rounds of talks.",
    "Which challenges remain, specifically? The article could say more.",
]

# The demo's comments come in blocks of six per story: four threads (the last still waiting
# for a moderator) and two replies, one of them waiting too.
COMMENT_BLOCK = [
    (None, Comment.Status.APPROVED),
    (None, Comment.Status.APPROVED),
    (0, Comment.Status.APPROVED),
    (None, Comment.Status.APPROVED),
    (3, Comment.Status.PENDING),
    (None, Comment.Status.PENDING),
]
DEMO_COMMENT_DOMAIN = "readers.demo.example"


def ensure_comments(
    count: int, progress=None, *, names=COMMENTERS, bodies=COMMENT_BODIES,
    first=REFERENCE["slug"], domain=DEMO_COMMENT_DOMAIN,
) -> int:  # fmt: skip
    """`count` demo comments (approved and pending, some replies), the story `first` first, by
    `names` saying `bodies`.

    Comment n is recognised by its address, reader-<n>@<domain>; returns how many were new.
    """
    existing = dict(Comment.objects.filter(email__endswith=f"@{domain}").values_list("email", "pk"))
    missing = [n for n in range(1, count + 1) if demo_email(n, domain) not in existing]
    if not missing:
        return 0
    stories = list(Article.objects.published().order_by("-published_at")[:200])
    reference = next((s for s in stories if s.slug == first), None)
    if reference is not None:
        stories.remove(reference)
        stories.insert(0, reference)
    if not stories:
        return 0
    now = timezone.now()
    batch_size = 1000
    for start in range(0, len(missing), batch_size):
        batch = missing[start : start + batch_size]
        # Threads first, so the replies in the same batch can point at them.
        for want_replies in (False, True):
            rows = []
            for n in batch:
                parent_offset, status = COMMENT_BLOCK[(n - 1) % len(COMMENT_BLOCK)]
                if (parent_offset is not None) != want_replies:
                    continue
                story = stories[(n - 1) // len(COMMENT_BLOCK) % len(stories)]
                created = min(
                    story.published_at + timedelta(minutes=7 * ((n - 1) % len(COMMENT_BLOCK) + 1)),
                    now - timedelta(seconds=count - n + 1),
                )
                parent_number = n - (n - 1) % len(COMMENT_BLOCK) + (parent_offset or 0)
                rows.append(
                    Comment(
                        article=story,
                        parent_id=existing.get(demo_email(parent_number, domain))
                        if want_replies
                        else None,
                        name=names[n % len(names)],
                        email=demo_email(n, domain),
                        body=bodies[n % len(bodies)],
                        status=status,
                        created_at=created,
                        moderated_at=created + timedelta(minutes=10)
                        if status == Comment.Status.APPROVED
                        else None,
                        ip_address=f"192.0.2.{n % 250 + 1}",
                    )
                )
            for comment in Comment.objects.bulk_create(rows):
                existing[comment.email] = comment.pk
        if progress:
            progress(min(start + batch_size, len(missing)), len(missing))
    # Bulk inserts send no signals: the stories' kept counts by hand (seed() purges the pages).
    StoryCommentCount.recount_all(story.pk for story in stories)
    return len(missing)


def demo_email(n: int, domain=DEMO_COMMENT_DOMAIN) -> str:
    return f"reader-{n}@{domain}"


def refresh_planner_statistics() -> None:
    """After a bulk load, Postgres plans with stale row counts (and may skip the search index)
    until autovacuum analyses the tables: analyse them now, as its docs advise."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# Rows past which a load is "bulk": worth a vacuum once it is committed.
BULK_LOAD_ROWS = 10_000


def vacuum_after_bulk_load(rows: int) -> None:
    """After a large committed load of `rows` new rows, vacuum as autovacuum would in time:
    until the visibility map is set, Postgres cannot count rows from an index alone (pagination
    counts, the sitemap index). Statistics are already fresh (seed() analyzes after a load).
    VACUUM cannot run inside a transaction, so it is skipped in one (tests)."""
    bulk = rows >= BULK_LOAD_ROWS and connection.vendor == "postgresql"
    if bulk and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")


def seed(
    *,
    articles: int = 0,
    comments: int = 12,
    users: bool = False,
    progress=None,
    comment_progress=None,
) -> dict:
    sections = ensure_sections()
    authors = ensure_authors()
    photos = [ensure_photo(i + 2, *spec) for i, spec in enumerate(PHOTOS)]
    reference = ensure_reference_article(sections, authors)
    ensure_block_story(sections, authors, photos, linked=reference)
    ensure_stories(sections, authors, photos)
    new = ensure_bulk_stories(articles, sections, authors, photos, progress) if articles else 0
    new_comments = ensure_comments(comments, comment_progress)
    if new or new_comments:
        refresh_planner_statistics()
        # Bulk inserts send no signals: start fresh cached reader pages by hand.
        caching.purge_everything()
    logins = ensure_users() if users else []
    return {
        "reference": reference,
        "new_bulk": new,
        "new_comments": new_comments,
        "logins": logins,
    }
