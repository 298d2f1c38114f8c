"""The platform's settings: apps, middleware, database, Redis, auth, i18n, files, API, maps, the city, posture.

Without ``DATABASE_URL`` and ``REDIS_URL`` this is the embedded default
(SpatiaLite, in-memory channel layer, eager Celery); with them it is the
production set-up (PostGIS, Redis channel layer and Celery broker).
"""
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from cityenforce.redis_options import cache_options, channel_layer_host

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("CITYENFORCE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", False)
# The demo mode seeds known passwords; production settings must never do that.
DEMO_MODE = env_bool("CITYENFORCE_DEMO", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (
    "insecure-demo-key-only-for-the-embedded-default" if DEMO_MODE else None
)
if not SECRET_KEY:
    raise RuntimeError("DJANGO_SECRET_KEY must be set when CITYENFORCE_DEMO is off")
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "knox",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_ratelimit",
    "csp",
    "leaflet",
    "simple_history",
    "channels",
    "django_celery_beat",
    "viewflow",
    "viewflow.workflow",
    "apps.gbcp",
    "apps.accounts",
    "apps.realtime",
    "apps.workflow",
    "apps.devices",
    "apps.dispatch",
    "apps.portal",
    "apps.ledger",
    "apps.evidence",
    "apps.credit",
    "apps.cases",
    "apps.inspection",
    "apps.supervision",
    "apps.evaluation",
    "apps.duty",
    "apps.analytics",
    "apps.wiki",
    "apps.coordination",
    "apps.emergency",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cityenforce.middleware.RefuseNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cityenforce.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "apps.gbcp.publicurl.RequestBaseMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Staff sessions: idle and absolute timeouts, then the second factor (apps/accounts/middleware.py).
    "apps.accounts.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a login refused by the lockout into the 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cityenforce.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "apps.accounts.context_processors.staff_context",
                "apps.realtime.context_processors.notifications",
            ],
        },
    },
]
WSGI_APPLICATION = "cityenforce.wsgi.application"
ASGI_APPLICATION = "cityenforce.asgi.application"

# --- database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")))}
    engine = DATABASES["default"]["ENGINE"]
    if engine in {"django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"}:
        DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
    elif engine.endswith("spatialite") or engine.endswith("sqlite3"):
        DATABASES["default"]["ENGINE"] = "cityenforce.db.spatialite"
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "cityenforce.db.spatialite",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "cityenforce.sqlite3")),
            # Writers take the lock at BEGIN, so two people acting at once queue instead of deadlocking.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            # A file, not shared-cache memory: there SQLite refuses a second writer at once instead of waiting.
            "TEST": {"NAME": os.environ.get("SQLITE_TEST_PATH", str(VAR_DIR / "test.sqlite3"))},
        }
    }
SPATIALITE_LIBRARY_PATH = os.environ.get("SPATIALITE_LIBRARY_PATH", "mod_spatialite")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- redis, channels, celery, cache ---------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # Fail fast while Redis is away, recover by itself when it returns (see cityenforce.redis_options).
            "CONFIG": {"hosts": [channel_layer_host(REDIS_URL)], "prefix": os.environ.get("CHANNELS_PREFIX", "cityenforce")},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "OPTIONS": cache_options()}}
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
    # Enqueueing must not hold a request for long while the broker is away (the beat sweeps retry the work).
    CELERY_BROKER_CONNECTION_TIMEOUT = 2
    CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
    CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
    CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- auth -----------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "display_name", "first_name", "last_name", "email", "phone")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    # Staff (and administrators) need STAFF_PASSWORD_MIN_LENGTH (12): apps/accounts/passwords.py.
    {"NAME": "apps.accounts.passwords.StaffMinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Axes first: it refuses a locked-out (username, address) pair before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

# The client address behind a load balancer (apps.accounts.throttling.client_ip). With neither set, the
# socket address is the client and X-Forwarded-For is ignored: any caller can write that header.
# TRUSTED_PROXIES: addresses or networks of our own proxies; X-Forwarded-For is read only when the socket
# peer is one of them, right to left, skipping our proxies. TRUSTED_PROXY_COUNT: that many proxies always
# stand in front (use only when nothing else can reach the server).
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Login lockout (django-axes): after this many failed logins of one username from one address, that pair is
# refused with 429 for the cool-off (web login, admin login and the API token endpoint alike).
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "apps.accounts.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "apps.accounts.throttling.lockout_response"
AXES_VERBOSE = False

# Request rates per client address (django-ratelimit; atomic counters in the default cache), "N/period".
# "login" counts every POST to the three login routes together, whatever the username: password spraying.
RATE_LIMITS = {
    "login": os.environ.get("RATE_LIMIT_LOGIN", "30/10m"),
    "open311-post": os.environ.get("RATE_LIMIT_OPEN311_POST", "60/m"),
    "portal-photo": os.environ.get("RATE_LIMIT_PORTAL_PHOTO", "300/10m"),  # the tracking page's photos, by code
}
RATELIMIT_HASH_ALGORITHM = "hashlib.sha256"

# API tokens (django-rest-knox): stored hashed, one per device, expire, revocable one by one or all at once.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=int(os.environ.get("API_TOKEN_TTL_DAYS", "30"))),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": 20,
}

