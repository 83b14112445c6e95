"""The providers a story may embed, and how each one's address becomes its player.

An embed is stored as the address the editor pasted, nothing else: the provider, the player's
address and the privacy note are worked out from it here, so a provider that changes its player
is one line to change, and no markup from a provider is ever stored or rendered. Reader pages
show a local placeholder and load the player only when the reader asks (static/articles/embeds.js);
the Content-Security-Policy of reader pages lets frames come from PLAYER_ORIGINS and nowhere else.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    hosts: tuple[str, ...]  # the addresses editors paste (www. is also accepted)
    pattern: str  # a regex over "host/path" whose named groups build the player's address
    player: str  # the player's address, formatted with the groups and `url` (quoted)
    privacy: str  # the provider's privacy policy, linked from the placeholder
    video: bool = False  # a VideoObject in structured data

    def match(self, host: str, path: str, query: dict) -> dict | None:
        found = re.fullmatch(self.pattern, f"{host}{path}")
        if found is None:
            return None
        return {name: value for name, value in found.groupdict().items() if value}


PROVIDERS = (
    Provider(
        "youtube", "YouTube", ("youtube.com", "m.youtube.com", "youtu.be"),
        r"(?:(?:m\.)?youtube\.com/(?:watch|embed/(?P<embed>[\w-]{6,20})|shorts/(?P<short>[\w-]{6,20}))"
        r"|youtu\.be/(?P<short_link>[\w-]{6,20}))/?",
        "https://www.youtube-nocookie.com/embed/{video}",
        "https://policies.google.com/privacy", video=True,
    ),
    Provider(
        "vimeo", "Vimeo", ("vimeo.com", "player.vimeo.com"),
        r"(?:player\.)?vimeo\.com/(?:video/)?(?P<video>\d{3,12})/?",
        "https://player.vimeo.com/video/{video}", "https://vimeo.com/privacy", video=True,
    ),
    Provider(
        "x", "X (Twitter)", ("x.com", "twitter.com", "mobile.twitter.com"),
        r"(?:mobile\.)?(?:x|twitter)\.com/\w{1,30}/status/(?P<post>\d{5,25})/?",
        "https://platform.twitter.com/embed/Tweet.html?id={post}&dnt=true",
        "https://x.com/en/privacy",
    ),
    Provider(
        "instagram", "Instagram", ("instagram.com",),
        r"instagram\.com/(?P<kind>p|reel|tv)/(?P<post>[\w-]{5,40})/?",
        "https://www.instagram.com/{kind}/{post}/embed/",
        "https://privacycenter.instagram.com/policy",
    ),
    Provider(
        "tiktok", "TikTok", ("tiktok.com",),
        r"tiktok\.com/@[\w.-]{1,40}/video/(?P<video>\d{5,25})/?",
        "https://www.tiktok.com/embed/v2/{video}",
        "https://www.tiktok.com/legal/privacy-policy", video=True,
    ),
    Provider(
        "facebook", "Facebook", ("facebook.com", "m.facebook.com"),
        r"(?:m\.)?facebook\.com/[\w.-]{1,80}/(?:posts|videos)/[\w.-]{1,80}/?",
        "https://www.facebook.com/plugins/post.php?href={url}",
        "https://www.facebook.com/privacy/policy",
    ),
    Provider(
        "spotify", "Spotify", ("open.spotify.com",),
        r"open\.spotify\.com/(?P<kind>track|album|playlist|episode|show|artist)/(?P<item>\w{10,40})/?",
        "https://open.spotify.com/embed/{kind}/{item}",
        "https://www.spotify.com/legal/privacy-policy/",
    ),
    Provider(
        "soundcloud", "SoundCloud", ("soundcloud.com",),
        r"soundcloud\.com/[\w-]{1,80}/[\w/-]{1,160}",
        "https://w.soundcloud.com/player/?url={url}",
        "https://soundcloud.com/pages/privacy",
    ),
    Provider(
        "datawrapper", "Datawrapper", ("datawrapper.dwcdn.net", "datawrapper.de"),
        r"(?:datawrapper\.dwcdn\.net|datawrapper\.de/_)/(?P<chart>\w{5,10})(?:/\d{1,3})?/?",
        "https://datawrapper.dwcdn.net/{chart}/", "https://www.datawrapper.de/privacy",
    ),
    Provider(
        "flourish", "Flourish", ("public.flourish.studio", "flo.uri.sh"),
        r"(?:public\.flourish\.studio|flo\.uri\.sh)/(?P<kind>visualisation|story)/(?P<item>\d{3,12})/?(?:embed)?",
        "https://flo.uri.sh/{kind}/{item}/embed", "https://flourish.studio/privacy/",
    ),
    Provider(
        "google_maps", "Google Maps", ("google.com", "maps.google.com"),
        r"(?:maps\.)?google\.com/maps(?:/(?:place|search)/(?P<place>[^/]{1,200}).*|/?)",
        "https://maps.google.com/maps?q={place}&output=embed",
        "https://policies.google.com/privacy",
    ),
)  # fmt: skip

# Where players are loaded from once a reader asks: the reader pages' frame-src.
PLAYER_ORIGINS = tuple(
    sorted({"{0.scheme}://{0.netloc}".format(urlsplit(p.player)) for p in PROVIDERS})
)

KNOWN = ", ".join(provider.name for provider in PROVIDERS)


@dataclass(frozen=True)
class Embed:
    url: str
    provider: Provider
    player_url: str

    @property
    def name(self) -> str:
        return self.provider.name


def _video_id(query: dict, groups: dict) -> str | None:
    return (
        groups.get("embed")
        or groups.get("short")
        or groups.get("short_link")
        or (query.get("v") or [None])[0]
    )


def recognise(url: str) -> Embed:
    """The embed at `url`, or a ValidationError saying why it cannot be embedded."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ValidationError(
            "An embed needs the web address of the post or video (https://…); "
            f"“{url[:80]}” is not one.",
            code="embed_scheme",
        )
    host = parts.hostname.lower().removeprefix("www.")
    query = parse_qs(parts.query)
    for provider in PROVIDERS:
        if host not in provider.hosts:
            continue
        groups = provider.match(host, parts.path, query)
        if groups is None:
            break
        if provider.key == "youtube":
            video = _video_id(query, groups)
            if not video or not re.fullmatch(r"[\w-]{6,20}", video):
                break
            groups = {"video": video}
        if provider.key == "google_maps":
            place = groups.get("place") or (query.get("q") or [""])[0]
            if not place:
                break
            groups = {"place": quote(place.replace("+", " "), safe="")}
        clean = f"https://{parts.netloc}{parts.path}" + (f"?{parts.query}" if parts.query else "")
        player = provider.player.format(url=quote(clean, safe=""), **groups)
        return Embed(url=clean, provider=provider, player_url=player)
    else:
        raise ValidationError(
            f"{host} is not a provider we embed. Embeds come only from: {KNOWN}. "
            "For anything else, link to it in a text block.",
            code="embed_provider",
        )
    raise ValidationError(
        f"This {provider.name} address does not point at something that can be embedded "
        "(a video, post, track, chart or place); paste the address of the item itself.",
        code="embed_item",
    )
