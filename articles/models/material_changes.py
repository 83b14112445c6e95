"""When an edit to a story is more than a small correction: what stamps a public story's
"Updated" time (revised_at, articles/editorial/signal_handlers.py). Mixed into Article."""

import difflib

from . import blocks as story_blocks
from .richtext import plain_text


class MaterialChanges:
    MINOR_EDIT_WORDS = 3

    def reader_words(self) -> list[str]:
        """The words readers see in the headline, subheadline and blocks, markup removed."""
        body = story_blocks.readable_html(self.blocks)
        return [*self.headline.split(), *self.subheadline.split(), *plain_text(body).split()]

    def changes_materially(self, previous) -> bool:
        """More than a small correction: over MINOR_EDIT_WORDS words added, removed or replaced."""
        before, after = previous.reader_words(), self.reader_words()
        if before == after:
            return False
        matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
        changed = sum(
            max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"
        )
        return changed > self.MINOR_EDIT_WORDS
