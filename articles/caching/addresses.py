"""The address a page's copy is kept under: only what the page reads.

A reader page declares the query parameters it reads (`reader_page(..., params=("page",))`) and
gets only those in `request.GET`; its copy is kept under its scheme, host, path and those
parameters, in the order it declared them. Anything else in the query string (`utm_source`,
`fbclid`, `?x=1`: tracking, typos, cache busting) cannot change the page, so it reaches the same
copy instead of rendering and storing a new one, and the page can never echo it.

Scheme and host are the request's as Django reads them (`request.scheme`, `request.get_host()`):
X-Forwarded-Proto, -Host and -Port count only when the settings trust the proxy that sends them
(SECURE_PROXY_SSL_HEADER, USE_X_FORWARDED_HOST, USE_X_FORWARDED_PORT); no other header enters an
address.
"""

import hashlib
from collections.abc import Sequence
from urllib.parse import urlencode

from django.http import QueryDict

# Set by reader_page on the view it wraps: the parameters that view reads (served_copies.py finds
# them through the URL resolver, before Django handles the request).
PARAMS_ATTRIBUTE = "reader_params"


def only_params(query: QueryDict, params: Sequence[str]) -> QueryDict:
    """`query` reduced to `params`: what a reader page is given to read."""
    kept = QueryDict(mutable=True)
    for name in params:
        if name in query:
            kept.setlist(name, query.getlist(name))
    kept._mutable = False
    return kept


def page_address(scheme: str, host: str, path: str, query: QueryDict, params: Sequence[str]) -> str:
    """The hashed address of a page: the same for every request the page answers alike."""
    # Scheme and host too: pages carry absolute links (canonical, feeds, sitemaps, robots.txt).
    read = urlencode([(name, value) for name in params for value in query.getlist(name)])
    address = f"{scheme}://{host}{path}?{read}"
    return hashlib.sha256(address.encode()).hexdigest()[:32]
