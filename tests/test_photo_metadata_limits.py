"""Reading a photo's embedded XMP costs time in proportion to the packet, never more: an
oversized packet is ignored, a hostile one is read by an XML parser that refuses DTDs and
entities, and an ordinary one still fills in the upload form."""

import io
import time

import pytest
from django.urls import reverse
from PIL import Image, PngImagePlugin

from articles.models import Photo
from tests.factories import upload

pytestmark = pytest.mark.django_db

NAMESPACES = (
    'xmlns:x="adobe:ns:meta/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"'
)
PACKET = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    f"<x:xmpmeta {NAMESPACES}><rdf:RDF>"
    '<rdf:Description rdf:about="" photoshop:Credit="Reuters">'
    "<dc:creator><rdf:Seq><rdf:li>Ammar Awad</rdf:li></rdf:Seq></dc:creator>"
    '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Old City &amp; the Western Wall'
    "</rdf:li></rdf:Alt></dc:description>"
    '<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">© Reuters</rdf:li></rdf:Alt></dc:rights>'
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
    '<?xpacket end="w"?>'
)


def png_with_xmp(xmp: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp, zip=True)
    out = io.BytesIO()
    Image.new("RGB", (640, 400), (10, 120, 60)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def timed_upload(client, content: bytes):
    data = {
        "image": upload("agency.png", content=content),
        "caption": "",
        "alt_text": "Worshippers at the Western Wall",
        "photographer": "",
        "agency": "Staff",
        "usage_terms": "",
        "rights_expire_on": "",
    }
    started = time.perf_counter()
    response = client.post(reverse("admin:articles_photo_add"), data)
    return response, time.perf_counter() - started


def test_a_small_png_with_a_megabyte_of_repeated_xmp_elements_uploads_in_well_under_a_second(
    editor_client,
):
    hostile = png_with_xmp("<dc:description>" * 62_500)
    assert len(hostile) < 8_000  # a few kilobytes on the wire, a megabyte once inflated

    response, seconds = timed_upload(editor_client, hostile)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert seconds < 1.0
    photo = Photo.objects.get()
    assert (photo.caption, photo.photographer) == ("", "")  # the oversized packet is ignored


def test_a_packet_just_under_the_size_limit_full_of_unclosed_list_items_is_read_in_linear_time(
    editor_client,
):
    # The old regular expressions scanned to the end of the packet from every opening tag.
    hostile = "<dc:description>" + "<rdf:li>" * 8_000 + "</dc:description>"
    assert len(hostile.encode()) < 64 * 1024

    response, seconds = timed_upload(editor_client, png_with_xmp(hostile))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert seconds < 0.5
    assert Photo.objects.get().caption == ""  # not well-formed XML: nothing is read from it


def test_an_ordinary_xmp_packet_still_fills_caption_photographer_credit_and_rights(editor_client):
    response, _ = timed_upload(editor_client, png_with_xmp(PACKET))

    assert response.status_code == 302, response.content.decode()[:2000]
    photo = Photo.objects.get()
    assert (photo.caption, photo.photographer, photo.usage_terms) == (
        "Old City & the Western Wall",
        "Ammar Awad",
        "© Reuters",
    )
    assert photo.agency == "Staff"  # what the editor typed wins over the file's Reuters
    assert "xmp" not in Image.open(photo.image.path).info


def test_a_billion_laughs_xmp_packet_is_ignored_and_the_photo_still_uploads(editor_client):
    laughs = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    bomb = (
        f"<!DOCTYPE x:xmpmeta [{laughs}]>"
        f'<x:xmpmeta {NAMESPACES}><rdf:RDF><rdf:Description photoshop:Credit="&lol9;">'
        "<dc:creator><rdf:Seq><rdf:li>&lol9;</rdf:li></rdf:Seq></dc:creator>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )

    response, seconds = timed_upload(editor_client, png_with_xmp(bomb))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert seconds < 1.0
    photo = Photo.objects.get()
    assert (photo.photographer, photo.agency) == ("", "Staff")


def test_an_xmp_packet_naming_an_external_entity_is_ignored(editor_client):
    external = (
        '<!DOCTYPE x:xmpmeta [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        f"<x:xmpmeta {NAMESPACES}><rdf:RDF><rdf:Description>"
        "<dc:description>&secret;</dc:description>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )

    response, _ = timed_upload(editor_client, png_with_xmp(external))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Photo.objects.get().caption == ""
