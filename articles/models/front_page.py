"""The front page editors choose: ordered slots (1 is the lead), the rest filled by the newest
stories. A slot whose story stops being public is simply skipped, so the page never breaks."""

from django.db import models

from .stories import Article

# The lead and the four top stories under it.
SLOT_COUNT = 5


class FrontPageSlot(models.Model):
    position = models.PositiveSmallIntegerField(
        unique=True,
        choices=[
            (n, "Lead story" if n == 1 else f"Top story {n - 1}") for n in range(1, SLOT_COUNT + 1)
        ],
        help_text="1 is the lead story. Empty positions are filled by the newest stories.",
        error_messages={"unique": "That place already has a story: change or remove that slot."},
    )
    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        related_name="front_page_slot",
        help_text="A scheduled story shows once it is live; a story that stops being public "
        "leaves its place to the newest stories.",
        error_messages={"unique": "This story already has a place on the front page."},
    )

    class Meta:
        app_label = "articles"
        ordering = ["position"]
        verbose_name = "front page slot"
        verbose_name_plural = "front page"

    def __str__(self):
        return f"{self.get_position_display()}: {self.article}"

    def get_absolute_url(self):
        return "/"


def front_page(newest: list[Article], slotted: list[Article]) -> tuple[Article | None, list]:
    """The lead and top stories: chosen stories in their slots, the newest stories elsewhere.

    `slotted` are the public stories in slots, each annotated with its `slot` position;
    `newest` the newest public stories. With no chosen lead, the lead is the newest story
    with a photo.
    """
    by_position = {story.slot: story for story in slotted}
    chosen = {story.pk for story in slotted}
    rest = [story for story in newest if story.pk not in chosen]
    lead = by_position.get(1)
    if lead is None and rest:
        lead = next((story for story in rest if story.lead_photo_id), rest[0])
        rest.remove(lead)
    top = []
    for position in range(2, SLOT_COUNT + 1):
        story = by_position.get(position) or (rest.pop(0) if rest else None)
        if story is not None:
            top.append(story)
    return lead, top
