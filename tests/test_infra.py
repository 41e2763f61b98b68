"""The infrastructure the domain code relies on: PostgreSQL, Redis, Celery, Chinese admin."""

import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from config.celery import app as celery_app
from config.celery import ping
from tests.workers import celery_worker


@pytest.mark.django_db
def test_database_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int")
        assert cursor.fetchone()[0] >= 150000


def test_cache_round_trips_through_redis():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    key = f"infra-{uuid.uuid4()}"
    cache.set(key, {"单位": "县委农办", "n": 3}, timeout=30)
    try:
        assert cache.get(key) == {"单位": "县委农办", "n": 3}
        # Really in Redis, not in this process: read it back with a raw client.
        raw = cache._cache.get_client(key)
        assert raw.exists(cache.make_and_validate_key(key)) == 1
    finally:
        cache.delete(key)
    assert cache.get(key) is None


@pytest.mark.django_db
def test_admin_login_page_is_in_chinese(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="zh-hans"' in page
    assert "登录" in page


def test_root_asks_anonymous_users_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login/?next=/"
    assert "登录" in client.get("/login/").content.decode()


@pytest.fixture
def celery_worker_queue():
    """The worker inherits DATABASE_URL / REDIS_URL, which the test settings exported."""
    with celery_worker() as queue:
        yield queue


def test_celery_task_runs_on_a_real_worker(celery_worker_queue):
    assert not celery_app.conf.task_always_eager
    assert celery_app.conf.broker_url.startswith("redis://")
    result = ping.apply_async(queue=celery_worker_queue)
    assert result.get(timeout=60) == "pong"
    assert result.successful()


def test_favicon_is_served_by_the_app(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/static/obligations/favicon.svg")


def test_the_broker_keeps_an_append_only_file_flushed_every_second():
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        assert client.config_get("appendfsync") == {"appendfsync": "everysec"}
    finally:
        client.close()
