"""The funds dashboard (funds/dashboards.py, /funds/dashboard/…, /funds/flags/) on a small
example in 新宾县 (catalog regions, demo accounts)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from funds import dashboards
from funds.models import Allocation, Asset, Project, ProjectFunding, Spending
from obligations.models import Region, RegionCategory
from obligations.services.seed import create_demo_accounts, load_catalog

D = Decimal
TODAY = datetime.date(2024, 9, 15)


@pytest.fixture
def world(db):
    load_catalog()
    create_demo_accounts()
    xinbin = Region.objects.get(code="210422")
    township = Region.objects.filter(parent=xinbin).first() or Region.objects.create(
        code="210422100", name="新宾镇", level="township", parent=xinbin)
    return xinbin, township


def user(name):
    return get_user_model().objects.get(username=name)


def make(place, code, *, year=2024, industry=True, status="implementing", funded="1000",
         on=datetime.date(2024, 1, 10), spent=()):
    p = Project.objects.create(code=code, name=f"项目{code}", year=year, region=place,
                               category="industry" if industry else "public_service",
                               counts_as_industry=industry, status=status)
    ProjectFunding.objects.create(project=p, source="central", amount=D(funded), allocated_on=on)
    for month, amount in spent:
        Spending.objects.create(project=p, source="central", month=month, amount=D(amount))
    return p


def test_figures_by_hand(world, settings):
    settings.FUNDS_IDLE_MONTHS = 6
    xinbin, township = world
    RegionCategory.objects.get_or_create(region=xinbin, year=2024, category="provincial_key")
    Allocation.objects.create(year=2024, source="central", to_region=xinbin, amount=D("5000"))
    Allocation.objects.create(year=2024, source="integrated", to_region=xinbin, amount=D("700"))
    old = make(township, "X1", spent=[(datetime.date(2024, 2, 1), "300")])  # idle 700
    make(xinbin, "X2", industry=False, status="planned", funded="1000",
         on=datetime.date(2024, 6, 1))  # arranged after the cut-off (2024-03-15): not idle
    Asset.objects.create(code="A1", name="冷库", kind="operating", region=township, value=D("90"),
                         owner="村集体", project=old)
    Asset.objects.create(code="A2", name="道路", kind="public", region=township, value=D("10"),
                         owner="村集体")
    f = dashboards.summary(xinbin, today=TODAY)
    assert {(r["source"], r["amount"]) for r in f["allocation_by_source"]} == {
        ("central", D("5000")), ("integrated", D("700"))}
    assert [(r["county_type"], r["amount"]) for r in f["allocation_by_county_type"]] == [
        ("provincial_key", D("5700"))]
    assert [(r["year"], r["share"]) for r in f["industry_share"]] == [(2024, D("0.5"))]
    assert {r["status"]: r["projects"] for r in f["pipeline"]} == {"implementing": 1, "planned": 1}
    assert (f["spending"]["arranged"], f["spending"]["spent"]) == (D("2000"), D("300"))
    by_region = {r["code"]: (r["arranged"], r["spent"]) for r in f["spending"]["by_region"]}
    assert by_region[township.code] == (D("1000"), D("300"))
    assert by_region[xinbin.code] == (D("1000"), D("0"))
    assert f["idle"]["cutoff"] == datetime.date(2024, 3, 15)
    assert f["idle"]["amount"] == D("700") and [r["code"] for r in f["idle"]["projects"]] == ["X1"]
    assert [(r["kind"], r["owner"], r["count"]) for r in f["assets"]] == [
        ("operating", "村集体", 1), ("public", "村集体", 1)]
    settings.FUNDS_IDLE_MONTHS = 9  # cut-off 2023-12-15: nothing arranged that early
    assert dashboards.summary(xinbin, today=TODAY)["idle"]["amount"] == 0


def test_page_for_the_county_and_refused_to_a_sibling(client, world):
    xinbin, township = world
    p = make(township, "X9")
    p.labour_wages_due = D("10")
    p.save()
    client.force_login(user("xinbin_duban"))
    body = client.get("/funds/dashboard/210422/").content.decode()
    assert "新宾满族自治县" in body and "以工代赈劳务报酬足额发放" in body
    assert client.get("/funds/dashboard/").status_code == 302
    assert "未足额发放" in client.get("/funds/flags/?rule=work_relief_wages").content.decode()
    assert client.get("/funds/flags/?rule=nonsense").status_code == 400
    assert client.get("/funds/dashboard/210422/?year=abc").status_code == 400
    client.force_login(user("qingyuan_duban"))
    assert client.get("/funds/dashboard/210422/").status_code == 404
    assert "未足额发放" not in client.get("/funds/flags/").content.decode()
    client.force_login(user("xinbin"))  # an official: no dashboards
    assert client.get("/funds/dashboard/210422/").status_code == 403


def test_dashboard_query_count_is_bounded(client, world, django_assert_max_num_queries):
    xinbin, township = world
    client.force_login(user("fushun_leader"))
    client.get("/funds/dashboard/210400/")
    for n in range(3):
        for i in range(5):
            p = make(township, f"Q{n}{i}", spent=[(datetime.date(2024, 1 + n, 1), "1")])
            Asset.objects.create(code=f"Q{n}{i}", name="x", kind="public", region=township,
                                 value=D(1), project=p)
        with django_assert_max_num_queries(40):
            assert client.get("/funds/dashboard/210400/").status_code == 200
        with django_assert_max_num_queries(40):
            assert client.get("/funds/flags/").status_code == 200
