"""Photo rights that are enforced, and credits read from the file's own IPTC/XMP/EXIF."""

import io
import struct
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image

from articles.models import Article, Photo
from tests.admin_forms import article_post
from tests.factories import make_article, make_author, make_photo, make_section, upload

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:articles_article_changelist")


def iptc_segment(records: dict[int, str]) -> bytes:
    """An APP13 segment as photo desks' software writes it: Photoshop 3.0 resources holding an
    IPTC-NAA block (resource 0x0404) of record-2 datasets."""
    iptc = b"".join(
        b"\x1c\x02" + bytes([dataset]) + struct.pack(">H", len(value.encode())) + value.encode()
        for dataset, value in records.items()
    )
    if len(iptc) % 2:
        iptc += b"\x00"
    resource = (
        b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    )
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with_metadata(*, iptc=None, exif=None, xmp=b"") -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (640, 400), (120, 80, 40))
    exif_data = Image.Exif()
    for tag, value in (exif or {}).items():
        exif_data[tag] = value
    image.save(out, "JPEG", exif=exif_data.tobytes() if exif else b"", xmp=xmp)
    data = out.getvalue()
    if iptc:
        data = data[:2] + iptc_segment(iptc) + data[2:]  # right after the start-of-image marker
    return data


def post_photo(client, content: bytes, **fields):
    data = {
        "image": upload("agency.jpg", content=content),
        "caption": "",
        "alt_text": "Two ministers shaking hands",
        "photographer": "",
        "agency": "",
        "usage_terms": "",
        "rights_expire_on": "",
        **fields,
    }
    return client.post(reverse("admin:articles_photo_add"), data)


def test_an_upload_fills_caption_photographer_and_credit_from_its_iptc(editor_client):
    content = jpeg_with_metadata(
        iptc={
            120: "Antony Blinken arrives in Tel Aviv",
            80: "Alexandros Michailidis",
            110: "Shutterstock",
            116: "© Shutterstock, editorial use only",
        },
        exif={ExifTags.Base.Artist: "Camera Owner"},
    )

    response = post_photo(editor_client, content)

    assert response.status_code == 302, response.content.decode()[:2000]
    photo = Photo.objects.get()
    assert photo.caption == "Antony Blinken arrives in Tel Aviv"
    assert photo.photographer == "Alexandros Michailidis"  # IPTC wins over EXIF
    assert photo.agency == "Shutterstock"
    assert photo.usage_terms == "© Shutterstock, editorial use only"
    # The copy readers get carries none of it.
    stored = Image.open(photo.image.path)
    assert "photoshop" not in stored.info
    assert not stored.getexif()


def test_exif_fills_in_when_there_is_no_iptc(editor_client):
    content = jpeg_with_metadata(
        exif={
            ExifTags.Base.ImageDescription: "Harbour at dawn",
            ExifTags.Base.Artist: "Ruth Ben-Ami",
        }
    )

    post_photo(editor_client, content)

    photo = Photo.objects.get()
    assert (photo.caption, photo.photographer, photo.agency) == (
        "Harbour at dawn",
        "Ruth Ben-Ami",
        "",
    )


def test_xmp_fills_in_the_credit_and_photographer(editor_client):
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description photoshop:Credit="AP">'
        b"<dc:creator><rdf:Seq><rdf:li>Maya Alleruzzo</rdf:li></rdf:Seq></dc:creator>"
        b'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Market in Jaffa</rdf:li></rdf:Alt>'
        b"</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>"
    )

    post_photo(editor_client, jpeg_with_metadata(xmp=xmp))

    photo = Photo.objects.get()
    assert (photo.caption, photo.photographer, photo.agency) == (
        "Market in Jaffa",
        "Maya Alleruzzo",
        "AP",
    )
    assert "xmp" not in Image.open(photo.image.path).info


def test_what_the_editor_typed_wins_over_the_file(editor_client):
    content = jpeg_with_metadata(iptc={120: "Caption from the agency", 80: "Agency Photographer"})

    post_photo(editor_client, content, caption="The editor's caption")

    photo = Photo.objects.get()
    assert photo.caption == "The editor's caption"
    assert photo.photographer == "Agency Photographer"


def test_a_story_cannot_be_published_with_a_lead_photo_whose_rights_expired(editor_client):
    photo = make_photo(rights_expire_on=timezone.localdate() - timedelta(days=1))
    section, author = make_section(), make_author()

    response = editor_client.post(
        reverse("admin:articles_article_add"),
        article_post(section=section, authors=[author], status="published", lead_photo=photo),
    )

    assert response.status_code == 200
    assert "The lead photo&#x27;s rights expired on" in response.content.decode()
    assert not Article.objects.exists()


def test_the_publish_action_refuses_an_expired_lead_photo_and_says_why(editor_client):
    photo = make_photo(rights_expire_on=timezone.localdate() - timedelta(days=3))
    story = make_article(status=Article.Status.REVIEW, lead_photo=photo, headline="Expired photo")

    response = editor_client.post(
        CHANGELIST_URL, {"action": "publish", "_selected_action": [story.pk]}, follow=True
    )

    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW
    assert "“Expired photo” was not published: The lead photo&#x27;s rights expired" in (
        response.content.decode()
    )


def test_rights_that_end_today_still_allow_publishing(editor):
    story = make_article(
        status=Article.Status.REVIEW, lead_photo=make_photo(rights_expire_on=timezone.localdate())
    )

    story.publish(by=editor)

    assert story.is_published


def test_editors_see_live_stories_whose_photos_expire_within_a_week(editor_client):
    today = timezone.localdate()
    soon = make_article(
        headline="Soon expiring", lead_photo=make_photo(rights_expire_on=today + timedelta(days=6))
    )
    make_article(
        headline="Expired already",
        lead_photo=make_photo(rights_expire_on=today - timedelta(days=1)),
    )
    make_article(
        headline="Safe for now", lead_photo=make_photo(rights_expire_on=today + timedelta(days=30))
    )
    make_article(
        headline="Draft with expiring photo",
        status=Article.Status.DRAFT,
        lead_photo=make_photo(rights_expire_on=today + timedelta(days=1)),
    )

    photos = editor_client.get(reverse("admin:articles_photo_changelist")).content.decode()
    desk = editor_client.get(reverse("admin:index")).content.decode()
    filtered = editor_client.get(reverse("admin:articles_photo_changelist") + "?rights=expiring")

    for page in (photos, desk):
        warning = page[page.index('class="module rights-warning"') :].split("</div>")[0]
        assert "Soon expiring" in warning and "Expired already" in warning
        assert "Safe for now" not in warning and "Draft with expiring photo" not in warning
    assert set(filtered.context["cl"].result_list) == {
        Photo.objects.get(lead_for__headline="Expired already"),
        soon.lead_photo,
    }
