"""Settings come from the environment; see README.md "Configuration".

HALFBUILT_MODE=production switches on the hardened profile that passes `halfbuilt check --deploy`.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
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
# Personal information encrypted at rest (core/crypto.py): SM4-GCM (国密) by default, or "aes" (AES-256-GCM).
FIELD_CIPHER = os.environ.get("HALFBUILT_FIELD_CIPHER", "sm4").strip().lower()
if FIELD_CIPHER not in {"sm4", "aes"}:
    raise RuntimeError("HALFBUILT_FIELD_CIPHER must be sm4 or aes")
# The key, outside the database: 64 hex characters, else a file made at first use (back it up apart).
FIELD_KEY = os.environ.get("HALFBUILT_FIELD_KEY", "")
FIELD_KEY_FILE = os.environ.get("HALFBUILT_FIELD_KEY_FILE", str(DATA_DIR / "field_key"))
if PRODUCTION and not FIELD_KEY and "HALFBUILT_FIELD_KEY_FILE" not in os.environ:
    raise RuntimeError("HALFBUILT_FIELD_KEY or HALFBUILT_FIELD_KEY_FILE must be set when HALFBUILT_MODE=production")
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # the recovery codes
    "huey.contrib.djhuey",
    "ninja",  # serves Swagger UI for /api/v1/docs from its own static files (no CDN)
    "halfbuilt.core",
    "halfbuilt.regions",
    "halfbuilt.accounts",
    "halfbuilt.audit",
    "halfbuilt.administration",
    "halfbuilt.ledger",
    "halfbuilt.files",
    "halfbuilt.disposal",
    "halfbuilt.progress",
    "halfbuilt.closure",
    "halfbuilt.numbering",
    "halfbuilt.supervision.orders",
    "halfbuilt.supervision.circulars",
    "halfbuilt.notifications",
    "halfbuilt.campaign",
    "halfbuilt.supervision.lights",
    "halfbuilt.prevention",
    "halfbuilt.greenchannel",
    "halfbuilt.api",
    "halfbuilt.supervision.dashboard",
    "halfbuilt.public",  # the public portal and open data (no sign-in), above the apps whose public parts it reads
    "halfbuilt.tipoffs",  # tip-offs (线索举报) on the portal and their moderation, above the portal it extends
    "halfbuilt.demo",  # above every feature app: its generator calls their services
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every answer past the static files, the request guard's refusals too: no copy kept, the page's policy.
    "halfbuilt.core.middleware.NoStoreByDefault",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view reads the request (the CSRF check reads a form's body in its process_view).
    "halfbuilt.core.middleware.RequestGuard",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "halfbuilt.core.middleware.LoginRequiredMiddleware",
    "halfbuilt.core.middleware.MethodNotAllowedPage",
    # A view's "database is locked" (another writer past the busy timeout): the busy message, 503, not a 500.
    "halfbuilt.core.middleware.BusyDatabase",
    # Inside NoStoreByDefault and the CSP (at the top): its redirects and refusals are no-store and carry the CSP.
    "halfbuilt.administration.middleware.PasswordPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "halfbuilt.config.urls"
# Threads of the demo's web server (waitress): each holds at most one database connection.
WEB_THREADS = max(1, _env_int("HALFBUILT_WEB_THREADS", 8))
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

# SQLite is the embedded default: one file under the data directory, WAL, a busy timeout: a writer waits this long
# for the one before it (an import holds the write lock while it writes), then is told the system is busy.
DB_BUSY_SECONDS = max(1, _env_int("HALFBUILT_DB_BUSY_SECONDS", 20))
_sqlite_url = f"sqlite:///{DATA_DIR / 'halfbuilt.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _sqlite_url), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": DB_BUSY_SECONDS,
    }
elif "postgresql" in DATABASES["default"]["ENGINE"]:
    # No JIT: PostgreSQL compiles any query its planner costs above jit_above_cost, and a scope's subquery over a
    # million projects is costed so even when it reads no row: the dashboard's 挂牌督办 took 100 ms of compiling for
    # 0.5 ms of work (docs/performance.md, "Dashboard"). The pages' queries are short; none gains from it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "halfbuilt.administration.backends.PolicyModelBackend",  # Django's, with the administrators' networks
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Password and sign-in rules: the 等保 (MLPS level 3) profile is the default. These are the defaults of the
# security policy, which the security administrator then sets in the pages (administration/policy.py): the
# validators, the lockout and the idle timeout read the policy at each use.
PASSWORD_MIN_LENGTH = _env_int("HALFBUILT_PASSWORD_MIN_LENGTH", 8)
PASSWORD_MIN_CHARACTER_CLASSES = _env_int("HALFBUILT_PASSWORD_MIN_CLASSES", 3)
PASSWORD_EXPIRY_DAYS = _env_int("HALFBUILT_PASSWORD_EXPIRY_DAYS", 90)
PASSWORD_HISTORY = _env_int("HALFBUILT_PASSWORD_HISTORY", 5)
LOGIN_FAILURE_LIMIT = _env_int("HALFBUILT_LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = _env_int("HALFBUILT_LOGIN_LOCKOUT_MINUTES", 30)
IDLE_TIMEOUT_MINUTES = _env_int("HALFBUILT_IDLE_TIMEOUT_MINUTES", 30)
# The roles that must sign in with a second factor (TOTP): the office and the three administrators by default;
# comma-separated role keys, empty for none. The security administrator changes it in the policy.
TWO_FACTOR_ROLES = [r.strip() for r in os.environ.get(
    "HALFBUILT_TWO_FACTOR_ROLES", "office,sysadmin,secadmin,auditor").split(",") if r.strip()]
# The networks the three administrators may sign in from (comma-separated CIDRs; empty: anywhere).
ADMIN_NETWORKS = [n.strip() for n in os.environ.get("HALFBUILT_ADMIN_NETWORKS", "").split(",") if n.strip()]
# The issuer an authenticator app shows beside the account; failed codes slow further tries (django-otp).
OTP_TOTP_ISSUER = os.environ.get("HALFBUILT_TOTP_ISSUER", "半拉子工程大起底管理平台")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "halfbuilt.administration.passwords.PolicyMinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "halfbuilt.administration.passwords.PolicyCharacterClassValidator"},
    {"NAME": "halfbuilt.administration.passwords.HistoryValidator"},
]

# Sign-in: lockout after N failures (django-axes, numbers from the policy), idle timeout by session age renewed
# on each request (the policy's, set on the session by administration.middleware).
AXES_FAILURE_LIMIT = "halfbuilt.administration.policy.failure_limit"
AXES_COOLOFF_TIME = "halfbuilt.administration.policy.cooloff"
# What the sign-in page tells users of these rules (core's `signin_policy` tag).
SIGNIN_POLICY = "halfbuilt.administration.policy.summary"
# Lock the account from the address the failures come from: a stranger elsewhere cannot lock a clerk out (only
# themselves, from their address), and a county office sharing one NAT address is not locked as a whole.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# API tokens are refused this many days after they were issued (0: never); issue a new one with `halfbuilt token`.
API_TOKEN_DAYS = max(0, _env_int("HALFBUILT_API_TOKEN_DAYS", 180))
# The ceiling of any idle timeout the policy may set (a day); the policy's own is checked by the middleware.
SESSION_COOKIE_AGE = 24 * 60 * 60
# The policy's middleware renews the session's last activity at most once a minute (administration/middleware.py):
# no session write and commit on every page.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The change log is kept at least 190 days (Cybersecurity Law: six months); shorter is refused.
AUDIT_RETENTION_DAYS = max(190, _env_int("HALFBUILT_AUDIT_RETENTION_DAYS", 190))
# The change log's tamper-evident chain (audit/chain.py): HMAC with SM3 (国密) by default, or "sha256"; the key
# from outside the database (else derived from the secret key); how far before the newest sealed entry an unsealed
# one may be dated and still be sealed (no transaction stays open longer).
AUDIT_CHAIN_ALGORITHM = os.environ.get("HALFBUILT_AUDIT_CHAIN_ALGORITHM", "sm3").lower()
if AUDIT_CHAIN_ALGORITHM not in {"sm3", "sha256"}:
    raise ImproperlyConfigured("HALFBUILT_AUDIT_CHAIN_ALGORITHM must be sm3 or sha256")
AUDIT_KEY = os.environ.get("HALFBUILT_AUDIT_KEY", "")
AUDIT_SEAL_LAG = dt.timedelta(minutes=_env_int("HALFBUILT_AUDIT_SEAL_LAG_MINUTES", 60))

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
# What a workbook may hold once read (ledger/intake/limits.py checks them on the compressed file first).
IMPORT_MAX_INFLATED_MB = _env_int("HALFBUILT_IMPORT_MAX_INFLATED_MB", 512)
IMPORT_MAX_ROWS = _env_int("HALFBUILT_IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_COLUMNS = _env_int("HALFBUILT_IMPORT_MAX_COLUMNS", 256)
IMPORT_MAX_CELLS = _env_int("HALFBUILT_IMPORT_MAX_CELLS", 10_000_000)
IMPORT_MAX_MERGED = _env_int("HALFBUILT_IMPORT_MAX_MERGED", 20_000)
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
# The dashboard's 大屏 (/dashboard/screen/) fetches its figures again every so many seconds.
DASHBOARD_SCREEN_REFRESH_SECONDS = max(1, _env_int("HALFBUILT_SCREEN_REFRESH_SECONDS", 60))
# Largest multipart body (uploads): above the import's and an attachment's own limits, which then speak per file.
REQUEST_MAX_MB = _env_int("HALFBUILT_REQUEST_MAX_MB", max(IMPORT_MAX_UPLOAD_MB, ATTACHMENT_MAX_MB * 9) + 10)

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
# The public portal (public/): how long its pages may be kept by the server, browsers and proxies (0: not at all).
PUBLIC_CACHE_SECONDS = max(0, _env_int("HALFBUILT_PUBLIC_CACHE_SECONDS", 60))
# The public address of the portal, printed on the 公示牌's QR code (the intranet's SITE_URL is not reachable
# from a phone at the site); SITE_URL when unset.
PUBLIC_SITE_URL = os.environ.get("HALFBUILT_PUBLIC_SITE_URL", "") or SITE_URL
# The OC4IDS project identifier prefix registered for this publisher (oc4ids-xxxxxx-), docs/portal.md.
OC4IDS_PREFIX = os.environ.get("HALFBUILT_OC4IDS_PREFIX", "oc4ids-nmgbld")
# The font file of the 公示牌 (a CJK TrueType/OpenType font or collection); Debian's Noto Sans CJK when unset.
SIGN_FONT = os.environ.get("HALFBUILT_SIGN_FONT", "")
# Tip-offs (tipoffs/): at most this many photos each; at most this many from one address per hour (0: no
# limit); waiting longer than this many days, a tip-off is overdue on its moderators' home page.
TIPOFF_PHOTOS_MAX = max(0, _env_int("HALFBUILT_TIPOFF_PHOTOS_MAX", 4))
TIPOFF_RATE_PER_HOUR = max(0, _env_int("HALFBUILT_TIPOFF_RATE_PER_HOUR", 5))
TIPOFF_OVERDUE_DAYS = max(1, _env_int("HALFBUILT_TIPOFF_OVERDUE_DAYS", 5))
# Reviews (plans, closure requests) waiting longer than this many days are reminded daily.
NOTIFY_REVIEW_WAITING_DAYS = _env_int("HALFBUILT_NOTIFY_REVIEW_WAITING_DAYS", 7)

# The campaign's home province: its GB/T 2260 code selects the reference data.
CAMPAIGN_PROVINCE_CODE = os.environ.get("HALFBUILT_PROVINCE", "150000")
REFERENCE_DATA_DIR = os.environ.get("HALFBUILT_REFERENCE_DATA_DIR", "")
# The province's bounding box (west, south, east, north in degrees, WGS-84): a place given with a position (a
# tip-off's) must fall inside it. The default is Inner Mongolia's (150000).
CAMPAIGN_PROVINCE_BOUNDS = tuple(float(v) for v in os.environ.get(
    "HALFBUILT_PROVINCE_BOUNDS", "97.17,37.40,126.07,53.39").split(","))

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
# No inline script anywhere (every script is a static file; data reaches it through json_script blocks, which
# do not execute); style attributes only, because ECharts writes its tooltips with them. See docs/security.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
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
