"""Safe defaults (issue 14 item 7): a process started without DJANGO_SETTINGS_MODULE runs the
production settings, which refuse to start without a real configuration; mail goes to the
console and demo accounts (an administrator with a published password) are made only on the
embedded development database, never on one given by DATABASE_URL unless asked for.

Each case runs the real command in a subprocess with the environment an operator would have.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from obligations.models import Region
from tests.workers import worker_database_url

ROOT = Path(__file__).resolve().parent.parent
REFUSAL = "生产配置（config.settings.production）缺少环境变量"
# What this process has (pytest-django's settings, the embedded servers' URLs) and an operator's
# shell would not.
CLEARED = ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL",
           "DEMO_ACCOUNTS", "TEST_DATABASE_NAME", "EMBEDDED_DATABASE_URL")
# What a process started by one that started the embedded server inherits (runserver's
# autoreloader child, honcho's processes): DATABASE_URL filled in, and marked as the embedded one.
INHERITED = "postgres://postgres@127.0.0.1:54329/transition"


def bare_environment(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(extra)
    return env


def production_environment(**extra) -> dict[str, str]:
    """A complete production configuration on this test's database (still no settings module)."""
    return bare_environment(
        SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="duban.example.gov.cn",
        DATABASE_URL=worker_database_url(), REDIS_URL=_scratch_redis(),
        AUDIT_KEY=secrets.token_hex(32), SEAL_KEY=secrets.token_hex(32), **extra)


def _scratch_redis() -> str:
    # The embedded Redis, another logical database: nothing of it meets the test's own keys.
    return settings.REDIS_URL.rsplit("/", 1)[0] + "/15"


def run(args, env, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("command", [
    ["manage.py", "check"],
    ["manage.py", "load_seed"],
    ["-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING"],
    ["-m", "gunicorn", "config.wsgi", "--check-config"],
], ids=["manage.py", "load_seed", "celery-worker", "gunicorn"])
def test_without_the_settings_variable_every_entry_point_refuses_to_start(command):
    result = run(command, bare_environment())
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert REFUSAL in output
    assert "SECRET_KEY、ALLOWED_HOSTS、DATABASE_URL、REDIS_URL" in output
    assert "DJANGO_SETTINGS_MODULE=config.settings.local" in output  # what to do instead


PRINT_MAIL_AND_DEMO = ("import config.celery, django; django.setup(); "
                       "from django.conf import settings; "
                       "print(settings.EMAIL_BACKEND, settings.DEMO_ACCOUNTS)")


@pytest.mark.django_db
@pytest.mark.parametrize("environment, expected", [
    # A worker started without the variable, on a real configuration: production.
    (lambda: production_environment(), "django.core.mail.backends.smtp.EmailBackend False"),
    # The local settings named explicitly, but on a database from DATABASE_URL.
    (lambda: bare_environment(DJANGO_SETTINGS_MODULE="config.settings.local",
                              DATABASE_URL=worker_database_url(), REDIS_URL=_scratch_redis()),
     "django.core.mail.backends.smtp.EmailBackend False"),
    # make run: the local settings on the embedded database.
    (lambda: bare_environment(DJANGO_SETTINGS_MODULE="config.settings.local"),
     "django.core.mail.backends.console.EmailBackend True"),
    # …also in runserver's reloaded child, which inherits the URL its parent filled in.
    (lambda: bare_environment(DJANGO_SETTINGS_MODULE="config.settings.local",
                              DATABASE_URL=INHERITED, EMBEDDED_DATABASE_URL=INHERITED,
                              REDIS_URL=_scratch_redis()),
     "django.core.mail.backends.console.EmailBackend True"),
], ids=["no-variable", "local-on-external-database", "local-on-embedded-database",
        "local-child-of-the-embedded-starter"])
def test_console_mail_and_demo_accounts_only_on_the_embedded_database(environment, expected):
    result = run(["-c", PRINT_MAIL_AND_DEMO], environment())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("environment", [
    lambda: production_environment(),
    lambda: bare_environment(DJANGO_SETTINGS_MODULE="config.settings.local",
                             DATABASE_URL=worker_database_url(), REDIS_URL=_scratch_redis()),
], ids=["no-variable", "local-on-external-database"])
def test_load_seed_on_a_real_database_makes_no_demo_administrator(environment):
    result = run(["manage.py", "load_seed"], environment(), timeout=300)
    assert result.returncode == 0, result.stderr
    assert Region.objects.exists()  # the register was loaded ...
    assert not get_user_model().objects.exists()  # ... and no account, the admin least of all
    assert "未创建演示账号：DEMO_ACCOUNTS 未开启" in result.stdout
