"""POST data for the admin's article form, as the browser would send it."""

import json
from html.parser import HTMLParser

from articles.models import Article


def article_post(
    *, section=None, authors=(), status=Article.Status.DRAFT, lead_photo=None, **fields
):
    data = {
        "kind": Article.Kind.NEWS,
        "sponsor": "",
        "kicker": "Kicker",
        "headline": "A headline for the test",
        "subheadline": "",
        "slug": "a-headline-for-the-test",
        "section": section.pk if section else "",
        "blocks": as_blocks("<p>Body.</p>"),
        "lead_photo": lead_photo.pk if lead_photo else "",
        "contributor_note": "",
        "tags": "",
        "status": status,
        "published_at_0": "",
        "published_at_1": "",
        "embargo_until_0": "",
        "embargo_until_1": "",
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
    if "body" in fields:
        fields["blocks"] = as_blocks(fields.pop("body"))
    data.update(fields)
    return data


def as_blocks(body: str) -> str:
    """A body as the form's blocks field sends it: one text block (none when empty)."""
    return json.dumps([{"type": "text", "html": body}] if body else [])


class _FormReader(HTMLParser):
    """The fields of the page's main form as a browser would submit them."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, {}
        self._textarea = self._select = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "disabled" in a:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(a["name"], []).append(
                a.get("value", "on" if kind == "checkbox" else "")
            )
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.data[a["name"]] = [""]
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._single = "multiple" not in a
            self._first = None
            self.data.setdefault(a["name"], [])
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = a.get("value", "")
            if "selected" in a:
                self.data[self._select].append(a.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            # A single choice with nothing selected sends its first option, as browsers do.
            if self._single and not self.data[self._select] and self._first is not None:
                self.data[self._select].append(self._first)
            self._select = None


def form_data(response, form_id="article_form", **changes) -> dict:
    """What submitting the admin page's form unchanged would send, with `changes` applied."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    data = {name: values if len(values) != 1 else values[0] for name, values in reader.data.items()}
    data.pop("csrfmiddlewaretoken", None)
    if "body" in changes:
        changes["blocks"] = as_blocks(changes.pop("body"))
    data.update(changes)
    return data
