"""pytest (``pyproject.toml`` points pytest-django here). Starts the embedded servers when needed.

pytest-django creates ``test_<name>`` on the same PostgreSQL server. Celery is
*not* eager: tests that want eager execution say so themselves, and
``tests/test_infra.py`` runs a real worker on the real broker.
"""

import os

from config.embedded import ensure_services

ensure_services()

from .base import *  # noqa: E402, F403
from .base import CACHES  # noqa: E402

DEBUG = False
# whitenoise warns on every request while collectstatic has not run yet.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
SECRET_KEY = "django-insecure-test-only-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Fast hashing: tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In memory, unless a test's worker process is pointed at a loopback SMTP server
# (tests/monitoring/test_mail_retries.py).
EMAIL_BACKEND = os.environ.get("TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# Same Redis as development, separate key space.
CACHES["default"]["KEY_PREFIX"] = "test"
CACHES["sessions"]["KEY_PREFIX"] = "test-session"
# Local demo accounts (obligations.services.seed.DEMO_ACCOUNTS) are created by load_seed; never in production.
DEMO_ACCOUNTS = True
# Two test runs in one checkout at once (a developer and a helper) each need their own database.
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}  # noqa: F405
# A second database on the same server standing in for the read replica: created (and migrated)
# only for a test that names it (`django_db(databases=[..., "replica"])`,
# tests/test_replica_router.py); never a TEST MIRROR, which would be the primary under another
# name. Its NAME is the test name too, so nothing reaches a real database through it. The
# router stays off (an exported DATABASE_REPLICA_URL changes nothing here); that test installs it.
_replica_test_name = (DATABASES["default"].get("TEST", {}).get("NAME")  # noqa: F405
                      or "test_" + DATABASES["default"]["NAME"]) + "_replica"  # noqa: F405
DATABASES["replica"] = {**DATABASES["default"], "NAME": _replica_test_name,  # noqa: F405
                        "TEST": {"NAME": _replica_test_name}}
DATABASE_ROUTERS: list[str] = []

# Keys (obligations/keys.py) are made on first use under var/keys/ (ignored by git).
KEYS_CREATE_MISSING = True
