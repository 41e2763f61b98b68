"""Settings shared by every environment. Everything that varies comes from the environment.

``local.py`` and ``test.py`` start the embedded PostgreSQL / Redis (when
``DATABASE_URL`` / ``REDIS_URL`` are unset) *before* importing this module;
``production.py`` requires both variables.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"


def env_required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"环境变量 {name} 未设置 (environment variable {name} required)")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-development-only-key-do-not-deploy")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "pgtrigger",
    "obligations",
    "monitoring",
    "funds",
    "households",
    # Two factors (issue 14): django-otp with TOTP apps and recovery codes; accounts after
    # them (its admin removes theirs) and after obligations (it reads roles and writes audit).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise, which answers static files itself: they need no policy.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # the client address of audit rows (obligations.services.audit)
    "obligations.web.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Which second factor this session passed; then the 12-h limit, MFA and expiry gate.
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.AccountSecurityMiddleware",
    # Dashboard and API GETs may read the replica (config/replica.py); it removes itself when
    # DATABASE_REPLICA_URL is unset.
    "config.replica.ReplicaReadsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Cache-Control: no-store on every response to a signed-in user or token (static files are
    # answered by whitenoise above and keep their own caching).
    "config.middleware.NoStoreWhenSignedIn",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# --- Content-Security-Policy (django-csp; 等保 8.1.4, issue 14). Scripts and styles come only
# from our own static files: no inline <script>, on… handler or style="" in any template
# (tests/test_security_headers.py scans them); page data for scripts goes through json_script
# or data- attributes. data: images: Bootstrap's and Swagger UI's icons are data: SVGs in their
# stylesheets. Nothing is exempted: the Swagger UI is drf-spectacular's split view (its init
# script is a separate request) under our template without the inline <style>.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "obligations.web.context.navigation",
            ],
        },
    },
]

# --- Database: PostgreSQL everywhere (DESIGN.md §4).
# Services that write are @transaction.atomic; ATOMIC_REQUESTS stays off (STYLE.md).
def database(url: str) -> dict:
    return {**dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
                                    conn_health_checks=True),
            "ATOMIC_REQUESTS": False}


DATABASES = {"default": database(env_required("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A read replica for the dashboards and the API (issue 17; config/replica.py says which reads
# and why a few seconds of lag are harmless there). Unset: one database, no router.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = database(DATABASE_REPLICA_URL)
    DATABASE_ROUTERS = ["config.replica.ReplicaRouter"]

# --- Redis: cache, Celery broker and result backend.
REDIS_URL = env_required("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "cache",
    },
    # Sessions live in Redis (issue 17): the idle timeout renews the session on every request
    # (SESSION_SAVE_EVERY_REQUEST), which on database sessions was an UPDATE per page. Redis
    # runs with AOF (README 生产部署), so a restart does not sign everybody out; its maxmemory
    # policy must not evict keys that have no TTL preference over sessions (noeviction or
    # volatile-lru; sessions carry their TTL).
    "sessions": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "session",
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
SESSION_CACHE_ALIAS = "sessions"

# Password hashing (等保 8.1.4.1; issue 17): Argon2id with RFC 9106's second recommended
# parameters (t=3, 64 MiB, 4 lanes), memory-hard, so a GPU guesses far fewer per second than
# against PBKDF2 at the same server cost. About 0.1 s and 0.13 s of CPU per sign-in on the 2-core
# bench machine (`make bench` prints it), against 0.2 s for Django's PBKDF2 (1,000,000
# iterations), so a sign-in storm at a deadline is survivable without weakening the hash. Older
# PBKDF2 hashes still verify and are rehashed as Argon2id at the user's next sign-in.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Passwords (等保 8.1.4.1, issue 14; accounts/validators.py): at least 12 characters, three of
# four character classes, not one of the last 5, not common, not a place name plus digits.
PASSWORD_HISTORY_COUNT = 5
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassesValidator"},
    {"NAME": "accounts.validators.PasswordHistoryValidator"},
    {"NAME": "accounts.validators.PlaceNameValidator"},
]
# 等保 asks for periodic change, OWASP ASVS advises against it: 等保 by default, 0 turns it off.
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
# Signed out this long after signing in, however active (the idle limit is SESSION_COOKIE_AGE).
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12")) * 60 * 60
MFA_RECOVERY_CODES = 10
# Kept as it was: the authenticator apps officials enrolled already show this name.
OTP_TOTP_ISSUER = "过渡期责任落实系统"
# Only config/settings/local.py turns this on: the demo accounts sign in without a second
# factor and their password never expires, so reviewers can walk every page with demo-2021.
DEMO_ACCOUNTS_EXEMPT = False

# --- Accounts and sessions (issue 5). A whole office shares one IP address, so failed
# logins are counted per username, never per address; the lockout page does not say
# whether the account exists.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "obligations:home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: an idle timeout
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
# Per-username counting is deliberate (above), so axes' advice to add the IP address is not taken.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- Work rules (issue 5).
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_MB", "20")) * 1024 * 1024
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_MB", "20")) * 1024 * 1024  # uploaded documents
# Zip-based uploads (.xlsx, .docx) are checked before any parser opens them
# (obligations/importers/zipcheck.py): zip bombs, huge declared sheets, shared-strings floods.
UPLOAD_MAX_UNPACKED_MB = int(os.environ.get("UPLOAD_MAX_UNPACKED_MB", "50"))
UPLOAD_MAX_COMPRESSION_RATIO = int(os.environ.get("UPLOAD_MAX_COMPRESSION_RATIO", "100"))
UPLOAD_MAX_ZIP_MEMBERS = int(os.environ.get("UPLOAD_MAX_ZIP_MEMBERS", "1000"))
UPLOAD_XLSX_MAX_ROWS = int(os.environ.get("UPLOAD_XLSX_MAX_ROWS", "20000"))
UPLOAD_XLSX_MAX_COLUMNS = int(os.environ.get("UPLOAD_XLSX_MAX_COLUMNS", "100"))
UPLOAD_XLSX_MAX_SHARED_STRINGS = int(os.environ.get("UPLOAD_XLSX_MAX_SHARED_STRINGS", "2000000"))
UPLOAD_PARSE_SECONDS = float(os.environ.get("UPLOAD_PARSE_SECONDS", "30"))
DUE_SOON_DAYS = int(os.environ.get("DUE_SOON_DAYS", "7"))  # yellow light window
TASKS_PER_PAGE = 20
ESCALATE_AFTER_DAYS = int(os.environ.get("ESCALATE_AFTER_DAYS", "7"))  # red this long → supervisors
# Reminders and escalations are emailed as one digest per person after each sweep; only those
# at most this many days old (a person added later is not sent last year's reminders).
REMINDER_EMAIL_DAYS = int(os.environ.get("REMINDER_EMAIL_DAYS", "7"))
# The address links in emails point to (the browser's address of this system).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 30
# The reminder task (monitoring.tasks.email_reminders) retries digests the SMTP server did not
# accept: after about this many seconds, doubling each time (jittered, at most 10 min), this
# many times; then it fails with an error in the log and the next run tries again.
EMAIL_RETRY_BACKOFF_SECONDS = int(os.environ.get("EMAIL_RETRY_BACKOFF_SECONDS", "60"))
EMAIL_MAX_RETRIES = int(os.environ.get("EMAIL_MAX_RETRIES", "5"))
ASSESSMENT_INTERVIEW_COUNT = int(os.environ.get("ASSESSMENT_INTERVIEW_COUNT", "1"))  # last N → 约谈
# The assessment page's rendered tables are kept this long per computed result and scope
# (monitoring.views._assessment_cached): only a renamed unit or region waits for it.
ASSESSMENT_PAGE_CACHE_SECONDS = int(os.environ.get("ASSESSMENT_PAGE_CACHE_SECONDS", "600"))

# --- Language and time: a Chinese product on Beijing time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files (served by whitenoise) and uploads (through Django's storage API).
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
# Where `manage.py backup` writes when given no --dir (production: a volume off this machine).
BACKUP_DIR = os.environ.get("BACKUP_DIR", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "obligations.api.auth.ApiClientAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "obligations.api.pagination.Pages",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["obligations.api.auth.PerClientThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": os.environ.get("API_RATE", "600/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "obligations.api.errors.handle_exception",
    # ?format= is ours (json, csv, xlsx of the responsibility list), not DRF's renderer switch.
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer",
                                 "rest_framework.renderers.BrowsableAPIRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "过渡期政策责任落实系统接口",
    "DESCRIPTION": "责任清单、任务、进展报告、进度汇总和考核结果。令牌由管理员在后台创建，"
                   "每个令牌只能看到其区划范围内的数据。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema names every endpoint and field: signed-in users and tokens only (等保).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI from the drf-spectacular-sidecar package: no CDN on an intranet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TaskStatusEnum": "obligations.models.Task.Status",
        "ReviewEnum": "obligations.models.ProgressReport.Review",
        "MilestoneStatusEnum": "obligations.models.Milestone.Status",
        "DispositionKindEnum": "obligations.models.Disposition.Kind",
        "PeriodKindEnum": "obligations.models.Period.Kind",
    },
}

# --- Celery (read by config/celery.py through the CELERY_ namespace).
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Work that must not be lost: acknowledge after the task ran; one task at a time per process.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 5 * 60
CELERY_TASK_TIME_LIMIT = 6 * 60
CELERY_RESULT_EXPIRES = 24 * 60 * 60
# With acks_late on Redis, an unacknowledged task is redelivered after this; keep it
# above the hard time limit.
# A task whose worker died unacknowledged goes back to the queue that long after delivery;
# workers look for such tasks every CELERY_RESTORE_INTERVAL seconds (one small Redis scan).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", 2 * 60 * 60)),
    "unacked_restore_interval": int(os.environ.get("CELERY_RESTORE_INTERVAL", "10")),
    "unacked_restore_throttle": 1,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
# Periodic jobs; the apps add theirs here, e.g.
# "mark-overdue": {"task": "obligations.tasks.mark_overdue", "schedule": crontab(minute=5)}.
CELERY_BEAT_SCHEDULE: dict = {
    # Early morning, Beijing time: lights and reminders first; the sweep then queues the
    # aggregation, which also runs on its own at noon for the day's reports.
    "sweep-overdue": {"task": "monitoring.sweep_overdue", "schedule": crontab(hour=5, minute=0)},
    "aggregate-progress": {"task": "monitoring.aggregate_progress",
                           "schedule": crontab(hour=12, minute=30)},
    # The draft of this year's assessment, after the night's lights; never a published year.
    "draft-assessment": {"task": "monitoring.draft_assessment",
                         "schedule": crontab(hour=5, minute=30)},
    # Missed screening rounds (households), before the morning's reminder email.
    "remind-missed-rounds": {"task": "households.remind_missed_rounds",
                             "schedule": crontab(hour=4, minute=45)},
    # An open-ended period's milestones reach to the end of next year (obligations.periods):
    # each January they are extended by a year, before the morning's sweep.
    "extend-milestones": {"task": "obligations.extend_milestones",
                          "schedule": crontab(hour=4, minute=30, day_of_month=2, month_of_year=1)},
}
# After a report, review or import, the summaries are rebuilt this many seconds later,
# once for all the changes in between (monitoring.freshness).
SUMMARY_REBUILD_DELAY_SECONDS = int(os.environ.get("SUMMARY_REBUILD_DELAY_SECONDS", "60"))
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(VAR_DIR / "celerybeat-schedule")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's own "django" logger prints to the console only under DEBUG; route it
    # through the root handler instead so each line appears once, in every environment.
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True}},
}

# Keys outside the database and the repository (obligations/keys.py): the audit chain's
# HMAC-SM3 key and the assessment seal's. Production reads them from AUDIT_KEY / SEAL_KEY or
# from files under KEY_DIR that operations create; only local and test settings make missing
# ones (under var/, which git ignores).
KEY_DIR = Path(os.environ.get("KEY_DIR") or BASE_DIR / "var" / "keys")
KEYS_CREATE_MISSING = False
# Proxies whose X-Forwarded-For is believed for the client IP of audit rows (等保 8.1.4.3).
TRUSTED_PROXIES = [p for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p]
# Audit rows are kept at least this long; the purge refuses younger ones (等保: ≥ 180 days).
AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("AUDIT_RETENTION_DAYS", "365")))
# API tokens expire; a new one is valid this many days unless the administrator sets a date.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "365"))
# 衔接资金: money arranged for a project and not spent this many months later is "idle" on the
# funds dashboard (issue 15 item 3).
FUNDS_IDLE_MONTHS = int(os.environ.get("FUNDS_IDLE_MONTHS", "6"))

# 防止返贫动态监测 (households/): the SM4 key version new personal data is encrypted with
# (key `households_v<N>`, obligations/keys.py), the 公示 period, the 风险消除 conditions.
HOUSEHOLD_KEY_VERSION = int(os.environ.get("HOUSEHOLD_KEY_VERSION", "1"))
HOUSEHOLD_NOTICE_DAYS = int(os.environ.get("HOUSEHOLD_NOTICE_DAYS", "5"))
HOUSEHOLD_ELIMINATION = {"months_stable": 6, "needs_assurances": True, "min_measures_done": 1}
