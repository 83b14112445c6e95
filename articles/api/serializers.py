"""The API's JSON shapes. What a story carries is what its public page shows, nothing more:
no SEO or social fields, no creator, status or editorial times, no photo rights or usage terms.
The photos endpoint adds a photo's usage terms and the last day of its licence: what a partner
must know before reusing it.
"""

import copy

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.models import Article, Author, Correction, Photo, Section
from articles.models.contributors import credit_lines

from .blocks import story_blocks

# Story kinds and embargoes arrive on another branch (CONTRACT.md): served once the model has them.
HAS_KIND = any(field.name == "kind" for field in Article._meta.get_fields())


def absolute(request, url: str) -> str:
    return request.build_absolute_uri(url)


# A ModelSerializer whose fields are built from the model once per class, not for each answer:
# DRF builds them for every serializer it makes (reading the model's fields and their options
# each time), the same fields every time. Each serializer still gets its own copies (DRF binds
# fields to the serializer that holds them), made as DRF copies the fields a serializer
# declares. A comment, not a docstring: the schema would describe every shape with it.
class ModelShape(serializers.ModelSerializer):
    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_fields_built")
        if built is None:
            built = super().get_fields()
            # On this class alone: a subclass (BylineSerializer) has fields of its own.
            type.__setattr__(cls, "_fields_built", built)
        return copy.deepcopy(built)


class SectionSerializer(ModelShape):
    url = serializers.SerializerMethodField(help_text="The section's page.")

    class Meta:
        model = Section
        fields = ["id", "slug", "name", "description", "url"]

    def get_url(self, section) -> str:
        return absolute(self.context["request"], section.get_absolute_url())


class TopicSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The topic's page.")

    def get_url(self, tag) -> str:
        return absolute(self.context["request"], f"/tag/{tag.slug}/")


class AuthorSerializer(ModelShape):
    url = serializers.SerializerMethodField(help_text="The author's page.")

    class Meta:
        model = Author
        fields = ["id", "slug", "name", "bio", "url"]

    def get_url(self, author) -> str:
        return absolute(self.context["request"], author.get_absolute_url())


class BylineSerializer(AuthorSerializer):
    class Meta(AuthorSerializer.Meta):
        fields = ["id", "slug", "name", "url"]


class ImageSerializer(serializers.Serializer):
    url = serializers.CharField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)


class RenditionSerializer(ImageSerializer):
    format = serializers.ChoiceField(choices=["jpeg", "webp"])
    bytes = serializers.IntegerField(required=False)


class PhotoSerializer(ModelShape):
    credit = serializers.CharField(help_text="As printed: `Photo: <photographer> / <agency>`.")
    original = serializers.SerializerMethodField()
    renditions = serializers.SerializerMethodField(
        help_text="Resized copies, narrowest first, in each format."
    )
    crops = serializers.SerializerMethodField(
        help_text="Crops around the photo's subject by ratio: 16x9, 4x3, 1x1."
    )

    class Meta:
        model = Photo
        fields = [
            "id", "caption", "alt_text", "credit", "photographer", "agency", "width", "height",
            "original", "renditions", "crops",
        ]  # fmt: skip

    @extend_schema_field(ImageSerializer)
    def get_original(self, photo) -> dict:
        original = photo.lasting_original()
        return {**original, "url": absolute(self.context["request"], original["url"])}

    @extend_schema_field(RenditionSerializer(many=True))
    def get_renditions(self, photo) -> list[dict]:
        request = self.context["request"]
        return [
            {
                "format": fmt,
                "url": absolute(request, item["url"]),
                "width": item["width"],
                "height": item["height"],
                "bytes": item.get("bytes"),
            }
            for fmt in ("webp", "jpeg")
            for item in photo.rendition_set(fmt)
        ]

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Image"}}
    )
    def get_crops(self, photo) -> dict:
        request = self.context["request"]
        return {
            ratio: {
                "url": absolute(request, crop["url"]),
                "width": crop["width"],
                "height": crop["height"],
            }
            for ratio, crop in photo.crops().items()
        }


class PhotoInUseSerializer(PhotoSerializer):
    """A photo as the photos endpoint serves it: with its rights and the stories showing it."""

    rights_expire_on = serializers.DateField(
        allow_null=True, help_text="The last day the licence allows publication, if limited."
    )
    stories = serializers.SerializerMethodField(
        help_text="The ids of the newest 20 published stories that show the photo, newest first."
    )

    class Meta(PhotoSerializer.Meta):
        fields = [*PhotoSerializer.Meta.fields, "usage_terms", "rights_expire_on", "stories"]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_stories(self, photo) -> list[int]:
        return self.context["showing"].get(photo.pk, [])


class ContributorSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField(help_text="person or organization")
    role = serializers.CharField(help_text="contributed, additional, translated or photographs")


class StoryCorrectionSerializer(ModelShape):
    class Meta:
        model = Correction
        fields = ["id", "text", "published_at"]


class BlockSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="text, heading, photo, gallery, embed, quote, …")
    html = serializers.CharField(required=False)


class StorySerializer(ModelShape):
    url = serializers.SerializerMethodField(help_text="The story's canonical address.")
    section = SectionSerializer()
    # Nested serializers declared here, not made in a method for each story: a list of stories
    # then builds their fields once, not once per story (most of a list's time, measured).
    bylines = BylineSerializer(source="byline_authors", many=True, read_only=True)
    tags = TopicSerializer(many=True, read_only=True)
    updated_at = serializers.DateTimeField(
        source="revised_at", help_text="The visible “Updated” time, if the story has one."
    )
    changed_at = serializers.DateTimeField(
        source="modified_at", help_text="When anything about the story last changed."
    )
    lead_photo = PhotoSerializer(allow_null=True)
    blocks = serializers.SerializerMethodField(
        help_text="The body, in the shape of load_stories/dump_stories."
    )
    contributors = ContributorSerializer(many=True, read_only=True)
    credits = serializers.SerializerMethodField(
        help_text="The credit lines under the story, e.g. “Additional reporting by Dana Levi.”"
    )
    corrections = StoryCorrectionSerializer(many=True)

    class Meta:
        model = Article
        fields = [
            "id", "url", "kicker", "headline", "subheadline", *(["kind"] if HAS_KIND else []),
            "section", "bylines", "tags", "published_at", "updated_at", "changed_at",
            "lead_photo", "blocks", "contributor_note", "contributors", "credits", "corrections",
        ]  # fmt: skip

    def get_url(self, story) -> str:
        return absolute(self.context["request"], story.get_absolute_url())

    @extend_schema_field(BlockSerializer(many=True))
    def get_blocks(self, story) -> list[dict]:
        return story_blocks(story)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_credits(self, story) -> list[str]:
        return credit_lines(story.contributors.all())


class CorrectedStorySerializer(ModelShape):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ["id", "headline", "url"]

    def get_url(self, story) -> str:
        return absolute(self.context["request"], story.get_absolute_url())


class CorrectionSerializer(ModelShape):
    story = CorrectedStorySerializer(source="article")

    class Meta:
        model = Correction
        fields = ["id", "text", "published_at", "story"]


class FrontPageSerializer(serializers.Serializer):
    lead = StorySerializer(allow_null=True, help_text="The lead story (place 1).")
    top = StorySerializer(many=True, help_text="The top stories under it, in their places.")
