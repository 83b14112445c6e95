"""The RSS document of the feeds (articles/public/feeds.py): RSS 2.0 with a channel image and
Media RSS content for each item's photo, written as Django's feed generator writes it."""

import io
import re
from xml.sax.saxutils import escape, quoteattr

from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.xmlutils import SimplerXMLGenerator, UnserializableContentError

MEDIA_RSS = "http://search.yahoo.com/mrss/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"

# What XML 1.0 cannot hold, as SimplerXMLGenerator.characters refuses it.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0B-\x0C\x0E-\x1F]")


class QuickXMLGenerator(SimplerXMLGenerator):
    """SimplerXMLGenerator's document (short empty elements, attributes sorted, control
    characters refused), made of pieces kept in a list: each element of a feed's items written
    in one piece, not in a start, its text and an end of several writes each."""

    def __init__(self, encoding):
        super().__init__(io.BytesIO(), encoding, short_empty_elements=True)
        self.pieces = []
        self._write = self.pieces.append
        self._flush = lambda: None

    def _close_start(self):
        if self._pending_start_element:
            self._write(">")
            self._pending_start_element = False

    def _start(self, name, attrs) -> str:
        attributes = sorted(attrs.items()) if attrs else ()
        return "<" + name + "".join(f" {key}={quoteattr(value)}" for key, value in attributes)

    def _text(self, content) -> str:
        if not isinstance(content, str):
            content = str(content, self._encoding)
        if CONTROL_CHARACTERS.search(content):
            raise UnserializableContentError("Control characters are not supported in XML 1.0")
        return escape(content)

    def startElement(self, name, attrs):
        self._close_start()
        self._write(self._start(name, attrs))
        self._pending_start_element = True

    def characters(self, content):
        if content:
            text = self._text(content)
            self._close_start()
            self._write(text)

    def document(self) -> bytes:
        return "".join(self.pieces).encode(self._encoding, "xmlcharrefreplace")

    def addQuickElement(self, name, contents=None, attrs=None):
        self._close_start()
        start = self._start(name, attrs)
        self._write(f"{start}>{self._text(contents)}</{name}>" if contents else start + "/>")


class NewsFeedGenerator(Rss201rev2Feed):
    """RSS 2.0 with a channel image and Media RSS content for each item's photo."""

    def write(self, outfile, encoding):
        # RssFeed.write's document, through QuickXMLGenerator. Into memory, then one write: each
        # response.write() costs a conversion, and would be a send of its own for the server.
        handler = QuickXMLGenerator(encoding)
        handler.startDocument()
        self.add_stylesheets(handler)
        handler.startElement("rss", self.rss_attributes())
        handler.startElement("channel", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        self.endChannelElement(handler)
        handler.endElement("rss")
        outfile.write(handler.document())

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_RSS, "xmlns:content": CONTENT}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if image := self.feed.get("image"):
            handler.startElement("image", {})
            handler.addQuickElement("url", image)
            handler.addQuickElement("title", self.feed["title"])
            handler.addQuickElement("link", self.feed["link"])
            handler.endElement("image")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])
        media = item.get("media")
        if not media:
            return
        handler.startElement(
            "media:content",
            {
                "url": media["url"],
                "medium": "image",
                "type": "image/jpeg",
                "width": str(media["width"]),
                "height": str(media["height"]),
            },
        )
        if media["caption"]:
            handler.addQuickElement("media:description", media["caption"])
        if media["credit"]:
            handler.addQuickElement("media:credit", media["credit"], {"role": "photographer"})
        handler.endElement("media:content")
