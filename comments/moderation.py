"""Automatic checks on a new comment. Each returns flags for the moderator; none publishes or deletes.

`check()` gathers them; the view decides the status from the result (see `initial_status`).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .models import Ban, BannedWord, Comment

WORD_RE = re.compile(r"[^\W_]+")
LINK_RE = re.compile(r"https?://|www\.", re.IGNORECASE)

# Flag names, with how the queue labels them.
FLAG_LABELS = {
    "banned_words": _("Banned words"),
    "links": _("Many links"),
    "duplicate": _("Duplicate"),
    "honeypot": _("Honeypot filled"),
    "too_fast": _("Sent too fast"),
    "banned": _("Banned author"),
    "reported": _("Reported"),
}
# Flags that mean a bot or a banned author: such comments are stored as spam.
SPAM_FLAGS = {"honeypot", "too_fast", "banned"}
# Single letters joined by one of these are read as one word: "s.c.a.m", "s-c-a-m", "s c a m";
# spaces and line breaks may stand around the joiner, or be the joiner ("s  c  a  m", one letter
# a line), as a page shows a run of spaces as one.
SPELLED_OUT_JOINERS = set(".-_*·•'/|")
# Latin look-alikes in other scripts, folded before matching ("ѕсаm" in Cyrillic reads "scam").
# After casefolding, so only lowercase forms are needed. Small capitals (ꜱᴄᴀᴍ) are Latin letters
# that neither NFKC nor casefolding map to their letter.
CONFUSABLES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j",
        "к": "k", "ӏ": "l", "м": "m", "н": "h", "о": "o", "р": "p", "ԛ": "q", "с": "c",
        "ѕ": "s", "т": "t", "у": "y", "ԝ": "w", "х": "x", "ԁ": "d", "ɡ": "g",
        "ѵ": "v", "ү": "y", "ɑ": "a", "ɩ": "i",
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ı": "i", "ℓ": "l", "ϳ": "j",
        "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h",
        "ɪ": "i", "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p",
        "ꞯ": "q", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y",
        "ᴢ": "z",
    }
)  # fmt: skip
# Look-alikes folded as written, before NFKC and casefolding would lose the likeness: Greek
# capitals whose small letter looks like another Latin letter (Η is H, its η reads n), and the
# lunate sigma (ϲ, Ϲ), which NFKC turns into a σ.
CONFUSABLES_AS_WRITTEN = str.maketrans(
    {"Η": "h", "Μ": "m", "Ν": "n", "Υ": "y", "Ζ": "z", "ϲ": "c", "Ϲ": "c"}
)


def _fold(char: str) -> str:
    """One character as matching sees it: compatibility forms unified (NFKC: 'ｓ' → 's'),
    accents dropped, case folded, look-alikes from other scripts replaced. Invisible
    characters (soft hyphen, zero-width space and joiners, other format characters) vanish."""
    if unicodedata.category(char) == "Cf":
        return ""
    char = char.translate(CONFUSABLES_AS_WRITTEN)
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", char))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold().translate(CONFUSABLES)


def _joins_letters(gap: str) -> bool:
    """Whether the (folded) text between two single letters spells them out as one word: a
    joiner, spaces or line breaks, or a joiner with spaces or line breaks around it."""
    mark = gap.strip()
    return bool(gap) and (mark == "" or mark in SPELLED_OUT_JOINERS)


def _skeleton(text: str) -> tuple[str, list[int]]:
    """`text` folded character by character, with the position in `text` of each folded one."""
    folded, origin = [], []
    for position, char in enumerate(text):
        for piece in _fold(char):
            folded.append(piece)
            origin.append(position)
    return "".join(folded), origin


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Words of `text` as (folded word, start, end in `text`)."""
    folded, origin = _skeleton(text)
    return [
        (m.group(), origin[m.start()], origin[m.end() - 1] + 1) for m in WORD_RE.finditer(folded)
    ]


def _spelled_out_runs(text: str, tokens) -> list[list[tuple[str, int, int]]]:
    """Runs of single letters each one joiner apart, such as "s.c.a.m" or "s c a m"."""
    runs: list[list[tuple[str, int, int]]] = []
    for token in tokens:
        if len(token[0]) != 1:
            continue
        previous = runs[-1][-1] if runs else None
        gap = _skeleton(text[previous[2] : token[1]])[0] if previous else ""
        if _joins_letters(gap):
            runs[-1].append(token)
        else:
            runs.append([token])
    return [run for run in runs if len(run) >= 3]


def normalize(word: str) -> str:
    """The form matching compares: 'Crème', 'CREME' and 'сrеme' (Cyrillic с and е) give 'creme'."""
    return _skeleton(word)[0]


def phrase_of(word: str) -> tuple[str, ...]:
    return tuple(token for token, _, _ in _tokens(word))


def banned_phrases() -> list[tuple[str, ...]]:
    return [phrase_of(word) for word in BannedWord.objects.values_list("word", flat=True)]


