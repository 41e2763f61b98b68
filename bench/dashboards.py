"""The leadership dashboards (issue 8) on the synthetic province: server time of each page
through the full Django stack (test client, session login), median and p95 over N requests.
Target: median under 300 ms. Run after bench.jobs, which builds the province, its summaries
and the 2023 assessment."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from monitoring.assessment import publish_assessment
from monitoring.models import AssessmentYear
from obligations.models import Membership, Region, Unit


def signed_in_leader(province) -> Client:
    """A test client signed in as the province's leader, second factor passed (leaders must)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    leader, _created = get_user_model().objects.get_or_create(username="bench_leader")
    Membership.objects.get_or_create(user=leader, unit=None, role="leader", region=province)
    http = Client()
    http.force_login(leader)
    device = (TOTPDevice.objects.filter(user=leader).first()
              or TOTPDevice.objects.create(user=leader, name="基准", confirmed=True))
    session = http.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return http


def run(*, repeat_requests: int, timed) -> list[tuple]:
    province = Region.objects.filter(name__startswith="合成省").order_by("code").first()
    city = Region.objects.filter(parent=province).order_by("code").first()
    county = Region.objects.filter(parent=city).order_by("code").first()
    unit = Unit.objects.filter(region=county, kind="department").order_by("id").first()
    if AssessmentYear.objects.filter(year=2023, status="draft").exists():
        publish_assessment(2023, actor=None)
    http = signed_in_leader(province)
    pages = [
        ("看板：全省总览", reverse("monitoring:overview"), {"year": 2024}),
        ("看板：市", reverse("monitoring:region", args=[city.code]), {"year": 2024}),
        ("看板：县", reverse("monitoring:region", args=[county.code]), {"year": 2024}),
        ("看板：单位", reverse("monitoring:unit", args=[unit.pk]), {"year": 2024}),
        ("看板：各文件落实情况", reverse("monitoring:documents"), {}),
        ("看板：2023年度考核", reverse("monitoring:assessment", args=[2023]), {}),
    ]
    baseline = timed(lambda: http.get(reverse("obligations:notifications")), repeat=50)
    rows = []
    for label, url, params in pages:

        def fetch(url=url, params=params):
            response = http.get(url, params)
            assert response.status_code == 200, (url, response.status_code)

        fetch()  # warm
        samples = timed(fetch, repeat=repeat_requests)
        rows.append((label, f"{repeat_requests}次请求", samples, baseline,
                     "目标中位数 <0.3 秒；基线：同一会话 GET /notifications/（登录+页面框架的最小开销）"))
    return rows
