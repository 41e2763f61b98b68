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
