"""The API's endpoints: thin views over the published querysets (api/queries.py).

Every answer is the same for every key (one consumer class), so it is cached like a reader page:
public, with `s-maxage`, surrogate keys naming what it shows, an ETag and Last-Modified for 304s.
It varies on `Authorization`: a shared cache keeps a copy per key and never hands one key's copy
to a request without that key (docs/api.md, "Caching").
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from articles import caching
from articles.models import Article

from . import copies, ninjs, params, queries, served
from .keys import HasApiKey
from .serializers import (
    HAS_KIND,
    AuthorSerializer,
    CorrectionSerializer,
    FrontPageSerializer,
    PhotoInUseSerializer,
    SectionSerializer,
    StorySerializer,
    TopicSerializer,
)

API_KEY_PREFIX = served.KEY_NAME_PREFIX


def answer_seconds() -> int:
    return settings.NEWSROOM_PAGE_CACHE_SECONDS or 60


class ApiView(GenericAPIView):
    """Strict parameters, shared caching, and `format` checked like any other parameter."""

    known = frozenset({"format"})
    pagination_class = None

    def perform_content_negotiation(self, request, force=False):
        fmt = request.query_params.get("format")
        formats = [renderer.format for renderer in self.get_renderers()]
        if not force and fmt is not None and fmt not in formats:
            params.refuse("format", f"One of: {', '.join(formats)}.")
        return super().perform_content_negotiation(request, force)

    def permission_denied(self, request, message=None, code=None):
        if not request.successful_authenticator:
            raise NotAuthenticated(HasApiKey.message)  # says how to send the key
        super().permission_denied(request, message, code)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # the key, its rate, the format
        params.check_known(request.query_params, self.known)

    def get(self, request, **kwargs):
        """The kept copy of this answer, else a new one (made by `make`) kept for the next."""
        if (copy := copies.kept(request)) is not None:
            response = HttpResponse(copy.content, content_type=copy.content_type)
        else:
            versions = copies.versions_now()
            data, shows, last_modified = self.make(request, **kwargs)
            response = Response(data)
            response.api_shared = True
            response = self.finalize_response(request, response)  # chooses the renderer
            response.render()
            copy = copies.new_answer(response, shows, last_modified, versions)
            copies.keep(request, copy)
        # The finished answer may be kept beside its copy, to be served before Django runs.
        request.META[served.ANSWER_SERVED] = copy
        return self._shared(request, response, copy.shows, copy.last_modified)

    def make(self, request, **kwargs) -> tuple[object, set[str], object]:
        """The answer's data, the surrogate keys it shows and when it last changed (or None)."""
        raise NotImplementedError

    def _shared(self, request, response, shows, last_modified):
        # Every answer names its key: revoking the key purges them (api/signal_handlers.py).
        shown = {*shows, f"{API_KEY_PREFIX}{request.auth.pk}", "api"}
        caching.shared_answer(request, response, answer_seconds(), shown)
        response.api_shared = True
        return caching.conditional(request, response, last_modified)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization", "Accept"])
        if not getattr(response, "api_shared", False) and response.status_code != 304:
            # Refusals and errors are this request's own: never kept by a cache.
            caching.add_private_headers(response)
        return response


def page_links(request, limit: int, offset: int, has_next: bool) -> dict:
    def at(new_offset):
        query = request.query_params.copy()
        query["offset"] = new_offset
        query["limit"] = limit
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "limit": limit,
        "offset": offset,
        "next": at(offset + limit) if has_next and offset + limit <= params.MAX_OFFSET else None,
        "previous": at(max(offset - limit, 0)) if offset else None,
    }


PAGING_PARAMETERS = [
    OpenApiParameter("limit", int, description="Items per answer: 1 to 100 (default 20)."),
    OpenApiParameter("offset", int, description="Items to skip: 0 to 10,000."),
]
STORY_FILTERS = [
    OpenApiParameter("section", str, description="A section's slug."),
    OpenApiParameter("topic", str, description="A topic's slug."),
    OpenApiParameter("author", str, description="An author's slug."),
    *([OpenApiParameter("kind", str, description="A story kind.")] if HAS_KIND else []),
    OpenApiParameter(
        "published_after", OpenApiTypes.DATETIME, description="Published at or after."
    ),
    OpenApiParameter("published_before", OpenApiTypes.DATETIME, description="Published before."),
    OpenApiParameter(
        "updated_since", OpenApiTypes.DATETIME, description="Changed at or after (for syncing)."
    ),
]
FORMAT = OpenApiParameter(
    "format", str, enum=["json", "ninjs"], description="`ninjs`: IPTC ninjs 2.1 items."
)


class PageMetaSerializer(serializers.Serializer):
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    next = serializers.URLField(allow_null=True, help_text="The next page, if there is one.")
    previous = serializers.URLField(allow_null=True)


def meta_serializer(name, item_serializer):
    return inline_serializer(name, {"meta": PageMetaSerializer(), "items": item_serializer})


class StoryView(ApiView):
    renderer_classes = [JSONRenderer, ninjs.NinjsRenderer]

    def represent(self, stories: list[Article]) -> list[dict]:
        if self.request.accepted_renderer.format == "ninjs":
            return [ninjs.story(story, self.request) for story in stories]
        return StorySerializer(stories, many=True, context={"request": self.request}).data


