"""What a photo file says about itself (IPTC, XMP, EXIF), read before re-encoding strips it.

Agencies and photographers embed the caption, the photographer's name and the credit; the
upload form fills empty fields from them, and the editor checks and changes them as needed.
IPTC is the newsroom standard and wins, then XMP, then EXIF.
"""

import re
from html import unescape

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


def _xmp_property(xmp: str, name: str) -> str:
    """A property as an attribute (name="…") or an element, first rdf:li of a list."""
    attribute = re.search(rf'{re.escape(name)}="([^"]*)"', xmp)
    if attribute:
        return attribute.group(1)
    element = re.search(rf"<{re.escape(name)}\b[^>]*>(.*?)</{re.escape(name)}>", xmp, re.S)
    if not element:
        return ""
    inner = element.group(1)
    item = re.search(r"<rdf:li\b[^>]*>(.*?)</rdf:li>", inner, re.S)
    return re.sub(r"<[^>]+>", "", item.group(1) if item else inner)


def _from_xmp(image: Image.Image) -> dict[str, str]:
    raw = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    xmp = _text(raw) if isinstance(raw, bytes) else str(raw)
    if not xmp:
        return {}
    found = {}
    for field, names in XMP.items():
        for name in names:
            if text := _text(unescape(_xmp_property(xmp, name))):
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
