"""API tokens (issue 14 item 6): an expiry date, the time of last use, writing only for the
units named on the token, and the key shown once on a page, never in a cookie."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from obligations.models import ApiClient, ProgressReport, Region, Task, Unit
from obligations.services.api_clients import create_api_client

LONGDE = "隆党发〔2021〕2号"


def _api(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def _payload(task):
    return {"task": task.pk, "expected_version": task.version, "status": "in_progress",
            "percent": 30, "narrative": "接口填报"}


def _task(unit_name):
    return Task.objects.filter(obligation__document__doc_number=LONGDE,
                               unit__name=unit_name).first()


def test_an_expired_token_is_refused_with_the_date(seeded):
    client, key = create_api_client(name="过期", region=Region.objects.get(code="640423"),
                                    can_write=False, actor=None)
    assert _api(key).get("/api/v1/tasks/").status_code == 200
    ApiClient.objects.filter(pk=client.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1))
    response = _api(key).get("/api/v1/tasks/")
    assert response.status_code == 401 and "过期" in response.json()["detail"]


def test_the_time_of_last_use_is_kept_to_the_minute(seeded, django_assert_num_queries):
    client, key = create_api_client(name="用时", region=Region.objects.get(code="640423"),
                                    can_write=False, actor=None)
    assert client.last_used_at is None
    _api(key).get("/api/v1/regions/")
    client.refresh_from_db()
    first = client.last_used_at
    assert first is not None and timezone.now() - first < datetime.timedelta(seconds=30)
    _api(key).get("/api/v1/regions/")
    client.refresh_from_db()
    assert client.last_used_at == first  # not rewritten on every request


def test_a_writing_token_reports_only_for_the_units_it_names(seeded):
    fupin, minzheng = _task("扶贫办"), _task("民政局")
    _client, key = create_api_client(
        name="扶贫系统", region=Region.objects.get(code="640423"), can_write=True,
        units=[fupin.unit], actor=None)
    api = _api(key)
    refused = api.post("/api/v1/reports/", _payload(minzheng), format="json")
    assert refused.status_code == 403 and not ProgressReport.objects.exists()
    assert api.post("/api/v1/reports/", _payload(fupin), format="json").status_code == 201
    assert ProgressReport.objects.get().task == fupin


@pytest.mark.parametrize(("can_write", "units", "field"), [
    (True, lambda: [], "units"),
    (False, lambda: [Unit.objects.get(region__code="640423", name="扶贫办")], "units"),
    (True, lambda: [Unit.objects.get(name="新宾满族自治县人民政府")], "units"),
])
def test_token_units_are_checked(seeded, can_write, units, field):
    with pytest.raises(ValidationError) as refused:
        create_api_client(name="检查", region=Region.objects.get(code="640423"),
                          can_write=can_write, units=units(), actor=None)
    assert field in refused.value.message_dict
    assert not ApiClient.objects.exists()


def test_the_admin_shows_the_new_key_once_on_the_page_and_never_in_a_cookie(client, seeded):
    admin = get_user_model().objects.get(username="admin")
    client.force_login(admin)
    region = Region.objects.get(code="640423")
    unit = Unit.objects.get(region=region, name="扶贫办")
    expires = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post("/admin/obligations/apiclient/add/", {
        "name": "民政系统", "region": region.pk, "can_write": "on", "units": [unit.pk],
        "expires_on": expires.isoformat()})
    page = response.content.decode()
    assert response.status_code == 200 and "只在本页显示这一次" in page
    made = ApiClient.objects.get(name="民政系统")
    key = page.split('<code class="api-key">')[1].split("</code>")[0]
    assert ApiClient.hash_key(key) == made.key_hash and made.expires_on == expires
    assert list(made.units.all()) == [unit]
    assert all(key not in morsel.value for morsel in response.cookies.values())
    assert key not in str(client.session.items())
    assert client.get("/admin/obligations/apiclient/").content.decode().count(key) == 0
    assert _api(key).get("/api/v1/tasks/").status_code == 200


def test_the_admin_form_explains_a_writing_token_without_units(client, seeded):
    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.post("/admin/obligations/apiclient/add/", {
        "name": "无单位", "region": Region.objects.get(code="640423").pk, "can_write": "on",
        "expires_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()})
    assert response.status_code == 200 and "须列出可填报的单位" in response.content.decode()
    assert not ApiClient.objects.exists()


def test_the_throttle_lets_requests_through_when_redis_is_down(seeded, settings, caplog):
    _client, key = create_api_client(name="限流", region=Region.objects.get(code="640423"),
                                     can_write=False, actor=None)
    settings.CACHES = {**settings.CACHES,
                       "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}  # nothing listens
    with caplog.at_level("WARNING", logger="obligations.api.auth"):
        response = _api(key).get("/api/v1/regions/")
    assert response.status_code == 200
    assert any("不限流" in r.getMessage() for r in caplog.records)