class StoryList(StoryView):
    known = params.PAGING | queries.STORY_FILTERS | {"format"}

    @extend_schema(
        parameters=[*PAGING_PARAMETERS, *STORY_FILTERS, FORMAT],
        responses=meta_serializer("StoryPage", StorySerializer(many=True)),
        summary="Published stories, newest first",
        operation_id="stories_list",
    )
    def get(self, request):
        return super().get(request)

    def make(self, request):
        limit, offset = params.paging(request.query_params)
        stories, shows = queries.filtered_stories(request.query_params)
        found = list(queries.with_parts(stories)[offset : offset + limit + 1])
        page = queries.attach_parts(found[:limit])
        shows |= queries.keys_shown(page)
        data = {
            "meta": page_links(request, limit, offset, len(found) > limit),
            "items": self.represent(page),
        }
        return data, shows, max((story.modified_at for story in page), default=None)


class StoryDetail(StoryView):
    @extend_schema(parameters=[FORMAT], responses=StorySerializer, summary="A published story")
    def get(self, request, pk):
        return super().get(request, pk=pk)

    def make(self, request, pk):
        story = queries.with_parts(Article.objects.published()).filter(pk=pk).first()
        if story is None:
            raise NotFound("No such story, or it is not published.")
        queries.attach_parts([story])
        return self.represent([story])[0], queries.keys_shown([story]), story.modified_at


class ListView(ApiView):
    """A paginated list of one kind of thing, in a fixed order."""

    known = params.PAGING | {"format"}
    serializer_class = None

    def rows(self):
        raise NotImplementedError

    def shows(self, page) -> set[str]:
        return set()

    def make(self, request):
        limit, offset = params.paging(request.query_params)
        found = list(self.rows()[offset : offset + limit + 1])
        page = found[:limit]
        items = self.serializer_class(page, many=True, context={"request": request}).data
        meta = page_links(request, limit, offset, len(found) > limit)
        return {"meta": meta, "items": items}, self.shows(page), None


def list_schema(name, serializer, summary):
    return extend_schema(
        parameters=PAGING_PARAMETERS,
        responses=meta_serializer(name, serializer(many=True)),
        summary=summary,
        description="",
        operation_id=f"{name.removesuffix('Page').lower()}s_list",
    )


class SectionList(ListView):
    serializer_class = SectionSerializer

    @list_schema("SectionPage", SectionSerializer, "Sections, in the site's order")
    def get(self, request):
        return super().get(request)

    def rows(self):
        return queries.sections()


class TopicList(ListView):
    serializer_class = TopicSerializer

    @list_schema("TopicPage", TopicSerializer, "Topics of published stories, by name")
    def get(self, request):
        return super().get(request)

    def rows(self):
        return queries.topics()

    def shows(self, page):
        return queries.topic_keys(page)


class AuthorList(ListView):
    serializer_class = AuthorSerializer

    @list_schema("AuthorPage", AuthorSerializer, "Authors of published stories, by name")
    def get(self, request):
        return super().get(request)

    def rows(self):
        return queries.authors()

    def shows(self, page):
        return queries.author_keys(page)


class CorrectionList(ListView):
    serializer_class = CorrectionSerializer

    @list_schema("CorrectionPage", CorrectionSerializer, "Corrections, newest first")
    def get(self, request):
        return super().get(request)

    def rows(self):
        return queries.corrections()

    def shows(self, page):
        return queries.correction_keys(page)


class PhotoList(ListView):
    serializer_class = PhotoInUseSerializer

    @list_schema("PhotoPage", PhotoInUseSerializer, "Photos published stories show, newest first")
    def get(self, request):
        return super().get(request)

    def make(self, request):
        limit, offset = params.paging(request.query_params)
        found = list(queries.photos()[offset : offset + limit + 1])
        page = found[:limit]
        showing = queries.stories_showing(page)
        context = {"request": request, "showing": showing}
        data = {
            "meta": page_links(request, limit, offset, len(found) > limit),
            "items": self.serializer_class(page, many=True, context=context).data,
        }
        return data, queries.photo_keys(page, showing), None


class PhotoDetail(ApiView):
    @extend_schema(responses=PhotoInUseSerializer, summary="A photo a published story shows")
    def get(self, request, pk):
        return super().get(request, pk=pk)

    def make(self, request, pk):
        photo = queries.photos().filter(pk=pk).first()
        if photo is None:
            raise NotFound("No such photo, or no published story shows it.")
        showing = queries.stories_showing([photo])
        context = {"request": request, "showing": showing}
        data = PhotoInUseSerializer(photo, context=context).data
        return data, queries.photo_keys([photo], showing), None


class FrontPage(StoryView):
    @extend_schema(
        parameters=[FORMAT], responses=FrontPageSerializer, summary="The front page as arranged"
    )
    def get(self, request):
        return super().get(request)

    def make(self, request):
        lead, top = queries.front_page()
        shown = [story for story in (lead, *top) if story is not None]
        items = dict(zip((story.pk for story in shown), self.represent(shown), strict=True))
        data = {
            "lead": items[lead.pk] if lead else None,
            "top": [items[story.pk] for story in top],
        }
        last_modified = max((story.modified_at for story in shown), default=None)
        return data, {"home", *queries.keys_shown(shown)}, last_modified