def find_banned_spans(text: str, phrases) -> list[tuple[int, int]]:
    """Character spans of `text` that match a banned word or phrase as whole words."""
    tokens = _tokens(text)
    normalized = [token for token, _, _ in tokens]
    spans = []
    for phrase in filter(None, phrases):
        size = len(phrase)
        for i in range(len(tokens) - size + 1):
            if tuple(normalized[i : i + size]) == phrase:
                spans.append((tokens[i][1], tokens[i + size - 1][2]))
    # A banned word spelled out letter by letter, anywhere inside a run of single letters.
    words = {phrase[0] for phrase in phrases if len(phrase) == 1 and len(phrase[0]) >= 3}
    for run in _spelled_out_runs(text, tokens):
        for i in range(len(run)):
            for j in range(i + 3, min(len(run), i + 40) + 1):
                if "".join(letter for letter, _, _ in run[i:j]) in words:
                    spans.append((run[i][1], run[j - 1][2]))
    return sorted(set(spans))


def banned_words_in(text: str, phrases=None) -> list[str]:
    """The banned words found in `text`, as the reader wrote them, first occurrence order."""
    phrases = banned_phrases() if phrases is None else phrases
    found = []
    for start, end in find_banned_spans(text, phrases):
        word = text[start:end]
        if word not in found:
            found.append(word)
    return found


def highlight(text: str, words: list[str]) -> SafeString:
    """`text` escaped, with each occurrence of `words` (matched like banned words) in <mark>."""
    if not words:
        return escape(text)  # nothing to look for: spare the text's folding
    phrases = [phrase_of(w) for w in words]
    out, position = [], 0
    for start, end in find_banned_spans(text, phrases):
        if start < position:
            continue
        out.append(escape(text[position:start]))
        out.append(format_html("<mark>{}</mark>", text[start:end]))
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # every piece above is escaped


@dataclass
class Verdict:
    flags: dict = field(default_factory=dict)
    reason: str = ""

    @property
    def is_spam(self) -> bool:
        return bool(SPAM_FLAGS & self.flags.keys())


def check(
    *,
    article,
    body: str,
    email: str,
    ip_address: str | None,
    honeypot_filled: bool = False,
    seconds_to_fill: float | None = None,
) -> Verdict:
    verdict = Verdict()
    flags, reasons = verdict.flags, []
    if honeypot_filled:
        flags["honeypot"] = True
        reasons.append("The hidden honeypot field was filled in.")
    if seconds_to_fill is None or seconds_to_fill < settings.COMMENTS_MIN_FILL_SECONDS:
        flags["too_fast"] = True
        reasons.append("The form was sent back too fast, or without its timestamp.")
    if ban := Ban.matching(email=email, ip_address=ip_address):
        flags["banned"] = ban.value
        reasons.append(f"Banned {ban.get_kind_display().lower()} {ban.value}. {ban.reason}".strip())
    flags.update(content_flags(body))
    if is_duplicate(article=article, body=body, email=email, ip_address=ip_address):
        flags["duplicate"] = True
    verdict.reason = " ".join(reasons)[:200]
    return verdict


CONTENT_FLAGS = {"banned_words", "links"}


def content_flags(body: str) -> dict:
    """The flags the words themselves raise (CONTENT_FLAGS): banned words, too many links."""
    flags = {}
    if words := banned_words_in(body):
        flags["banned_words"] = words
    links = len(LINK_RE.findall(body))
    if links > settings.COMMENTS_MAX_LINKS:
        flags["links"] = links
    return flags


def recheck_edit(comment, body: str) -> dict:
    """A comment's flags after its author edits it: the content checks run again on the new words."""
    kept = {k: v for k, v in comment.flags.items() if k not in CONTENT_FLAGS}
    return {**kept, **content_flags(body)}


def is_duplicate(*, article, body: str, email: str, ip_address: str | None) -> bool:
    """The same text recently sent on this story, or by this address anywhere."""
    since = timezone.now() - timedelta(hours=settings.COMMENTS_DUPLICATE_WINDOW_HOURS)
    recent = Comment.objects.filter(created_at__gte=since, body__iexact=body.strip())
    same_source = recent.filter(article=article) | recent.filter(email=email)
    if ip_address:
        same_source |= recent.filter(ip_address=ip_address)
    return same_source.exists()


def is_trusted(email: str) -> bool:
    """Enough approved comments and none rejected or spam lately (off unless the setting allows)."""
    if not settings.COMMENTS_TRUST_COMMENTERS:
        return False
    since = timezone.now() - timedelta(days=settings.COMMENTS_TRUSTED_WINDOW_DAYS)
    history = Comment.objects.filter(email=email, created_at__gte=since)
    if history.filter(status__in=[Comment.Status.REJECTED, Comment.Status.SPAM]).exists():
        return False
    approved = history.filter(status=Comment.Status.APPROVED, auto_approved=False).count()
    return approved >= settings.COMMENTS_TRUSTED_MIN_APPROVED


def initial_status(verdict: Verdict, email: str) -> tuple[str, bool]:
    """The status a new comment is stored with, and whether the trusted rule approved it."""
    if verdict.is_spam:
        return Comment.Status.SPAM, False
    if not verdict.flags and is_trusted(email):
        return Comment.Status.APPROVED, True
    return Comment.Status.PENDING, False