# --- i18n -----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded files have no URL; views that check who asks send them (apps.gbcp.files). Production: the web server's
# internal location ("/protected/", docs/SECURITY.md), answered with X-Accel-Redirect. Empty: Django streams them.
PROTECTED_FILES_ACCEL = os.environ.get("PROTECTED_FILES_ACCEL", "")
THUMBNAIL_SIZE = 320  # long side of thumbnails (made once, kept under MEDIA_ROOT/thumbs/)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage" if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
API_JSON_MAX_BYTES = int(os.environ.get("API_JSON_MAX_BYTES", 2 * 1024 * 1024))  # a JSON body over this: 413
API_JSON_MAX_DEPTH = 64  # lists and objects nested deeper than this: 400
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- REST framework -------------------------------------------------------
REST_FRAMEWORK = {
    # Token first so an anonymous API caller gets 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies bounded in size (413) and nesting (400); see apps.gbcp.api.parsers.
    "DEFAULT_PARSER_CLASSES": [
        "apps.gbcp.api.parsers.BoundedJSONParser",
        "apps.gbcp.api.parsers.BoundedFormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "apps.gbcp.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.gbcp.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CityEnforce API",
    "DESCRIPTION": "城市管理综合执法平台 API: mobile client, partners and devices.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents the refusals it can answer, in the error format (apps.gbcp.api.schema). Enums stay
    # inline: named enum components collide across apps ("status", "level", "source" mean different sets).
    "POSTPROCESSING_HOOKS": ["apps.gbcp.api.schema.document_errors", "apps.gbcp.api.schema.local_times"],
    # Swagger UI and ReDoc from our own static files (drf-spectacular-sidecar): no CDN, and the CSP holds.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- maps -----------------------------------------------------------------
# The base map is configurable (天地图 or OSM-style tiles); the vector layers
# served by the API keep the one-map page useful when no tile is reachable.
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = os.environ.get("MAP_TILES_ATTRIBUTION", "© OpenStreetMap contributors")
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (39.9042, 116.4074),
    "DEFAULT_ZOOM": 10,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 19,
    "TILES": [("base", MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION, "maxZoom": 19})],
    "RESET_VIEW": False,
}
SILENCED_SYSTEM_CHECKS = ["gis.W001"]  # GDAL 3.6 on Debian 12 is older than Django's tested range.

# --- the city -------------------------------------------------------------
CITY_REGION_CODE = os.environ.get("CITY_REGION_CODE", "110100")
# Office hours used for deadlines counted in working hours (工作时).
WORKING_HOURS = [("09:00", "12:00"), ("13:30", "17:30")]
DEMO_DATA_DIR = Path(os.environ.get("CITYENFORCE_DEMO_DATA", BASE_DIR / "fixtures"))

# --- demo secrets (applied again on every seed_demo) -----------------------
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "cityenforce-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- deployment posture ------------------------------------------------------
# Off by default in the embedded demo (plain HTTP on a laptop); on in production unless the environment says
# otherwise, so that `check --deploy` is clean with CITYENFORCE_DEMO=0.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEMO_MODE)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEMO_MODE)
# Behind a load balancer that terminates TLS every request arrives as plain HTTP: there the redirect loops forever
# unless DJANGO_SECURE_PROXY_SSL_HEADER (below) names the header the balancer sets, or DJANGO_SECURE_SSL_REDIRECT=0
# leaves redirecting to the balancer. accounts.W001 (apps/accounts/checks.py) warns of the combination.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEMO_MODE)
SECURE_REDIRECT_EXEMPT = [r"^api/health/$"]  # the load balancer probes over plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEMO_MODE else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEMO_MODE)
# Preloading is a promise to the browser vendors that is hard to take back (every subdomain, for months): opt in
# with DJANGO_SECURE_HSTS_PRELOAD=1. Not opting in is a decision, so check --deploy does not warn of it (W021).
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS += ["security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only behind a proxy that sets this header itself (e.g. "X-Forwarded-Proto"); otherwise any client could claim HTTPS.
if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + os.environ["DJANGO_SECURE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_"), "https")
if not REDIS_URL:
    # The embedded default runs in one process, where the local-memory cache is shared by every request and
    # its add/incr are atomic under a lock; with REDIS_URL the counters live in Redis (SET NX, INCR).
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]
else:
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.W001"]  # Django's own Redis backend: add is SET NX, incr is INCR

# Content-Security-Policy (django-csp): only our own scripts and styles, or inline ones carrying the request's
# nonce ({{ CSP_NONCE }}); map tiles from the configured tile server.
_tiles = urlsplit(MAP_TILES_URL)
_TILES_ORIGIN = f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}" if _tiles.netloc else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:"] + ([_TILES_ORIGIN] if _TILES_ORIGIN else []),
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],  # CSP3: 'self' covers the page's own ws:/wss: origin (the real-time socket)
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
