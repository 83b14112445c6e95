"""The front page editors choose: a number of places set in the admin (FrontPageLayout), ordered
slots in them (1 is the lead), the rest filled by the newest stories. A slot whose story stops
being public is simply skipped, so the page never breaks."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .stories import Article

MAX_PLACES = 30


class FrontPageLayout(models.Model):
    """The front page's shape, one row (pk 1): how many places it has, the lead included."""

    places = models.PositiveSmallIntegerField(
        gettext_lazy("places on the front page"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PLACES)],
        help_text=gettext_lazy(
            "The lead and the top stories under it. Places without a chosen story show "
            "the newest stories."
        ),
    )

    class Meta:
        verbose_name_plural = gettext_lazy("front page layouts")
        app_label = "articles"
        verbose_name = gettext_lazy("front page layout")

    def __str__(self):
        return _("Front page: %(places)d places") % {"places": self.places}

    def get_absolute_url(self):
        return "/"

    @classmethod
    def current(cls) -> "FrontPageLayout":
        """The layout as set, or the default one (unsaved) before anyone has set it."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


def place_name(position: int) -> str:
    if position == 1:
        return _("Lead story")
    return _("Top story %(number)d") % {"number": position - 1}


class FrontPageSlot(models.Model):
    position = models.PositiveSmallIntegerField(
        gettext_lazy("place"),
        unique=True,
        validators=[MinValueValidator(1)],
        help_text=gettext_lazy(
            "1 is the lead story. Empty places are filled by the newest stories."
        ),
        error_messages={
            "unique": gettext_lazy("That place already has a story: change or remove that slot.")
        },
    )
    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        related_name="front_page_slot",
        help_text=gettext_lazy(
            "A scheduled story shows once it is live; a story that stops being public "
            "leaves its place to the newest stories."
        ),
        error_messages={
            "unique": gettext_lazy("This story already has a place on the front page.")
        },
        verbose_name=gettext_lazy("article"),
    )

    class Meta:
        app_label = "articles"
        ordering = ["position"]
        verbose_name = gettext_lazy("front page slot")
        verbose_name_plural = gettext_lazy("front page")

    def __str__(self):
        return f"{self.get_position_display()}: {self.article}"

    def get_absolute_url(self):
        return "/"

    def get_position_display(self) -> str:
        return place_name(self.position)


def front_page(
    newest: list[Article], slotted: list[Article], places: int
) -> tuple[Article | None, list]:
    """The lead and top stories: chosen stories in their slots, the newest stories elsewhere.

    `slotted` are the public stories in slots, each annotated with its `slot` position;
    `newest` the newest public stories; `places` how many the page has. With no chosen lead,
    the lead is the newest story with a photo.
    """
    filled = fill_places(newest, slotted, places)
    stories = [story for story, _ in filled]
    return (stories[0] if stories else None), [s for s in stories[1:] if s is not None]


def fill_places(newest: list[Article], slotted: list[Article], places: int) -> list[tuple]:
    """Each place from 1 to `places` as (story or None, whether an editor chose it): the rule
    the home page, the API and the admin's overview share."""
    by_position = {story.slot: story for story in slotted if story.slot <= places}
    chosen = {story.pk for story in by_position.values()}
    rest = [story for story in newest if story.pk not in chosen]
    lead = by_position.get(1)
    filled = [(lead, True)]
    if lead is None:
        lead = next((story for story in rest if story.lead_photo_id), rest[0] if rest else None)
        if lead is not None:
            rest.remove(lead)
        filled = [(lead, False)]
    for position in range(2, places + 1):
        if position in by_position:
            filled.append((by_position[position], True))
        else:
            filled.append((rest.pop(0) if rest else None, False))
    return filled
