"""The Celery app. Tasks live in each app's ``tasks.py`` and are autodiscovered.

Settings come from Django settings under the ``CELERY_`` prefix (see
``config/settings/base.py``). Tasks take ids, not objects, are idempotent and
call a service; queue them with ``transaction.on_commit``.
"""

import os

from celery import Celery

# Production unless told otherwise (config/settings/production.py): a worker started without the
# variable must not send mail to the console and mark reminders as sent.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="config.ping")
def ping() -> str:
    """Round trip through broker, worker and result backend; touches no database."""
    return "pong"
