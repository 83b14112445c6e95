"""Newsroom settings: one module, configured from the environment.

Defaults make `make run` work on a fresh clone; production fails fast on unsafe values.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DEVELOPMENT_SECRET_KEY = "newsroom-development-only-never-use-in-production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "Refusing to start with the development secret key while DEBUG is off. "
        "Set DJANGO_SECRET_KEY to a long random value "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
        "or set DJANGO_DEBUG=1 for local development."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "reversion",
    "django_prose_editor",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "articles",
    "comments",
    "newsroom",
]

MIDDLEWARE = [
    # Outside SecurityMiddleware: its redirect to HTTPS must not be kept by caches (see module).
    "newsroom.security.UncachedSchemeRedirectMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsroom.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The language and time zone in force, activated for what follows (see module).
    "newsroom.translations.active_locale_middleware",
    # Before every middleware that reads or changes the body; skips the admin (BREACH: see module).
    "newsroom.compression.ReaderGZipMiddleware",
    "newsroom.db_router.DatabaseRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed a second factor (django-otp)...
    "django_otp.middleware.OTPMiddleware",
    # ...which staff who must use one need before any admin page (newsroom/two_factor.py).
    "newsroom.two_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication: its 400 page is an admin page with the staff member's header.
    "newsroom.admin_input.AdminQueryStringMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.security.ReaderContentSecurityPolicyMiddleware",
    "newsroom.proxies.UntrustedProxyWarningMiddleware",
    # The per-account login ceiling's page, and the known-device cookie set at each login.
    "newsroom.login_ceiling.LoginCeilingMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    # Reader pages: Jinja2, first (newsroom/reader_templates.py); everything else is Django's.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "reader"],
        "OPTIONS": {
            "environment": "newsroom.reader_templates.environment",
            "context_processors": ["newsroom.context_processors.site"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # TIME_ZONE: the site time zone the back office names beside its times.
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
            ],
        },
    },
]


# PgBouncer in transaction mode in front of Postgres (see database() below).
DATABASE_POOLER = os.environ.get("DATABASE_POOLER", "")
if DATABASE_POOLER not in ("", "pgbouncer"):
    raise ImproperlyConfigured("DATABASE_POOLER is either unset or 'pgbouncer'.")
# Reader pages' fixed queries as prepared statements of each connection
# (articles/models/kept_queries.py): not behind PgBouncer in transaction mode, which hands each
# transaction any server connection, not the one that prepared them.
NEWSROOM_PREPARED_QUERIES = DATABASE_POOLER != "pgbouncer"
# A statement running longer than this is cancelled by Postgres, so a slow query answers an
# error page before gunicorn's worker timeout (30 s) kills the worker. 0 turns it off (say, for a
# long migration). The SQLite quickstart has no such setting; behind PgBouncer, which does not
# pass startup options on, set it on the database role instead (docs/deploy.md).
STATEMENT_TIMEOUT_SECONDS = env_int("DJANGO_STATEMENT_TIMEOUT_SECONDS", 20)


def database(url: str) -> dict:
    """One database from its URL: persistent connections checked before use, a short connect
    timeout (so a server that is down is noticed in seconds), and what a pooler needs."""
    config = dj_database_url.parse(
        url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if config["ENGINE"] == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 3)
        )
        # PgBouncer in transaction mode hands each transaction any server connection: a named
        # cursor would outlive its transaction's connection (.iterator() uses them).
        config["DISABLE_SERVER_SIDE_CURSORS"] = DATABASE_POOLER == "pgbouncer"
        if STATEMENT_TIMEOUT_SECONDS and DATABASE_POOLER != "pgbouncer":
            config["OPTIONS"]["options"] = (
                f"-c statement_timeout={STATEMENT_TIMEOUT_SECONDS * 1000}"
            )
    return config


# Postgres in production and tests; an embedded SQLite file for the one-step quickstart.
DATABASES = {
    "default": database(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'newsroom.sqlite3'}"
    )
}
# Read replicas: reader pages read from them, everything else from the primary
# (newsroom/db_router.py). A replica that does not answer is skipped for this many seconds.
DATABASE_REPLICAS = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    DATABASES[f"replica{number}"] = {**database(url), "TEST": {"MIRROR": "default"}}
    DATABASE_REPLICAS.append(f"replica{number}")
DATABASE_REPLICA_RETRY_SECONDS = env_int("DATABASE_REPLICA_RETRY_SECONDS", 5)
DATABASE_ROUTERS = ["newsroom.db_router.ReplicaRouter"] if DATABASE_REPLICAS else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The columns some indexes carry besides their keys (INCLUDE) let Postgres answer from the
    # index alone; SQLite builds the same indexes without them, and would say so at every start.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

# "versions" holds what identifies the current content of cached pages (articles/caching/):
# it must be shared by every process, so without Redis it is a directory of small files.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "newsroom.redis_cache.SharedClientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
    CACHES["versions"] = CACHES["default"]
    # Staff sessions read from Redis on every request, written through to the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # One machine without Redis: page copies, kept parts and answers live in files every worker
    # of the machine shares (diskcache: SQLite for the index, a file for each large value), so
    # a page is rendered once for all of them, and any of them can serve its last good copy while
    # Postgres is away. Measured against Django's file cache, which lists its whole directory to
    # cull on every write: diskcache reads a kept page in about a quarter of the time, writes in
    # well under half, and bounds its size by evicting the least recently stored.
    CACHES = {
        "default": {
            "BACKEND": "newsroom.disk_cache.SharedDiskCache",
            "LOCATION": Path(os.environ.get("NEWSROOM_CACHE_DIR", BASE_DIR / "var" / "cache")),
            # A worker waits at most this long for another's write; past it, a read is a miss.
            "DATABASE_TIMEOUT": 0.25,
            "OPTIONS": {"size_limit": env_int("NEWSROOM_CACHE_MEGABYTES", 1024) * 2**20},
        },
        "versions": {
            "BACKEND": "newsroom.disk_cache.VersionFiles",
            "LOCATION": Path(
                os.environ.get("NEWSROOM_VERSIONS_DIR", BASE_DIR / "var" / "versions")
            ),
            "OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_EVERY_SECONDS": 60},
        },
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The edition's language: every reader page, feed and message is in it (en, he, ar).
NEWSROOM_LANGUAGE = os.environ.get("NEWSROOM_LANGUAGE", "en")
LANGUAGE_CODE = NEWSROOM_LANGUAGE
# Postgres full-text configuration for search; empty: the one for NEWSROOM_LANGUAGE (english,
# arabic…; simple for Hebrew). After changing either, `manage.py rebuild_search`.
NEWSROOM_SEARCH_CONFIG = os.environ.get("NEWSROOM_SEARCH_CONFIG", "")
# The catalogs: one for the whole project (its templates are project-level, in templates/), made
# with makemessages and compiled by `make messages` (docs/translations.md).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "articles.photos.storage.AtomicFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Photos on object storage (newsroom/storage.py): django-storages' own settings, from the
# environment. Originals stay private; renditions are public at AWS_S3_CUSTOM_DOMAIN if set.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem")
# Where readers' browsers fetch photos from, when not this site (the reader pages' CSP allows it).
NEWSROOM_MEDIA_ORIGIN = ""
if MEDIA_STORAGE not in ("filesystem", "s3"):
    raise ImproperlyConfigured("MEDIA_STORAGE is either 'filesystem' (the default) or 's3'.")
if MEDIA_STORAGE == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    STORAGES["default"] = {"BACKEND": "newsroom.storage.MediaStorage"}
    AWS_STORAGE_BUCKET_NAME = os.environ["AWS_STORAGE_BUCKET_NAME"]
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_ADDRESSING_STYLE = os.environ.get("AWS_S3_ADDRESSING_STYLE") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID")
    AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY")
    AWS_S3_FILE_OVERWRITE = False
    # Renditions are named per photo and never change: let browsers and CDNs keep them.
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=31536000, immutable"}
    AWS_QUERYSTRING_EXPIRE = env_int("AWS_QUERYSTRING_EXPIRE", 600)
    NEWSROOM_MEDIA_ORIGIN = (
        f"https://{AWS_S3_CUSTOM_DOMAIN}"
        if AWS_S3_CUSTOM_DOMAIN
        else "{0.scheme}://{0.netloc}".format(urlsplit(AWS_S3_ENDPOINT_URL))
        if AWS_S3_ENDPOINT_URL
        else "https://*.amazonaws.com"
    )
# Uploaded photos are served by the app itself (see newsroom/urls.py) unless a
# reverse proxy or object storage takes over; turn off when one does.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", MEDIA_STORAGE == "filesystem")
# Uploads larger than this are refused before Pillow opens them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# HTTPS defaults to on whenever DEBUG is off; DJANGO_HTTPS=0 only for plain-HTTP runs on loopback.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

LOGIN_URL = "admin:login"

# Failed staff logins are throttled per (account, address) pair by django-axes: an attacker can
# neither keep guessing one editor's password nor lock that editor out from another address.
# Before Django's own backend checks the password, the standalone backend checks the lockout and
# newsroom/login_ceiling.py the per-account ceiling.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "newsroom.login_ceiling.LoginCeilingBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.accounts.lockout_response"
# The reader's address as the comment rate limit sees it (COMMENTS_TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "comments.client_address.client_ip"
# Counters live in the database, where every worker sees them and nothing evicts them: in Redis
# (allkeys-lru) a burst of cached pages could evict a count and unlock a locked pair.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# Guessing spread over many addresses: once an account has this many failed logins within the
# window (from anywhere), logins to it are refused until the window ends, except from a device or
# address it has logged in from before; its owner is mailed once per window.
NEWSROOM_LOGIN_CEILING = env_int("NEWSROOM_LOGIN_CEILING", 20)
NEWSROOM_LOGIN_CEILING_WINDOW = timedelta(minutes=env_int("NEWSROOM_LOGIN_CEILING_MINUTES", 60))
# How long a device (its signed cookie) or an address stays known after a login from it.
NEWSROOM_KNOWN_DEVICE_DAYS = env_int("NEWSROOM_KNOWN_DEVICE_DAYS", 90)
# Password reset requests taken per client address and per email address within the window.
NEWSROOM_PASSWORD_RESETS_PER_ADDRESS = env_int("NEWSROOM_PASSWORD_RESETS_PER_ADDRESS", 5)
NEWSROOM_PASSWORD_RESETS_PER_EMAIL = env_int("NEWSROOM_PASSWORD_RESETS_PER_EMAIL", 3)
NEWSROOM_PASSWORD_RESET_WINDOW = timedelta(
    minutes=env_int("NEWSROOM_PASSWORD_RESET_WINDOW_MINUTES", 60)
)
# Two-factor sign-in (django-otp): on, everyone who may publish passes a second factor after the
# password before any admin page, enrolling first if they have none. Staff who enrolled use theirs
# either way. Off for the demo; required in production (docs/deploy.md).
NEWSROOM_REQUIRE_2FA = env_bool("NEWSROOM_REQUIRE_2FA", False)
# Device keys and recovery codes are never shown in the admin's device lists.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
    },
}

# Site identity, used in templates, feeds and structured data.
NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "Newsroom")
# The publisher in structured data: its home address (default: the address a request came to)
# and its logo, a static file path or a full URL (a raster image, as Google asks).
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "")
NEWSROOM_PUBLISHER_LOGO = os.environ.get("NEWSROOM_PUBLISHER_LOGO", "img/newsroom-logo.png")
# How authenticator apps name the account they make codes for.
OTP_TOTP_ISSUER = NEWSROOM_SITE_NAME

# Anonymous readers' copies of pages without per-reader state (articles/caching/): seconds
# a copy is served; an editorial change shows at once, a scheduled story within this time. 0: off.
NEWSROOM_PAGE_CACHE_SECONDS = env_int("NEWSROOM_PAGE_CACHE_SECONDS", 60)
# How often a live story's open page asks its poll address for new entries (articles/public/
# live.py): every reader asks the same address, which Varnish answers.
NEWSROOM_LIVE_POLL_SECONDS = env_int("NEWSROOM_LIVE_POLL_SECONDS", 20)
# The parts of a story page that are the same for every reader (the story with related stories
# and the rail; the comment threads) are kept under the same keys and rules, so a page that is not
# cached whole is still quick to make. Unset: the same as NEWSROOM_PAGE_CACHE_SECONDS.
NEWSROOM_FRAGMENT_CACHE_SECONDS = env_int("NEWSROOM_FRAGMENT_CACHE_SECONDS", None)
# How long the last good copy of a page is kept, to serve while the database is away.
NEWSROOM_PAGE_STALE_SECONDS = env_int("NEWSROOM_PAGE_STALE_SECONDS", 24 * 60 * 60)
# Shared caches (Varnish with xkey) told which pages changed: comma-separated http addresses.
NEWSROOM_PURGE_URLS = env_list("NEWSROOM_PURGE_URLS", [])
# Sent with every purge: the shipped VCL accepts none without it (it reads the same value from
# varnishd's environment), so nobody else who can reach Varnish empties it.
NEWSROOM_PURGE_SECRET = os.environ.get("NEWSROOM_PURGE_SECRET", "")

# A video's title and thumbnail are asked of its provider's oEmbed endpoint once a story that
# embeds it is saved, never while a page renders (articles/editorial/embed_previews.py); the
# thumbnail is kept in our storage. 0: nothing is asked (a newsroom without outside access).
NEWSROOM_EMBED_PREVIEWS = env_bool("NEWSROOM_EMBED_PREVIEWS", True)
NEWSROOM_OEMBED_ENDPOINTS = {
    "youtube": "https://www.youtube.com/oembed",
    "vimeo": "https://vimeo.com/api/oembed.json",
    "tiktok": "https://www.tiktok.com/oembed",
}
NEWSROOM_OEMBED_TIMEOUT_SECONDS = 3

# The content API (articles/api/, docs/api.md): requests a minute each key may make, counted in
# the cache (Redis when REDIS_URL is set, so every worker and server shares the count).
NEWSROOM_API_RATE_PER_MINUTE = env_int("NEWSROOM_API_RATE_PER_MINUTE", 600)
REST_FRAMEWORK = {
    # API keys only: a staff session opens the back office, never the API.
    "DEFAULT_AUTHENTICATION_CLASSES": ["articles.api.keys.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["articles.api.keys.HasApiKey"],
    "DEFAULT_THROTTLE_CLASSES": ["articles.api.keys.PerKeyRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{NEWSROOM_SITE_NAME} content API",
    "DESCRIPTION": "Published stories, sections, topics, authors, corrections and the front "
    "page, read-only. Every request carries `Authorization: Api-Key <key>`. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# Comments on stories older than this many days are closed.
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 30)
# Reader comments (comments/): limits and automatic checks. See the README's moderation section.
COMMENTS_MAX_LENGTH = env_int("COMMENTS_MAX_LENGTH", 3000)
COMMENTS_MAX_LINKS = env_int("COMMENTS_MAX_LINKS", 2)
# Forms sent back faster than this are from bots; capped at 3 s so quick humans are never caught.
COMMENTS_MIN_FILL_SECONDS = min(env_int("COMMENTS_MIN_FILL_SECONDS", 3), 3)
COMMENTS_DUPLICATE_WINDOW_HOURS = env_int("COMMENTS_DUPLICATE_WINDOW_HOURS", 24)
COMMENTS_RATE_LIMIT_PER_MINUTE = env_int("COMMENTS_RATE_LIMIT_PER_MINUTE", 5)
# Where the comment rate limit counts: with the other security counters, in the database, where
# page copies filling the cache cannot evict a count (newsroom/counters.py).
COMMENTS_RATE_COUNTER = "newsroom.counters.hit"
# How many proxies in front of the app append to X-Forwarded-For (0: use the socket address).
COMMENTS_TRUSTED_PROXIES = env_int("COMMENTS_TRUSTED_PROXIES", 0)
COMMENTS_REPORT_THRESHOLD = env_int("COMMENTS_REPORT_THRESHOLD", 3)
COMMENTS_SHOWN_ON_ARTICLE = env_int("COMMENTS_SHOWN_ON_ARTICLE", 20)
COMMENTS_PER_PAGE = env_int("COMMENTS_PER_PAGE", 50)
COMMENTS_TRUST_COMMENTERS = env_bool("COMMENTS_TRUST_COMMENTERS", False)
COMMENTS_TRUSTED_MIN_APPROVED = env_int("COMMENTS_TRUSTED_MIN_APPROVED", 3)
COMMENTS_TRUSTED_WINDOW_DAYS = env_int("COMMENTS_TRUSTED_WINDOW_DAYS", 90)
# Moderators mailed a digest of waiting comments; empty turns notifications off.
COMMENTS_NOTIFY_EMAILS = env_list("COMMENTS_NOTIFY_EMAILS", [])
COMMENTS_NOTIFY_EVERY_MINUTES = env_int("COMMENTS_NOTIFY_EVERY_MINUTES", 15)
# Site-wide hours when new comments are not taken, in TIME_ZONE, e.g. "22:00-06:00"; empty: none.
COMMENTS_QUIET_HOURS = os.environ.get("COMMENTS_QUIET_HOURS", "")
# How long a reader may edit or withdraw a comment through the signed link shown after posting.
COMMENTS_EDIT_MINUTES = env_int("COMMENTS_EDIT_MINUTES", 10)

# Photo uploads: byte and pixel ceilings; anything larger is refused with a clear error.
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
# … and their shape: no side longer than this, no side more than this many times the other.
PHOTO_MAX_SIDE = 12_000
PHOTO_MAX_ASPECT_RATIO = 8

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
