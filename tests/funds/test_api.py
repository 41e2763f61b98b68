"""/api/v1/funds/flags/ and /api/v1/funds/summary/: scope and figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from funds.models import LandQuotaProceeds
from obligations.models import Region
from obligations.services.seed import create_demo_accounts, load_catalog


@pytest.fixture
def world(db):
    load_catalog()
    create_demo_accounts()
    for code in ("210422", "210423"):
        LandQuotaProceeds.objects.create(region=Region.objects.get(code=code), year=2023,
                                         proceeds=Decimal("900"), returned=Decimal("100"))


def login(client, name):
    client.force_login(get_user_model().objects.get(username=name))
    return client


def test_flags_in_scope_only(client, world):
    rows = login(client, "xinbin_duban").get("/api/v1/funds/flags/").json()["results"]
    assert [(r["rule"], r["region_code"]) for r in rows] == [("land_quota_returned", "210422")]
    assert "差800.00元" in rows[0]["message"] and rows[0]["clause"] == "二(四)3"
    rows = login(client, "fushun_leader").get("/api/v1/funds/flags/?year=2023").json()["results"]
    assert {r["region_code"] for r in rows} == {"210422", "210423"}
    assert login(client, "fushun_leader").get("/api/v1/funds/flags/?year=2022").json()[
        "results"] == []
    assert login(client, "xinbin").get("/api/v1/funds/flags/").json()["results"] == []
    assert client.get("/api/v1/funds/flags/?year=x").status_code == 400


def test_summary_for_a_region_of_the_users_dashboards(client, world):
    body = login(client, "fushun_leader").get("/api/v1/funds/summary/?region=210422").json()
    assert body["region"]["name"] == "新宾满族自治县" and len(body["flags"]) == 1
    assert login(client, "qingyuan_duban").get(
        "/api/v1/funds/summary/?region=210422").status_code == 404
    assert login(client, "xinbin").get("/api/v1/funds/summary/").status_code == 403


@pytest.mark.parametrize("url", ["/api/v1/funds/flags/?page_size=100",
                                 "/api/v1/funds/summary/?region=210400"])
def test_funds_api_query_counts_do_not_grow_with_rows(client, world, url,
                                                      django_assert_max_num_queries):
    from funds.models import Asset

    login(client, "fushun_leader")
    region = Region.objects.get(code="210422")
    with django_assert_max_num_queries(40) as first:
        assert client.get(url).status_code == 200
    for n in range(12):  # more flagged rows: public assets without a caretaker
        Asset.objects.create(code=f"A{n}", name="路灯", kind="public", region=region,
                             value=Decimal(1))
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    flags = body["results"] if "results" in body else body["flags"]
    assert sum(1 for f in flags if f["rule"] == "asset_public_caretaker") >= 12


# /api/v1/funds/projects/, /allocations/, /assets/: what other systems pull


@pytest.fixture
def library(funds_world):
    import datetime

    from funds.models import Allocation, Asset, AssetIncome, Spending
    from tests.funds.conftest import make_project

    w = funds_world
    longde = make_project(w.village, code="LD-1", status="implementing", funding=Decimal("80000"))
    Spending.objects.create(project=longde, source="central", month=datetime.date(2022, 5, 1),
                            amount=Decimal("30000"))
    xinbin = make_project(w.xinbin, code="XB-1", name="新宾食用菌基地", status="planned",
                          funding=Decimal("50000"))
    qingyuan = make_project(Region.objects.get(code="210423"), code="QY-1", name="清原中药材基地")
    asset = Asset.objects.create(project=xinbin, code="XB-1-ZC1", name="新宾菌棚", kind="operating",
                                 region=w.xinbin, value=Decimal("50000"), owner="某村集体")
    AssetIncome.objects.create(asset=asset, year=2023, use="households", amount=Decimal("1200"))
    AssetIncome.objects.create(asset=asset, year=2023, use="collective", amount=Decimal("800"))
    for code, amount in (("210422", "500000"), ("210423", "700000"), ("640423", "900000")):
        Allocation.objects.create(year=2022, source="central", amount=Decimal(amount),
                                  from_region=Region.objects.get(code=code[:4] + "00"),
                                  to_region=Region.objects.get(code=code), doc_number="某财农〔2022〕1号")
    w.projects = {"longde": longde, "xinbin": xinbin, "qingyuan": qingyuan}
    return w


def _codes(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return sorted(row["code"] for row in response.json()["results"])


def test_projects_api_shows_each_persona_its_own_places_only(client, library):
    assert _codes(login(client, "xinbin"), "/api/v1/funds/projects/") == ["XB-1"]
    assert _codes(login(client, "qingyuan_duban"), "/api/v1/funds/projects/") == ["QY-1"]
    assert _codes(login(client, "fushun_leader"), "/api/v1/funds/projects/") == ["QY-1", "XB-1"]
    assert _codes(login(client, "longde_chengguan"), "/api/v1/funds/projects/") == ["LD-1"]
    # a sibling's project is answered as if it did not exist
    other = library.projects["qingyuan"].pk
    assert login(client, "xinbin").get(f"/api/v1/funds/projects/{other}/").status_code == 404


def test_project_record_carries_targets_funding_and_spending(client, library):
    body = login(client, "longde_nongban").get(
        f"/api/v1/funds/projects/{library.projects['longde'].pk}/").json()
    assert body["region"] == {"code": "640423100201", "name": "北关村"}
    assert body["status_name"] == "实施" and body["category_name"] == "产业发展"
    assert (body["funded"], body["spent"]) == ("80000.00", "30000.00")
    assert body["fundings"][0]["source_name"] == "中央财政衔接推进乡村振兴补助资金"
    assert body["targets"][0]["target_value"] == "20座"


def test_projects_api_filters_and_refuses_bad_values(client, library):
    login(client, "fushun_leader")
    assert _codes(client, "/api/v1/funds/projects/?status=planned") == ["XB-1"]
    assert _codes(client, "/api/v1/funds/projects/?region=210423") == ["QY-1"]
    assert _codes(client, "/api/v1/funds/projects/?q=食用菌") == ["XB-1"]
    assert _codes(client, "/api/v1/funds/projects/?year=2021") == []
    for bad in ("status=done", "year=abc", "year=1800", "category=x", "ordering=secret"):
        response = client.get(f"/api/v1/funds/projects/?{bad}")
        assert response.status_code == 400, bad
        assert set(response.json()) & {"status", "year", "category", "ordering"}, bad


def test_allocations_and_assets_api_in_scope(client, library):
    rows = login(client, "fushun_leader").get("/api/v1/funds/allocations/").json()["results"]
    assert sorted((r["to_region"]["code"], r["amount"]) for r in rows) == [
        ("210422", "500000.00"), ("210423", "700000.00")]
    rows = login(client, "xinbin").get("/api/v1/funds/allocations/?year=2022").json()["results"]
    assert [r["to_region"]["name"] for r in rows] == ["新宾满族自治县"]
    assert login(client, "xinbin").get("/api/v1/funds/allocations/?source=x").status_code == 400
    assets = login(client, "xinbin_duban").get("/api/v1/funds/assets/").json()["results"]
    assert [(a["name"], a["income"], a["kind_name"]) for a in assets] == [
        ("新宾菌棚", "2000.00", "经营性资产")]
    assert login(client, "qingyuan").get("/api/v1/funds/assets/").json()["results"] == []


@pytest.mark.parametrize("url", ["/api/v1/funds/projects/", "/api/v1/funds/assets/",
                                 "/api/v1/funds/allocations/"])
def test_funds_lists_run_a_fixed_number_of_queries(client, library, url,
                                                   django_assert_max_num_queries):
    import datetime

    from funds.models import Allocation, Asset, PerformanceTarget, ProjectFunding
    from tests.funds.conftest import make_project

    login(client, "fushun_leader")
    with django_assert_max_num_queries(30) as first:
        assert client.get(url).status_code == 200
    xinbin = library.xinbin
    for n in range(10):
        project = make_project(xinbin, code=f"XB-N{n}", targets=2, funding=Decimal("10"))
        PerformanceTarget.objects.create(project=project, kind="effect", indicator="增收",
                                         target_value="1000元")
        ProjectFunding.objects.create(project=project, source="county", amount=Decimal(5),
                                      allocated_on=datetime.date(2022, 4, 1))
        Asset.objects.create(project=project, code=f"XB-N{n}-ZC", name="菌棚", kind="public",
                             region=xinbin, value=Decimal(1), caretaker="村委会")
        Allocation.objects.create(year=2023 + n % 3, source="county", amount=Decimal(1),
                                  to_region=xinbin)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert len(response.json()["results"]) >= 10
