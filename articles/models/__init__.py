"""The articles app's models, one module per model family.

This package only re-exports: code outside it imports from `articles.models`; modules inside
import their siblings directly (`from .stories import Article`), never through this file, so
that no sibling depends on the order of these lines.
"""

from .api_keys import ApiKey
from .authors import Author
from .banner import BreakingBanner
from .bylines import Byline, bylines_prefetch
from .contributors import Contributor
from .corrections import Correction
from .edit_locks import EditLock
from .embed_previews import EmbedPreview
from .front_page import FrontPageLayout, FrontPageSlot
from .handoffs import SendBack
from .kinds import Kind
from .live import LiveEntry
from .loading import LoadedFromRows
from .photos import Photo
from .policies import PolicyPage
from .publishing import PUBLISH_PERMISSION
from .redirects import ArticleRedirect
from .search_document import search_config
from .sections import RESERVED_SECTION_SLUGS, Section, validate_section_slug
from .stories import Article, modified_time, public_path, public_paths
from .story_queries import ArticleQuerySet, W3CText, change_time, modified_time_sql
from .story_tally import StoryTally, published_count
from .tags import TaggedArticle

__all__ = [
    "PUBLISH_PERMISSION",
    "RESERVED_SECTION_SLUGS",
    "ApiKey",
    "Article",
    "ArticleQuerySet",
    "ArticleRedirect",
    "Author",
    "BreakingBanner",
    "Byline",
    "Contributor",
    "Correction",
    "EditLock",
    "EmbedPreview",
    "FrontPageLayout",
    "FrontPageSlot",
    "Kind",
    "LiveEntry",
    "LoadedFromRows",
    "Photo",
    "PolicyPage",
    "Section",
    "SendBack",
    "StoryTally",
    "TaggedArticle",
    "W3CText",
    "bylines_prefetch",
    "change_time",
    "modified_time",
    "modified_time_sql",
    "public_path",
    "public_paths",
    "published_count",
    "search_config",
    "validate_section_slug",
]
