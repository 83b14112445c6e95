"""What a photo file says about itself (IPTC, XMP, EXIF), read before re-encoding strips it.

Agencies and photographers embed the caption, the photographer's name and the credit; the
upload form fills empty fields from them, and the editor checks and changes them as needed.
IPTC is the newsroom standard and wins, then XMP, then EXIF.
"""

import xml.sax

import defusedxml
import defusedxml.sax
from PIL import ExifTags, Image, IptcImagePlugin

# IPTC IIM datasets (record 2) for each field, first found wins.
IPTC = {
    "caption": [(2, 120)],  # Caption/Abstract
    "photographer": [(2, 80)],  # By-line
    "agency": [(2, 110), (2, 115)],  # Credit, then Source
    "usage_terms": [(2, 116)],  # Copyright Notice
}
# XMP properties (Dublin Core, Photoshop) for each field.
XMP = {
    "caption": ["dc:description"],
    "photographer": ["dc:creator"],
    "agency": ["photoshop:Credit", "photoshop:Source"],
    "usage_terms": ["dc:rights", "xmpRights:UsageTerms"],
}
# The largest XMP packet read: what a JPEG's XMP segment holds at most. A larger packet (a PNG's
# or WebP's may run to megabytes) is ignored rather than parsed.
XMP_MAX_BYTES = 64 * 1024
EXIF = {
    "caption": ExifTags.Base.ImageDescription,
    "photographer": ExifTags.Base.Artist,
    "usage_terms": ExifTags.Base.Copyright,
}
MAX_LENGTH = {"caption": 300, "photographer": 120, "agency": 120, "usage_terms": 2000}


def _text(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else b""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("latin-1")
    return " ".join(str(value).replace("\x00", " ").split())


def _from_iptc(image: Image.Image) -> dict[str, str]:
    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}
    except (SyntaxError, ValueError, OSError, IndexError):
        return {}
    found = {}
    for field, datasets in IPTC.items():
        for dataset in datasets:
            if text := _text(info.get(dataset, b"")):
                found[field] = text
                break
    return found


class _XmpProperties(xml.sax.ContentHandler):
    """The wanted properties of an XMP packet, read in one pass: a property given as an attribute
    (name="…") anywhere, else its first element's first rdf:li, else that element's text.

    Names are matched as written (prefix:name), without namespace processing: agency software
    does not always declare the prefixes it uses. At most one element per wanted name is open at
    a time, so every event costs the same however the packet is nested."""

    def __init__(self, names: set[str]):
        super().__init__()
        self.names = names
        self.attributes: dict[str, str] = {}
        self.elements: dict[str, str] = {}
        self._open: dict[str, dict] = {}
        self._depth = 0

    def startElement(self, tag, attrs):
        self._depth += 1
        for name, value in attrs.items():
            if name in self.names:
                self.attributes.setdefault(name, value)
        for element in self._open.values():
            if tag == "rdf:li" and element["item"] is None:
                element["item"], element["item_depth"] = [], self._depth
        if tag in self.names and tag not in self.elements and tag not in self._open:
            self._open[tag] = {"depth": self._depth, "text": [], "item": None, "item_depth": 0}

    def characters(self, content):
        for element in self._open.values():
            element["text"].append(content)
            if element["item_depth"]:
                element["item"].append(content)

    def endElement(self, tag):
        for name, element in list(self._open.items()):
            if element["item_depth"] == self._depth:
                element["item_depth"] = 0  # the first rdf:li is complete; later ones are not read
            if element["depth"] == self._depth:
                parts = element["item"] if element["item"] is not None else element["text"]
                self.elements[name] = "".join(parts)
                del self._open[name]
        self._depth -= 1


def _xmp_properties(packet: bytes, names: set[str]) -> dict[str, str]:
    """What a packet of at most XMP_MAX_BYTES says of each name; a larger one is ignored.

    The parser refuses DTDs, and with them entity expansion (billion laughs) and external
    entities. A packet that is not well-formed keeps what was read before the error, as the
    padding or junk some writers leave after the packet would otherwise lose it all."""
    packet = packet.rstrip(b"\x00 \t\r\n")
    if not packet or len(packet) > XMP_MAX_BYTES:
        return {}
    handler = _XmpProperties(names)
    try:
        defusedxml.sax.parseString(packet, handler, forbid_dtd=True)
    except defusedxml.DefusedXmlException:
        return {}
    except xml.sax.SAXException:
        pass
    return {**handler.elements, **handler.attributes}


def _from_xmp(image: Image.Image) -> dict[str, str]:
    raw = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    packet = raw.encode("utf-8", "replace") if isinstance(raw, str) else bytes(raw)
    properties = _xmp_properties(packet, {name for names in XMP.values() for name in names})
    found = {}
    for field, names in XMP.items():
        for name in names:
            if text := _text(properties.get(name, "")):
                found[field] = text
                break
    return found


def _from_exif(image: Image.Image) -> dict[str, str]:
    try:
        exif = image.getexif()
    except (SyntaxError, ValueError, OSError):
        return {}
    return {field: text for field, tag in EXIF.items() if (text := _text(exif.get(tag, "")))}


def read(image: Image.Image) -> dict[str, str]:
    """caption, photographer, agency and usage_terms, where the file names them."""
    found = {**_from_exif(image), **_from_xmp(image), **_from_iptc(image)}
    return {field: text[: MAX_LENGTH[field]] for field, text in found.items()}
