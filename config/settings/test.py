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
# Local demo accounts (obligations.services.seed.DEMO_ACCOUNTS) are created by load_seed; never in production.
DEMO_ACCOUNTS = True
# Two test runs in one checkout at once (a developer and a helper) each need their own database.
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}  # noqa: F405

# Keys (obligations/keys.py) are made on first use under var/keys/ (ignored by git).
KEYS_CREATE_MISSING = True
