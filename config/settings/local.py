"""Development: ``make run`` sets it (``manage.py`` and Celery default to production). Starts the
embedded servers when needed."""

import os

from config.embedded import ensure_services

# Asked before ensure_services fills the variable in: the embedded database, or one given from
# outside (which may hold real data)?
EMBEDDED_DATABASE = (not os.environ.get("DATABASE_URL")
                     or os.environ.get("DATABASE_URL") == os.environ.get("EMBEDDED_DATABASE_URL"))
ensure_services()  # sets DATABASE_URL / REDIS_URL when unset; must run before base reads them

from .base import *  # noqa: E402, F403
from .base import env_bool  # noqa: E402

# Off by default, so that `make run` shows what users see: the Chinese 404/403/500 pages, not
# Django's English technical pages. `DEBUG=1 make run` for tracebacks in the browser.
DEBUG = env_bool("DEBUG", False)
# whitenoise serves static files straight from the apps (no collectstatic after each edit).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# whitenoise warns on every request while collectstatic has not run yet.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# Mail to the console (and reminders marked sent) only on the embedded database; against a
# database from DATABASE_URL, base's SMTP settings (EMAIL_HOST …), so nobody's reminder is lost.
if EMBEDDED_DATABASE:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Local demo accounts (obligations.services.seed.DEMO_ACCOUNTS, password demo-2021, an administrator
# among them) by load_seed: on the embedded database unless DEMO_ACCOUNTS=0; against a database
# from DATABASE_URL only with DEMO_ACCOUNTS=1. Never in production.
DEMO_ACCOUNTS = env_bool("DEMO_ACCOUNTS", EMBEDDED_DATABASE)
# ... and they sign in without a second factor, their password never expires (accounts;
# README 账号与登录). Only here: test settings enforce both, production never sets it.
DEMO_ACCOUNTS_EXEMPT = True

# Keys (obligations/keys.py) are made on first use under var/keys/ (ignored by git).
KEYS_CREATE_MISSING = True
