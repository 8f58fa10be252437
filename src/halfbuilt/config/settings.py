"""Settings come from the environment; see README.md "Configuration".

HALFBUILT_MODE=production switches on the hardened profile that passes `halfbuilt check --deploy`.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("HALFBUILT_DATA_DIR", Path.cwd() / "halfbuilt-data")).resolve()
PRODUCTION = os.environ.get("HALFBUILT_MODE", "").lower() == "production"
# Every process needs the data directory (key, SQLite, task queue, static files) before `init` runs.
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _secret_key() -> str:
    """Production must be given a key; elsewhere one is made once and kept in the data directory."""
    if key := os.environ.get("HALFBUILT_SECRET_KEY"):
        return key
    if PRODUCTION:
        raise RuntimeError("HALFBUILT_SECRET_KEY must be set when HALFBUILT_MODE=production")
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("HALFBUILT_DEBUG", "").lower() in {"1", "true", "yes"} and not PRODUCTION
ALLOWED_HOSTS = [h for h in os.environ.get("HALFBUILT_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("HALFBUILT_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "axes",
    "huey.contrib.djhuey",
    "ninja",  # serves Swagger UI for /api/v1/docs from its own static files (no CDN)
    "halfbuilt.core",
    "halfbuilt.regions",
    "halfbuilt.accounts",
    "halfbuilt.audit",
    "halfbuilt.ledger",
    "halfbuilt.files",
    "halfbuilt.disposal",
    "halfbuilt.progress",
    "halfbuilt.closure",
    "halfbuilt.supervision.orders",
    "halfbuilt.notifications",
    "halfbuilt.campaign",
    "halfbuilt.supervision.lights",
    "halfbuilt.api",
    "halfbuilt.supervision.dashboard",
    "halfbuilt.demo",  # above every feature app: its generator calls their services
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "halfbuilt.core.middleware.IdleSessionMiddleware",  # Django's, renewing the idle timeout once a minute
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "halfbuilt.core.middleware.LoginRequiredMiddleware",
    "halfbuilt.core.middleware.MethodNotAllowedPage",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "halfbuilt.config.urls"
WSGI_APPLICATION = "halfbuilt.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "halfbuilt.accounts.context_processors.navigation",
                "halfbuilt.notifications.context_processors.bell",
            ],
        },
    },
]

# SQLite is the embedded default: one file under the data directory, WAL, a busy timeout.
_sqlite_url = f"sqlite:///{DATA_DIR / 'halfbuilt.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _sqlite_url), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Password rules: the 等保 (MLPS level 3) profile is the default; every number is configurable.
PASSWORD_MIN_LENGTH = _env_int("HALFBUILT_PASSWORD_MIN_LENGTH", 8)
PASSWORD_MIN_CHARACTER_CLASSES = _env_int("HALFBUILT_PASSWORD_MIN_CLASSES", 3)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "halfbuilt.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "halfbuilt.accounts.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CHARACTER_CLASSES},
    },
]

# Sign-in: lockout after N failures (django-axes), idle timeout by session age renewed on each request.
AXES_FAILURE_LIMIT = _env_int("HALFBUILT_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _env_int("HALFBUILT_LOGIN_LOCKOUT_MINUTES", 30) / 60
# Lock the account, not the address: a whole county office often shares one NAT address.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
SESSION_COOKIE_AGE = _env_int("HALFBUILT_IDLE_TIMEOUT_MINUTES", 30) * 60
# The idle timeout is renewed by core.middleware.IdleSessionMiddleware (at most one session write a minute), not by
# SESSION_SAVE_EVERY_REQUEST (one write on every page).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The change log is kept at least 190 days (Cybersecurity Law: six months); shorter is refused.
AUDIT_RETENTION_DAYS = max(190, _env_int("HALFBUILT_AUDIT_RETENTION_DAYS", 190))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("HALFBUILT_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]  # the project-wide assets next to templates/ (not inside an app)
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_UPLOAD_MB = _env_int("HALFBUILT_IMPORT_MAX_MB", 50)
# Files with more rows than this are imported by the worker, with a progress page.
IMPORT_BACKGROUND_ROWS = _env_int("HALFBUILT_IMPORT_BACKGROUND_ROWS", 2000)
# The ledger list counts exactly when the user's scope holds at most this many projects (a cheap count);
# above it the list counts a few pages ahead and offers the exact total on request (ledger/paging.py).
LEDGER_EXACT_COUNT_MAX = _env_int("HALFBUILT_LEDGER_EXACT_COUNT_MAX", 10_000)

# Disposal: monthly reports are due on this day of the following month; 回头看 draws this share of the
# closed projects; attachments are refused above this size.
PROGRESS_DUE_DAY = _env_int("HALFBUILT_PROGRESS_DUE_DAY", 5)
FOLLOWUP_SHARE = os.environ.get("HALFBUILT_FOLLOWUP_SHARE", "0.1")
# A 回头看 photo taken farther than this from the project's site is flagged (metres).
FOLLOWUP_PHOTO_MAX_DISTANCE_M = _env_int("HALFBUILT_FOLLOWUP_PHOTO_MAX_DISTANCE_M", 1000)
# The 文号 prefix of the office's 督办单; empty: the catalogue's default (docs/orders.md).
ORDER_OFFICE_PREFIX = os.environ.get("HALFBUILT_ORDER_OFFICE_PREFIX", "")
ATTACHMENT_MAX_MB = _env_int("HALFBUILT_ATTACHMENT_MAX_MB", 20)

# Notifications (docs/notifications.md): e-mail through Django's SMTP backend when HALFBUILT_EMAIL_HOST is set,
# SMS by POSTing {"phone", "text"} to HALFBUILT_SMS_WEBHOOK_URL when set; links in them start with SITE_URL.
EMAIL_HOST = os.environ.get("HALFBUILT_EMAIL_HOST", "")
EMAIL_PORT = _env_int("HALFBUILT_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("HALFBUILT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("HALFBUILT_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("HALFBUILT_EMAIL_TLS", "").lower() in {"1", "true", "yes"}
EMAIL_USE_SSL = os.environ.get("HALFBUILT_EMAIL_SSL", "").lower() in {"1", "true", "yes"}
EMAIL_TIMEOUT = _env_int("HALFBUILT_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("HALFBUILT_EMAIL_FROM", "halfbuilt@localhost")
SMS_WEBHOOK_URL = os.environ.get("HALFBUILT_SMS_WEBHOOK_URL", "")
SMS_WEBHOOK_TIMEOUT = _env_int("HALFBUILT_SMS_WEBHOOK_TIMEOUT", 5)
SITE_URL = os.environ.get("HALFBUILT_SITE_URL", "http://127.0.0.1:8000")
# Reviews (plans, closure requests) waiting longer than this many days are reminded daily.
NOTIFY_REVIEW_WAITING_DAYS = _env_int("HALFBUILT_NOTIFY_REVIEW_WAITING_DAYS", 7)

# The campaign's home province: its GB/T 2260 code selects the reference data.
CAMPAIGN_PROVINCE_CODE = os.environ.get("HALFBUILT_PROVINCE", "150000")
REFERENCE_DATA_DIR = os.environ.get("HALFBUILT_REFERENCE_DATA_DIR", "")

# Background work: huey on a SQLite file by default, on Redis when HALFBUILT_REDIS_URL is set.
_redis_url = os.environ.get("HALFBUILT_REDIS_URL")
HUEY = {
    # Several instances (or test runs) can share one Redis when each has its own queue name.
    "name": os.environ.get("HALFBUILT_QUEUE_NAME", "halfbuilt"),
    "immediate": os.environ.get("HALFBUILT_TASKS_IMMEDIATE", "").lower() in {"1", "true"},
    "consumer": {"workers": _env_int("HALFBUILT_WORKERS", 2), "worker_type": "thread"},
}
if _redis_url:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": _redis_url})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "tasks.sqlite3")})

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HALFBUILT_LOG_LEVEL", "WARNING")},
}

CSRF_FAILURE_VIEW = "halfbuilt.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("HALFBUILT_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _env_int("HALFBUILT_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# Attachments are stored under MEDIA_ROOT unless an S3-compatible bucket is configured (MinIO, Ceph, OSS, COS…);
# downloads always go through the application, which checks who may see the project.
S3_BUCKET = os.environ.get("HALFBUILT_S3_BUCKET", "")
if S3_BUCKET:
    STORAGES = {
        "staticfiles": globals().get("STORAGES", {}).get(
            "staticfiles", {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        ),
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": S3_BUCKET,
                "endpoint_url": os.environ.get("HALFBUILT_S3_ENDPOINT_URL") or None,
                "access_key": os.environ.get("HALFBUILT_S3_ACCESS_KEY") or None,
                "secret_key": os.environ.get("HALFBUILT_S3_SECRET_KEY") or None,
                "region_name": os.environ.get("HALFBUILT_S3_REGION") or None,
                "default_acl": None,  # objects stay private: the bucket's policy applies
                "file_overwrite": False,
                "querystring_auth": True,
            },
        },
    }
