"""funds/rules.py: each rule on a small example computed by hand (regions made here, not the
catalog, so that no demo county category changes the figures)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from funds import rules
from funds.models import (
    Allocation,
    Asset,
    AssetIncome,
    LandQuotaProceeds,
    Project,
    ProjectFunding,
    RevenueBase,
    RuleThreshold,
)
from obligations.models import (
    Obligation,
    PolicyDocument,
    Region,
    RegionCategory,
    TransitionRule,
)

pytestmark = pytest.mark.django_db
D = Decimal


def region(code, name, level, parent=None):
    return Region.objects.create(code=code, name=name, level=level, parent=parent)


@pytest.fixture
def admin_user():
    return get_user_model().objects.create_user("rules_admin", password="x" * 16)


@pytest.fixture
def fujian():
    province = region("350000", "福建省", "province")
    city = region("350100", "福州市", "city", province)
    return province, city, region("350121", "闽侯县", "county", city), \
        region("350122", "连江县", "county", city)


@pytest.fixture
def qinghai():
    province = region("630000", "青海省", "province")
    city = region("632200", "海北州", "city", province)
    counties = [region(f"63222{i}", name, "county", city)
                for i, name in enumerate(["门源县", "祁连县", "海晏县", "刚察县"], start=1)]
    return province, city, counties


def allocate(to, year, amount, source="central", from_region=None):
    return Allocation.objects.create(year=year, source=source, to_region=to, amount=D(amount),
                                     from_region=from_region)


def project(place, year, code, *, category="industry", industry=True, **extra):
    return Project.objects.create(code=code, name=f"项目{code}", year=year, region=place,
                                  category=category, counts_as_industry=industry, **extra)


def fund(p, amount, source="central"):
    return ProjectFunding.objects.create(project=p, source=source, amount=D(amount),
                                         allocated_on=datetime.date(p.year, 3, 1))


def flags(code, **kwargs):
    return [f for f in rules.check_all(**kwargs) if f.rule == code]


def test_fujian_permille_against_the_previous_years_revenue(fujian):
    province, city, a, b = fujian
    # 2021 revenue: 1,000,000,000 + 300,000,000 + 100,000,000 + 100,000,000 = 1.5e9; 2‰ = 3,000,000
    for place, amount in ((province, "1000000000"), (city, "300000000"), (a, "100000000"),
                          (b, "100000000")):
        RevenueBase.objects.create(region=place, year=2021, general_budget_revenue=D(amount))
    allocate(a, 2022, "2000000", "fujian_permille", province)
    allocate(b, 2022, "900000", "fujian_permille", province)
    allocate(b, 2022, "5000000", "central", province)  # another source does not count
    found = flags("fujian_permille")
    assert [(f.region_code, f.year) for f in found] == [("350000", 2022)]
    assert "2,900,000.00元" in found[0].message and "3,000,000.00元" in found[0].message
    assert "差100,000.00元" in found[0].message
    assert found[0].clause == "（二十三）" and "福建省" in found[0].document
    allocate(a, 2022, "100000", "fujian_permille", province)  # now exactly 2‰
    assert flags("fujian_permille") == []


def test_fujian_pairing_counts_what_a_marked_developed_county_gives(fujian, admin_user):
    _, _, a, b = fujian
    far = region("640423", "隆德县", "county")
    RuleThreshold.objects.create(rule="fujian_developed_county", region=a, year=2023,
                                 value=D(0), note="省定经济较发达县名单", set_by=admin_user)
    allocate(far, 2023, "7000000", "pairing", a)
    allocate(far, 2023, "4000000", "pairing", a)
    allocate(far, 2023, "9000000", "pairing", b)  # b is not marked: no rule for it
    found = flags("fujian_pairing")
    assert [(f.region_code, f.year) for f in found] == [("350121", 2023)]
    assert "11,000,000.00元" in found[0].message and "12,000,000.00元" in found[0].message
    assert "rules_admin" in found[0].basis
    allocate(far, 2023, "1000000", "pairing", a)
    assert flags("fujian_pairing") == []


def test_industry_share_must_not_fall_and_meets_a_floor(qinghai, admin_user):
    _, _, (a, b, *_) = qinghai
    village = region("632221100201", "某村", "village",
                     region("632221100", "某镇", "township", a))
    # 2022: 600 / 1000 = 60%; 2023: 500 / 1000 = 50% → fell
    fund(project(village, 2022, "A1"), "600")
    fund(project(a, 2022, "A2", category="public_service", industry=False), "400")
    fund(project(village, 2023, "A3"), "500")
    fund(project(a, 2023, "A4", category="employment", industry=False), "500")
    fund(project(a, 2023, "A5", category="employment", industry=False), "9999", "integrated")
    # b rises: 2022 40%, 2023 70%
    fund(project(b, 2022, "B1"), "40")
    fund(project(b, 2022, "B2", industry=False, category="other"), "60")
    fund(project(b, 2023, "B3"), "70")
    fund(project(b, 2023, "B4", industry=False, category="other"), "30")
    found = flags("industry_share")
    assert [(f.region_code, f.year) for f in found] == [("632221", 2023)]
    assert "50.0%" in found[0].message and "60.0%" in found[0].message
    RuleThreshold.objects.create(rule="industry_share_min", region=b, value=D("75"),
                                 note="县定目标", set_by=admin_user)
    found = flags("industry_share", regions=Region.objects.filter(pk=b.pk))
    assert sorted(f.year for f in found) == [2022, 2023]  # 40% and 70% under 75%
    assert all("rules_admin" in f.basis and "75" in f.message for f in found)


def test_key_tilt_by_each_documents_definition(qinghai):
    province, _, (a, b, c, d) = qinghai
    RegionCategory.objects.create(region=a, year=2022, category="national_key")
    RegionCategory.objects.create(region=b, year=2022, category="poverty_exit")
    # key (a): 100; others (b, c, d): (300 + 200 + 100) / 3 = 200
    allocate(a, 2022, "100")
    allocate(b, 2022, "300")
    allocate(c, 2022, "150")
    allocate(c, 2022, "50", "provincial")
    allocate(d, 2022, "100")
    allocate(d, 2022, "5000", "integrated")  # not 衔接资金
    found = flags("key_tilt")
    assert {f.document for f in found} == {rules.DOCUMENTS["000"], rules.DOCUMENTS["001"]}
    assert all(f.region_code == "630000" and f.year == 2022 for f in found)
    assert "100.00元" in found[0].message and "200.00元" in found[0].message
    assert "国家乡村振兴重点帮扶县" in found[0].basis
    allocate(a, 2022, "100")  # 200 = 200: tilt holds
    assert flags("key_tilt") == []


def test_key_tilt_in_fujian_means_poverty_exit_counties(fujian):
    _, _, a, b = fujian
    RegionCategory.objects.create(region=a, year=2021, category="poverty_exit")
    allocate(a, 2021, "100")
    allocate(b, 2021, "101")
    found = flags("key_tilt")
    assert [f.clause for f in found] == ["（二十三）"] and "脱贫县" in found[0].basis


def _document(province, title, *, issued_on=None, year=2021, phases):
    document = PolicyDocument.objects.create(title=title, region=province, issued_on=issued_on,
                                             issued_year=year)
    obligation = Obligation.objects.create(document=document, kind="measure", code="二.(三)",
                                           position=1, title="整合涉农资金")
    return TransitionRule.objects.create(obligation=obligation, policy=rules.INTEGRATION_POLICY,
                                         kind="window", scope="clause", phases=phases,
                                         clause_text="过渡期前3年脱贫县继续实施…")


FIRST = {"from": "2021-01-01", "until": "2023-12-31", "categories": ["poverty_exit"]}


def test_integration_only_where_the_later_document_allows_it(qinghai):
    province, _, (a, b, c, _) = qinghai
    _document(province, "财政厅行动方案", phases=[FIRST, {
        "from": "2024-01-01", "until": "2025-12-31",
        "categories": ["national_key", "provincial_key"]}])
    for county, year, category in ((a, 2022, "poverty_exit"), (a, 2024, "provincial_key"),
                                   (b, 2024, "national_key")):
        RegionCategory.objects.create(region=county, year=year, category=category)
    allocate(a, 2022, "100", "integrated")  # 脱贫县 in the first 3 years: allowed
    allocate(a, 2024, "100", "integrated")  # provincial key after: allowed by 000
    allocate(b, 2024, "100", "integrated")
    fund(project(c, 2022, "C1"), "300", "integrated")  # c holds no category: refused
    assert [(f.region_code, f.year) for f in flags("integration_county")] == [("632223", 2022)]
    # 001, issued later, keeps integration after 2023 to national key counties only.
    _document(province, "十四五规划", issued_on=datetime.date(2022, 1, 20), year=2022, phases=[
        FIRST, {"from": "2024-01-01", "until": "2025-12-31", "categories": ["national_key"]}])
    found = flags("integration_county")
    assert [(f.region_code, f.year) for f in found] == [("632221", 2024), ("632223", 2022)]
    assert "十四五规划" in found[0].basis and "财政厅行动方案" in found[0].basis
    assert "省级乡村振兴重点帮扶县" in found[0].message


def test_integrated_money_only_for_production_and_infrastructure(qinghai):
    _, _, (a, *_) = qinghai
    fund(project(a, 2022, "I1", category="industry"), "100", "integrated")
    fund(project(a, 2022, "I2", category="infrastructure", industry=False), "100", "integrated")
    bad = project(a, 2022, "I3", category="public_service", industry=False)
    fund(bad, "250", "integrated")
    fund(project(a, 2022, "I4", category="employment", industry=False), "100", "central")
    found = flags("integration_use")
    assert [f.project_id for f in found] == [bad.pk] and "250.00元" in found[0].message


def test_asset_ledger_rules(qinghai):
    _, _, (a, *_) = qinghai
    p = project(a, 2022, "AS1")

    def asset(code, kind, **extra):
        values = {"owner": "村集体", "caretaker": "村委会", "performance_target": "年收益5%",
                  "exit_terms": "经营不善时收回", **extra}
        return Asset.objects.create(code=code, name=f"资产{code}", kind=kind, region=a,
                                    value=D("1000"), project=p, **values)

    asset("OK1", "public")
    asset("OK2", "operating")
    asset("OK3", "operating", status="disposed", disposed_on=datetime.date(2023, 5, 1),
          disposal_approval="县政府批复〔2023〕1号")
    no_caretaker = asset("X1", "public", caretaker="")
    no_terms = asset("X2", "operating", owner="", exit_terms="")
    asset("X3", "household", caretaker="")  # 到户类: none of these asked
    disposed = asset("X4", "public", status="disposed", disposed_on=datetime.date(2023, 6, 1))
    ok = Asset.objects.get(code="OK2")
    AssetIncome.objects.create(asset=ok, year=2023, use="households", amount=D("800"))
    AssetIncome.objects.create(asset=ok, year=2023, use="other", amount=D("120"))
    found = {f.rule: f for f in rules.check_all() if f.rule.startswith("asset_")}
    assert found["asset_public_caretaker"].asset_id == no_caretaker.pk
    assert found["asset_operating_terms"].asset_id == no_terms.pk
    assert "所有权人、退出条款" in found["asset_operating_terms"].message
    assert found["asset_disposal"].asset_id == disposed.pk and found["asset_disposal"].year == 2023
    assert found["asset_income_use"].asset_id == ok.pk and "120.00元" in found[
        "asset_income_use"].message
    assert len([f for f in rules.check_all() if f.rule.startswith("asset_")]) == 4


def test_work_relief_wages_and_land_quota_proceeds(qinghai):
    _, _, (a, b, *_) = qinghai
    short = project(a, 2023, "W1", labour_wages_due=D("50000"), labour_wages_paid=D("42000"))
    project(a, 2023, "W2", labour_wages_due=D("50000"), labour_wages_paid=D("50000"))
    LandQuotaProceeds.objects.create(region=a, year=2023, proceeds=D("900"), returned=D("700"))
    LandQuotaProceeds.objects.create(region=b, year=2023, proceeds=D("900"), returned=D("900"))
    wages = flags("work_relief_wages")
    assert [f.project_id for f in wages] == [short.pk] and "差8,000.00元" in wages[0].message
    land = flags("land_quota_returned")
    assert [(f.region_code, f.year) for f in land] == [("632221", 2023)]
    assert "差200.00元" in land[0].message and land[0].clause == "二(四)3"


def test_years_and_regions_narrow_the_check(qinghai):
    _, _, (a, b, *_) = qinghai
    LandQuotaProceeds.objects.create(region=a, year=2022, proceeds=D("9"), returned=D("1"))
    LandQuotaProceeds.objects.create(region=b, year=2023, proceeds=D("9"), returned=D("1"))
    assert len(flags("land_quota_returned")) == 2
    assert [f.year for f in flags("land_quota_returned", years=[2023])] == [2023]
    assert [f.region_code for f in flags("land_quota_returned",
                                         regions=Region.objects.filter(pk=a.pk))] == ["632221"]


def test_check_all_takes_a_fixed_number_of_queries(qinghai, django_assert_max_num_queries):
    _, _, counties = qinghai
    for n in range(3):
        for i, county in enumerate(counties):
            p = project(county, 2022 + n % 2, f"Q{n}{i}", labour_wages_due=D("5"))
            fund(p, "10", "integrated")
            Asset.objects.create(code=f"Q{n}{i}", name="x", kind="public", region=county,
                                 value=D(1), project=p)
        with django_assert_max_num_queries(20):
            assert rules.check_all()
