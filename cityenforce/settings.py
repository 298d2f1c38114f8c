"""Settings for CityEnforce, chosen by environment.

Without ``DATABASE_URL`` and ``REDIS_URL`` this is the embedded default
(SpatiaLite, in-memory channel layer, eager Celery); with them it is the
production set-up (PostGIS, Redis channel layer and Celery broker).
"""
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
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
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "leaflet",
    "simple_history",
    "channels",
    "django_celery_beat",
    "viewflow",
    "viewflow.workflow",
    "apps.gbcp",
    "apps.accounts",
    "apps.realtime",
    "apps.devices",
    "apps.dispatch",
    "apps.portal",
    "apps.ledger",
    "apps.evidence",
    "apps.cases",
    "apps.inspection",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cityenforce.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
            "CONFIG": {"hosts": [REDIS_URL], "prefix": os.environ.get("CHANNELS_PREFIX", "cityenforce")},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage" if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- REST framework -------------------------------------------------------
REST_FRAMEWORK = {
    # Token first so an anonymous API caller gets 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
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

if not DEMO_MODE:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)

# --- dispatch task centre ----------------------------------------------------
DISPATCH_DEDUP_DEFAULTS = {"radius_m": 150, "window_hours": 72, "merge_threshold": 0.72, "suggest_threshold": 0.45}
DISPATCH_WHISTLE_MINUTES = 30  # 吹哨报到: departments report in within half an hour by default
DISPATCH_YELLOW_FRACTION = 0.8
DISPATCH_OUTBOX_MAX_ATTEMPTS = 8
DISPATCH_OUTBOX_BACKOFF_SECONDS = 30
DISPATCH_OUTBOX_TIMEOUT = 10
HOTLINE_MAX_SKEW_SECONDS = 300  # a signed request older than this is a replay
CLASSIFIER_CONFIDENCE_THRESHOLD = float(os.environ.get("CLASSIFIER_CONFIDENCE_THRESHOLD", "0.5"))
CLASSIFIER_MODEL_PATH = Path(os.environ.get("CLASSIFIER_MODEL_PATH", VAR_DIR / "models" / "task_classifier.joblib"))
CITIZEN_REPORTS_PER_HOUR = int(os.environ.get("CITIZEN_REPORTS_PER_HOUR", "10"))
CITIZEN_PHOTO_MAX_BYTES = 5 * 1024 * 1024
DEMO_OPEN311_KEY = os.environ.get("DEMO_OPEN311_KEY", "demo-open311-key")
DEMO_HOTLINE_SECRET = os.environ.get("DEMO_HOTLINE_SECRET", "demo-hotline-secret")
CELERY_BEAT_SCHEDULE = {
    "dispatch-sweep-deadlines": {"task": "apps.dispatch.tasks.sweep_deadlines", "schedule": 300.0},
    "dispatch-outbox-flush": {"task": "apps.dispatch.tasks.outbox_flush", "schedule": 60.0},
    "dispatch-retrain-classifier": {"task": "apps.dispatch.tasks.retrain_classifier", "schedule": 7 * 24 * 3600.0},
}

# --- devices (GPS, noise sensors, alarms) ------------------------------------
DEVICE_RETENTION_DAYS = int(os.environ.get("DEVICE_RETENTION_DAYS", "180"))  # raw points older than this are pruned
DEVICE_MAX_FUTURE_S = 300  # a reading more than this ahead of the server clock is refused
DEVICE_MAX_BATCH = 10000
DEVICE_LOW_BATTERY_PCT = 20
DEVICE_GEOFENCE_GRACE_S = 120  # outside the grid this long before an alarm (GPS jitter at the edge)
DEVICE_GEOFENCE_TOLERANCE_M = 30
DEVICE_NOISE_WINDOW_S = 300  # LAeq is averaged over this sliding window
DEVICE_NOISE_SUSTAIN_S = 600  # ...and must stay over the limit this long; longer than the window, so one loud interval never raises
DEVICE_NOISE_CLEAR_S = 600
DEVICE_NOISE_NIGHT_LMAX_HITS = 2
DEVICE_NOISE_CATEGORY_DAY = os.environ.get("DEVICE_NOISE_CATEGORY_DAY", "E0301")  # 施工扰民
DEVICE_NOISE_CATEGORY_NIGHT = os.environ.get("DEVICE_NOISE_CATEGORY_NIGHT", "E0302")  # 夜间施工噪声
DEVICE_ALARM_TASK_KINDS = ("noise",)
DEVICE_MAP_THROTTLE_S = float(os.environ.get("DEVICE_MAP_THROTTLE_S", "1.0"))
DEMO_DEVICE_TOKEN = os.environ.get("DEMO_DEVICE_TOKEN", "demo-device-token")
MQTT_URL = os.environ.get("MQTT_URL", "")
MQTT_TOPIC_PREFIX = os.environ.get("MQTT_TOPIC_PREFIX", "cityenforce/devices")
DEVICE_BEAT_SCHEDULE = {
    "devices-offline-sweep": {"task": "apps.devices.tasks.offline_sweep", "schedule": 60.0},
    "devices-alarm-task-retry": {"task": "apps.devices.tasks.alarm_task_retry", "schedule": 300.0},
    "devices-prune": {"task": "apps.devices.tasks.prune_readings", "schedule": 24 * 3600.0},
}
CELERY_BEAT_SCHEDULE = {**CELERY_BEAT_SCHEDULE, **DEVICE_BEAT_SCHEDULE}

# --- evidence (存证固证) ---------------------------------------------------------
# Ed25519 private key (PEM or base64 of the 32 raw bytes) that signs the evidence log's tree
# heads. Required in production; the demo generates one under VAR_DIR on first use.
EVIDENCE_SIGNING_KEY = os.environ.get("EVIDENCE_SIGNING_KEY", "")
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(200 * 1024 * 1024)))
CELERY_BEAT_SCHEDULE["evidence-verify"] = {"task": "apps.evidence.tasks.verify_evidence_log", "schedule": 24 * 3600.0}

# --- cases (执法办案) -------------------------------------------------------------
# The payment provider and the secret its notices are signed with (the local provider derives
# one from SECRET_KEY when unset; set a real one in production).
CASES_PAYMENT_PROVIDER = os.environ.get("CASES_PAYMENT_PROVIDER", "apps.cases.payment_provider.LocalPaymentProvider")
CASES_PAYMENT_SECRET = os.environ.get("CASES_PAYMENT_SECRET", "")
CASES_PUBLIC_BASE_URL = os.environ.get("CASES_PUBLIC_BASE_URL", "http://127.0.0.1:8000")  # where the QR codes on documents lead
CELERY_BEAT_SCHEDULE["cases-sweep-deadlines"] = {"task": "apps.cases.tasks.sweep_case_deadlines", "schedule": 3600.0}
CASES_PDF_FONT = os.environ.get("CASES_PDF_FONT") or None  # default: the Debian fonts-wqy-zenhei file

# --- ledger (基础台账) -------------------------------------------------------------
CELERY_BEAT_SCHEDULE["ledger-compare"] = {"task": "apps.ledger.tasks.compare_ledger", "schedule": 24 * 3600.0}

# --- inspection (综合巡查) ---------------------------------------------------------
CELERY_BEAT_SCHEDULE["inspection-sweep-overdue"] = {"task": "apps.inspection.tasks.sweep_overdue_assignments", "schedule": 24 * 3600.0}
