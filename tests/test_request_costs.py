"""What a request costs (issue 17): sessions in Redis, so the idle timeout is not a database
write per page; the task page in a fixed number of queries however much history the task has;
the sign-in page doing no database work; static files cached by browsers for a year; passwords
hashed with Argon2id and old hashes upgraded at the next sign-in."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from obligations.models import Milestone, ProgressReport, Task
from tests.obligations.test_pages import as_user, fupin_task, report_data

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def people(seeded):
    return {u.username: u for u in get_user_model().objects.all()}


def _writes(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper()
            .startswith(WRITES)]


def test_a_signed_in_page_renews_the_session_in_redis_without_a_database_write(client, people):
    client = as_user(client, people, "longde_fupin")
    client.get(reverse("obligations:tasks"))
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    store = caches[settings.SESSION_CACHE_ALIAS]
    cache_key = "django.contrib.sessions.cache" + key
    store.touch(cache_key, 60)  # as if the user had been idle most of the half hour
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("obligations:tasks"))
    assert response.status_code == 200
    assert _writes(captured) == []
    assert "django_session" not in " ".join(q["sql"] for q in captured.captured_queries)
    # The idle limit starts again from this request: the session's TTL in Redis is renewed.
    ttl = store._cache.get_client(cache_key).ttl(store.make_and_validate_key(cache_key))
    assert settings.SESSION_COOKIE_AGE - 5 <= ttl <= settings.SESSION_COOKIE_AGE


def test_the_sign_in_page_asks_the_database_nothing(client, seeded):
    client.get(reverse("login"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("login"))
    assert response.status_code == 200 and "登录" in response.content.decode()
    assert len(captured) == 0


def test_the_task_page_costs_the_same_queries_with_a_long_history(client, people):
    task = fupin_task()
    url = reverse("obligations:task", args=[task.pk])
    official = as_user(client, people, "longde_fupin")
    supervisor = people["longde_nongban"]

    def returned_report(i):
        task.refresh_from_db()
        official.post(reverse("obligations:report", args=[task.pk]), report_data(
            task, percent=str(10 + i),
            uploads=SimpleUploadedFile(f"佐证{i}.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")))
        report = ProgressReport.objects.filter(task=task).latest("id")
        ProgressReport.objects.filter(pk=report.pk).update(
            review="returned", review_comment=f"请补充{i}", reviewed_by=supervisor)

    returned_report(0)
    official.get(url)
    with CaptureQueriesContext(connection) as few:
        assert official.get(url).status_code == 200
    # Reports with evidence, returned and resubmitted, more milestones: a query per row shows.
    for i in range(1, 8):
        returned_report(i)
    Milestone.objects.bulk_create([
        Milestone(task=task, due_on=datetime.date(2025, 1 + i, 10)) for i in range(10)])
    with CaptureQueriesContext(connection) as many:
        response = official.get(url)
    html = response.content.decode()
    assert html.count("佐证") >= 8 and "请补充7" in html
    assert len(many) == len(few)
    assert len(many) <= 20, [q["sql"][:120] for q in many.captured_queries]


def test_the_production_hash_is_argon2id_and_old_hashes_are_upgraded_at_sign_in(client, seeded,
                                                                                 settings):
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "accounts.hashers.Argon2idHasher"
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    user = get_user_model().objects.get(username="longde_fupin")
    old = PBKDF2PasswordHasher()
    user.password = old.encode("Lao-mima-2021x", old.salt())
    user.save(update_fields=["password"])
    login = client.get(reverse("login"))
    response = client.post(reverse("login"), {
        "username": "longde_fupin", "password": "Lao-mima-2021x",
        "csrfmiddlewaretoken": login.cookies["csrftoken"].value if "csrftoken" in login.cookies
        else ""})
    assert response.status_code == 302
    user.refresh_from_db()
    # RFC 9106's second recommended parameters: 64 MiB, 3 passes, 4 lanes.
    assert user.password.startswith("argon2$argon2id$v=19$m=65536,t=3,p=4$")
    assert user.check_password("Lao-mima-2021x") and not user.check_password("lao-mima-2021x")


@pytest.fixture
def manifest_static(tmp_path, settings):
    """The production static storage (hashed names), collected into a scratch directory."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    call_command("collectstatic", "--noinput", verbosity=0)
    return tmp_path


def test_hashed_static_files_are_cached_for_a_year_and_the_page_names_them(manifest_static,
                                                                         rf):
    from django.templatetags.static import static
    from whitenoise.middleware import WhiteNoiseMiddleware

    url = static("obligations/favicon.svg")
    assert url != "/static/obligations/favicon.svg"  # the name carries the content's hash
    middleware = WhiteNoiseMiddleware(lambda request: None)
    response = middleware(rf.get(url))
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "immutable" in cache_control
    assert int(cache_control.split("max-age=")[1].split(",")[0]) >= 365 * 24 * 60 * 60
    # The unhashed name (which a later release changes) is not cached for long.
    plain = middleware(rf.get("/static/obligations/favicon.svg"))
    assert plain.status_code == 200 and "immutable" not in plain["Cache-Control"]
    assert int(plain["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 3600


def test_gunicorn_configuration_follows_the_cores_and_reads_the_environment(monkeypatch):
    import importlib.util
    import multiprocessing

    def load():
        spec = importlib.util.spec_from_file_location("gunicorn_conf",
                                                      settings.BASE_DIR / "config/gunicorn.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    default = load()
    assert default.workers == 2 * multiprocessing.cpu_count()
    assert default.worker_class == "gthread" and default.timeout == 60
    monkeypatch.setenv("GUNICORN_WORKERS", "9")
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:9000")
    configured = load()
    assert configured.workers == 9 and configured.bind == "0.0.0.0:9000"


def test_no_task_rows_are_read_per_row_of_the_task_list(client, people):
    """The list's 待审核 badge reads the waiting reports through the partial index, in the
    one list query (issue 17): the page costs the same with waiting reports on every row."""
    official = as_user(client, people, "longde_fupin")
    url = reverse("obligations:tasks")
    official.get(url)
    with CaptureQueriesContext(connection) as few:
        official.get(url)
    for task in Task.objects.filter(unit__name="扶贫办", unit__region__code="640423")[:6]:
        official.post(reverse("obligations:report", args=[task.pk]), report_data(task))
    with CaptureQueriesContext(connection) as many:
        html = official.get(url).content.decode()
    assert html.count("待审核") >= 6
    assert len(many) == len(few)
