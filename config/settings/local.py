"""Development: ``manage.py``, ``make run``. Starts the embedded servers when needed."""

from config.embedded import ensure_services

ensure_services()  # sets DATABASE_URL / REDIS_URL when unset; must run before base reads them

from .base import *  # noqa: E402, F403
from .base import env_bool  # noqa: E402

DEBUG = env_bool("DEBUG", True)
# whitenoise warns on every request while collectstatic has not run yet.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Local demo accounts (obligations.seed.DEMO_ACCOUNTS) are created by load_seed; never in production.
DEMO_ACCOUNTS = True
