"""The web tier under load (`make bench`, bench/load.py): gunicorn serving the benchmark's
database (`bench_<name>`, already built by the benchmark) as production would, on loopback.

Production's choices that cost time are kept: Argon2id password hashes, sessions in Redis,
hashed static files with far-future caching (whitenoise's manifest storage; bench/load.py runs
collectstatic into LOADTEST_STATIC_ROOT first), DEBUG off, second factors required. Only what
needs TLS is off (plain HTTP on loopback: secure cookies would never be sent back)."""

import os
from pathlib import Path

from .base import PASSWORD_HASHERS as PRODUCTION_HASHERS
from .bench import *  # noqa: F403
from .bench import DATABASES

DATABASES["default"]["NAME"] = DATABASES["default"]["TEST"]["NAME"]
PASSWORD_HASHERS = PRODUCTION_HASHERS
STATIC_ROOT = Path(os.environ["LOADTEST_STATIC_ROOT"])
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("LOADTEST_MEDIA_ROOT", STATIC_ROOT.parent / "media"))
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# The API clients pull as fast as the scenario says; the per-token limit is not under test.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
# The reports' summary rebuilds are queued as in production, on a broker database of their own
# that bench/load.py names and empties afterwards (no worker reads it during the benchmark).
CELERY_BROKER_URL = os.environ["LOADTEST_BROKER_URL"]
# Only warnings from the server: every sign-in logs a django-axes line at INFO.
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": "WARNING"}}  # noqa: F405
