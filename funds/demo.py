"""Demo funds data (issue 15 item 10): a funds history for the demo counties, and funds at
scale for the synthetic province (bench).

`build_demo_funds` gives 隆德县, 新宾 and 清原 (with 抚顺市, and Fujian's province for the 2‰
rule) allocations 2021–2025 by source, projects in every state with their 绩效目标, funding,
transitions and monthly spending, assets of each kind with income, revenue bases, and rows
that trip each funds rule (funds/rules.py) at least once — listed in TRIGGERS. Everything is
bulk-created; a second run finds the demo's projects and writes nothing.

`generate_funds` puts ≈ 50 projects per county per year with monthly spending on any set of
counties (the synthetic province of monitoring.synthetic), for `make bench`.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from funds.models import (
    Allocation,
    Asset,
    AssetIncome,
    FundSource,
    LandQuotaProceeds,
    PerformanceTarget,
    Project,
    ProjectFunding,
    ProjectTransition,
    RevenueBase,
    RuleThreshold,
    Spending,
)
from obligations.models import Region, RegionCategory, Unit

YEARS = range(2021, 2026)
DEMO_PREFIX = "DEMO-"
S = Project.Status
C = Project.Category
# the workflow's order; 退回 sits beside it
FLOW = [S.DECLARED, S.TOWNSHIP_REVIEWED, S.COUNTY_APPROVED, S.IN_LIBRARY, S.PLANNED,
        S.IMPLEMENTING, S.ACCEPTED, S.HANDED_OVER, S.EVALUATED]
SPENDING_STATES = {S.IMPLEMENTING, S.ACCEPTED, S.HANDED_OVER, S.EVALUATED}
FUNDED_STATES = SPENDING_STATES | {S.PLANNED}

# The rules the demo trips (funds.rules.RULES codes) and the rows that do it.
TRIGGERS = {
    "fujian_permille": "福建省2023年2‰资金少下达",
    "fujian_pairing": "晋江市2024年对口帮扶资金不足1200万元",
    "industry_share": "隆德县2023年产业发展比例低于2022年",
    "key_tilt": "抚顺市2022年抚顺县（非重点县）获得的衔接资金多于新宾、清原",
    "integration_county": "隆德县2025年仍有统筹整合资金",
    "integration_use": "隆德县就业项目安排了整合资金",
    "asset_public_caretaker": "清原公益性资产无管护主体",
    "asset_operating_terms": "新宾经营性资产无退出条款",
    "asset_disposal": "隆德县资产处置无审批文件",
    "asset_income_use": "隆德县资产收益用于其他用途",
    "work_relief_wages": "隆德县以工代赈项目劳务报酬未足额发放",
    "land_quota_returned": "新宾2023年增减挂钩收益未全部返还",
}

DEMO_PLACES = [  # (code, name, level, parent code) created when missing
    ("640423100201", "北关村", "village", "640423100"),
    ("640423100202", "红崖村", "village", "640423100"),
    ("640423101201", "沙塘村", "village", "640423101"),
    ("210422100", "永陵镇", "township", "210422"),
    ("210422100201", "赫图阿拉村", "village", "210422100"),
    ("210423100", "清原镇", "township", "210423"),
    ("210423100201", "小孤家村", "village", "210423100"),
    ("350500", "泉州市", "city", "350000"),
    ("350582", "晋江市", "county", "350500"),
    ("350800", "龙岩市", "city", "350000"),
    ("350821", "长汀县", "county", "350800"),
]

PROJECT_KINDS = [  # (name, category, content, target indicator, value)
    ("肉牛养殖圈舍建设", C.INDUSTRY, "新建标准化牛棚、饲草料棚，配套青贮池", "新建牛棚", "4座"),
    ("冷凉蔬菜种植基地", C.INDUSTRY, "建设日光温室、配套滴灌设施", "新建温室", "20座"),
    ("产业路硬化", C.INDUSTRY_INFRA, "硬化产业道路，宽4.5米", "硬化道路", "3.2公里"),
    ("乡村公益性岗位", C.EMPLOYMENT, "开发护林、保洁等公益性岗位", "安置脱贫劳动力", "60人"),
    ("安置区配套设施", C.RELOCATION, "易地搬迁安置区道路、排水、绿化", "配套安置区", "1处"),
    ("村内道路及饮水巩固", C.INFRASTRUCTURE, "村组道路硬化，更换供水管网", "更换管网", "5公里"),
    ("村卫生室改造", C.PUBLIC_SERVICE, "村卫生室标准化改造", "改造卫生室", "2所"),
    ("以工代赈小型水利", C.OTHER, "以工代赈方式建设灌溉渠系，吸纳当地群众务工", "新建渠系", "2.5公里"),
]


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def _places() -> dict[str, Region]:
    found = {r.code: r for r in Region.objects.filter(code__in=[p[0] for p in DEMO_PLACES]
                                                        + [p[3] for p in DEMO_PLACES])}
    for code, name, level, parent in DEMO_PLACES:
        if code not in found and parent in found:
            found[code] = Region.objects.create(code=code, name=name, level=level,
                                                parent=found[parent])
    return found


def _units(county: Region) -> list[Unit]:
    names = ["扶贫办", "农业农村局", "乡村振兴局", "发改局", "水务局", "人社局", "卫健局"]
    units = list(Unit.objects.filter(region=county, name__in=names))
    return units or list(Unit.objects.filter(region=county)[:3])


def build_demo_funds(*, today: datetime.date) -> dict | None:
    """The demo counties' funds history. None when it is there already (nothing written)."""
    if Project.objects.filter(code__startswith=DEMO_PREFIX).exists():
        return None
    with transaction.atomic():
        return _build(today)


def _build(today: datetime.date) -> dict:
    rng = random.Random(15)
    admin = get_user_model().objects.filter(username="admin").first()
    regions = {r.code: r for r in Region.objects.filter(
        code__in=["640000", "640400", "640423", "210000", "210400", "210421", "210422",
                  "210423", "350000"])}
    regions.update(_places())
    longde, xinbin, qingyuan = regions["640423"], regions["210422"], regions["210423"]
    fushun_county = regions.get("210421")
    for code in ("350821",):  # Fujian's poverty-exit county of the demo (002's key)
        if code in regions:
            RegionCategory.objects.bulk_create(
                [RegionCategory(region=regions[code], year=y, category="poverty_exit")
                 for y in YEARS], ignore_conflicts=True)

    allocations = _allocations(regions, rng)
    Allocation.objects.bulk_create(allocations)

    plans = []  # (project, fundings {source: amount}, targets)
    places = {longde: [longde, regions["640423100"], regions.get("640423100201"),
                       regions.get("640423100202"), regions.get("640423101201")],
              xinbin: [xinbin, regions.get("210422100"), regions.get("210422100201")],
              qingyuan: [qingyuan, regions.get("210423100"), regions.get("210423100201")]}
    for county, spots in places.items():
        spots = [s for s in spots if s is not None]
        units = _units(county)
        short = county.code
        for year in YEARS:
            for i, (name, category, content, indicator, value) in enumerate(PROJECT_KINDS):
                status = _status_for(year, i, today)
                spot = spots[(i + year) % len(spots)]
                amount = _money(rng.randrange(30, 300) * 10000)
                # the industry share of 隆德 rises year on year, except 2023 (falls)
                if county is longde and category == C.INDUSTRY:
                    amount = _money((80 + (year - 2021) * 30 - (70 if year == 2023 else 0))
                                    * 10000)
                fundings = {FundSource.CENTRAL: amount}
                if i % 3 == 0:
                    fundings[FundSource.PROVINCIAL] = _money(amount / 4)
                if county is longde and category in (C.INFRASTRUCTURE, C.INDUSTRY_INFRA):
                    fundings[FundSource.INTEGRATED] = _money(amount / 2)
                if county is longde and category == C.EMPLOYMENT and year == 2022:
                    fundings[FundSource.INTEGRATED] = _money(200000)  # integration_use
                if category == C.OTHER:
                    fundings = {FundSource.WORK_RELIEF: amount}
                project = Project(
                    code=f"{DEMO_PREFIX}{short}-{year}-{i + 1:02d}", year=year, region=spot,
                    name=f"{spot.name}{name}" if spot != county else f"{county.name}{name}",
                    category=category, counts_as_industry=category in (C.INDUSTRY,
                                                                       C.INDUSTRY_INFRA),
                    content=content, implementing_unit=units[i % len(units)] if units else None,
                    responsible_person=["王建国", "李文", "张秀兰", "马志强", "刘永"][i % 5],
                    supervision_phone="12317", households=40 + i * 5,
                    households_poverty_exit=10 + i, households_monitored=i % 4, status=status,
                    returned_from=S.TOWNSHIP_REVIEWED if status == S.RETURNED else "")
                if category == C.OTHER:
                    project.labour_wages_due = _money(amount * Decimal("0.15"))
                    short_paid = county is longde and year == 2023
                    project.labour_wages_paid = project.labour_wages_due - (
                        _money(18000) if short_paid else 0)
                if status not in FUNDED_STATES:
                    fundings = {}
                if status == S.EVALUATED:
                    project.evaluation_score = Decimal(94 - (i * 7) % 40)
                    project.evaluation_note = "绩效目标全部完成" if i % 2 else "部分指标未达预期"
                plans.append((project, fundings, [(PerformanceTarget.Kind.OUTPUT, indicator, value),
                                                  (PerformanceTarget.Kind.SATISFACTION,
                                                   "受益群众满意度", "≥90%")]))
    projects = Project.objects.bulk_create([p for p, _f, _t in plans])
    by_code = {p.code: p for p in projects}
    ProjectFunding.objects.bulk_create([
        ProjectFunding(project=p, source=s, amount=a,
                       allocated_on=datetime.date(p.year, 3, 15))
        for p, fundings, _t in plans for s, a in fundings.items()])
    PerformanceTarget.objects.bulk_create([
        PerformanceTarget(project=p, kind=k, indicator=ind, target_value=v,
                          achieved_value=v if p.status == S.EVALUATED else "")
        for p, _f, targets in plans for k, ind, v in targets])
    ProjectTransition.objects.bulk_create(_transitions(projects, admin))
    spendings = _spendings(plans, today)
    Spending.objects.bulk_create(spendings)
    assets = _assets(by_code, regions)
    Asset.objects.bulk_create(assets)
    incomes = []
    for asset in assets:
        if asset.kind == Asset.Kind.OPERATING and asset.status == Asset.Status.IN_USE:
            for year in range(2022, min(today.year, 2025) + 1):
                incomes += [AssetIncome(asset=asset, year=year, use=AssetIncome.Use.POVERTY_HOUSEHOLDS,
                                        amount=_money(asset.value * Decimal("0.04"))),
                            AssetIncome(asset=asset, year=year, use=AssetIncome.Use.MAINTENANCE,
                                        amount=_money(asset.value * Decimal("0.01")))]
    first_operating = next(a for a in assets if a.kind == Asset.Kind.OPERATING
                           and a.region.path.startswith(longde.path))
    incomes.append(AssetIncome(asset=first_operating, year=2023, use=AssetIncome.Use.OTHER,
                               amount=_money(6000)))  # asset_income_use
    AssetIncome.objects.bulk_create(incomes)
    RevenueBase.objects.bulk_create(_revenue(regions, admin), ignore_conflicts=True)
    LandQuotaProceeds.objects.bulk_create([
        LandQuotaProceeds(region=county, year=year, proceeds=_money(5_000_000 + year),
                          returned=_money(5_000_000 + year) - (
                              _money(1_200_000) if county is xinbin and year == 2023 else 0))
        for county in (xinbin, qingyuan) for year in (2022, 2023, 2024)],
        ignore_conflicts=True)
    if admin is not None and "350582" in regions:
        RuleThreshold.objects.create(rule="fujian_developed_county", region=regions["350582"],
                                     value=Decimal("12000000"), set_by=admin,
                                     note="演示：经济较发达县（按福建省名单）")
    del fushun_county
    return {"allocations": len(allocations), "projects": len(projects),
            "spendings": len(spendings), "assets": len(assets)}


def _status_for(year: int, index: int, today: datetime.date) -> str:
    """Older years' projects have gone further; the current year's are early in the flow."""
    if year <= 2022:
        return [S.EVALUATED, S.HANDED_OVER, S.EVALUATED, S.ACCEPTED, S.EVALUATED,
                S.HANDED_OVER, S.EVALUATED, S.HANDED_OVER][index]
    if year == 2023:
        return [S.HANDED_OVER, S.ACCEPTED, S.IMPLEMENTING, S.EVALUATED, S.HANDED_OVER,
                S.ACCEPTED, S.IMPLEMENTING, S.HANDED_OVER][index]
    if year == 2024:
        return [S.IMPLEMENTING, S.PLANNED, S.IMPLEMENTING, S.ACCEPTED, S.IMPLEMENTING,
                S.PLANNED, S.IMPLEMENTING, S.IMPLEMENTING][index]
    return [S.PLANNED, S.IN_LIBRARY, S.COUNTY_APPROVED, S.TOWNSHIP_REVIEWED, S.DECLARED,
            S.RETURNED, S.IMPLEMENTING, S.PLANNED][index]


def _transitions(projects, actor) -> list[ProjectTransition]:
    rows = []
    for p in projects:
        if p.status == S.RETURNED:
            steps = [("", S.DECLARED, ""), (S.DECLARED, S.TOWNSHIP_REVIEWED, ""),
                     (S.TOWNSHIP_REVIEWED, S.RETURNED, "建设内容与村级申报不一致，请补充论证材料")]
        else:
            upto = FLOW[: FLOW.index(p.status) + 1]
            steps = [("", upto[0], "")] + [(a, b, "") for a, b in zip(upto, upto[1:],
                                                                      strict=False)]
        rows += [ProjectTransition(project=p, from_status=a, to_status=b, actor=actor,
                                   comment=c) for a, b, c in steps]
    return rows


def _spendings(plans, today: datetime.date) -> list[Spending]:
    """Monthly spending from April of the project's year: done projects spent everything,
    projects still in implementation about half; nothing after this month."""
    rows = []
    for project, fundings, _t in plans:
        if project.status not in SPENDING_STATES:
            continue
        months = [datetime.date(project.year, m, 1) for m in range(4, 12)]
        months = [m for m in months if m <= today.replace(day=1)]
        if not months:
            continue
        share = Decimal("0.5") if project.status == S.IMPLEMENTING else Decimal(1)
        for source, amount in fundings.items():
            spent = _money(amount * share)
            each = _money(spent / len(months))
            for n, month in enumerate(months):
                value = each if n < len(months) - 1 else spent - each * (len(months) - 1)
                rows.append(Spending(project=project, source=source, month=month, amount=value))
    return rows


def _assets(by_code: dict[str, Project], regions) -> list[Asset]:
    """Assets of each kind from handed-over projects, with the ledger gaps the rules flag."""
    assets = []
    kinds = {C.INDUSTRY: Asset.Kind.OPERATING, C.INDUSTRY_INFRA: Asset.Kind.PUBLIC,
             C.INFRASTRUCTURE: Asset.Kind.PUBLIC, C.RELOCATION: Asset.Kind.PUBLIC,
             C.PUBLIC_SERVICE: Asset.Kind.PUBLIC, C.OTHER: Asset.Kind.PUBLIC}
    number = 0
    for project in by_code.values():
        if project.status not in (S.HANDED_OVER, S.EVALUATED):
            continue
        kind = kinds.get(project.category)
        if project.category == C.EMPLOYMENT:
            continue
        county_code = project.code.split("-")[1]
        number += 1
        owner = "" if kind == Asset.Kind.HOUSEHOLD else f"{project.region.name}股份经济合作社"
        asset = Asset(
            project=project, code=f"ZC-{DEMO_PREFIX}{county_code}-{number:04d}",
            name=project.name.replace("建设", "") + ("" if kind != Asset.Kind.OPERATING else "（经营）"),
            kind=kind, region=project.region, value=_money(project.households * 6000),
            owner=owner, operator="村集体经济组织" if kind == Asset.Kind.OPERATING else "",
            caretaker=f"{project.region.name}村民委员会", caretaker_person="村管护员",
            caretaking_mode="村集体管护" if kind == Asset.Kind.PUBLIC else "承包经营",
            performance_target="年收益率不低于4%" if kind == Asset.Kind.OPERATING else "",
            exit_terms="合同期满或经营不善时收回资产" if kind == Asset.Kind.OPERATING else "")
        assets.append(asset)
        if project.category == C.INDUSTRY:  # a household asset beside each industry one
            number += 1
            assets.append(Asset(project=project, code=f"ZC-{DEMO_PREFIX}{county_code}-{number:04d}",
                                name="到户能繁母牛", kind=Asset.Kind.HOUSEHOLD,
                                region=project.region, value=_money(40 * 12000),
                                owner="受益脱贫户", caretaker="受益脱贫户",
                                caretaking_mode="农户自管"))
    # the ledger gaps the rules find
    xinbin_operating = [a for a in assets if a.kind == Asset.Kind.OPERATING
                        and a.code.split("-")[2] == "210422"]
    if xinbin_operating:
        xinbin_operating[0].exit_terms = ""  # asset_operating_terms
    qingyuan_public = [a for a in assets if a.kind == Asset.Kind.PUBLIC
                       and a.code.split("-")[2] == "210423"]
    if qingyuan_public:
        qingyuan_public[0].caretaker = ""  # asset_public_caretaker
        qingyuan_public[0].caretaker_person = ""
    longde_public = [a for a in assets if a.kind == Asset.Kind.PUBLIC
                     and a.code.split("-")[2] == "640423"]
    if len(longde_public) > 1:
        longde_public[0].status = Asset.Status.DISPOSED  # asset_disposal: no approval
        longde_public[0].disposed_on = datetime.date(2024, 5, 20)
        longde_public[1].status = Asset.Status.DISPOSED  # with approval: not flagged
        longde_public[1].disposed_on = datetime.date(2024, 6, 10)
        longde_public[1].disposal_approval = "隆政函〔2024〕31号"
    return assets


def _allocations(regions, rng) -> list[Allocation]:
    rows = []
    longde, xinbin, qingyuan = regions["640423"], regions["210422"], regions["210423"]
    fushun, ningxia_city = regions.get("210400"), regions.get("640400")
    for year in YEARS:
        for county, city in ((longde, ningxia_city), (xinbin, fushun), (qingyuan, fushun)):
            for source, wan in ((FundSource.CENTRAL, 5200), (FundSource.PROVINCIAL, 1800),
                                (FundSource.CITY, 400), (FundSource.COUNTY, 600)):
                rows.append(Allocation(
                    year=year, source=source, from_region=city if source != FundSource.COUNTY
                    else None, to_region=county,
                    amount=_money((wan + (year - 2021) * 150 + rng.randrange(0, 100)) * 10000),
                    method=Allocation.Method.FACTOR,
                    factors={"脱贫人口": 0.4, "监测对象": 0.2, "绩效评价": 0.2, "财力": 0.2},
                    doc_number=f"财农〔{year}〕{10 + len(rows)}号",
                    allocated_on=datetime.date(year, 1 + len(rows) % 3, 20)))
            if county is longde:  # integration_county: 隆德 integrates through 2025
                rows.append(Allocation(year=year, source=FundSource.INTEGRATED, to_region=county,
                                       amount=_money(3000 * 10000),
                                       method=Allocation.Method.PROJECT,
                                       doc_number=f"隆财发〔{year}〕5号",
                                       allocated_on=datetime.date(year, 4, 1)))
            rows.append(Allocation(year=year, source=FundSource.WORK_RELIEF, from_region=city,
                                   to_region=county, amount=_money(300 * 10000),
                                   method=Allocation.Method.PROJECT,
                                   allocated_on=datetime.date(year, 5, 1)))
        if "210421" in regions:  # key_tilt: in 2022 the non-key 抚顺县 gets more than both keys
            rows.append(Allocation(year=year, source=FundSource.CENTRAL, from_region=fushun,
                                   to_region=regions["210421"],
                                   amount=_money((12000 if year == 2022 else 1500) * 10000),
                                   doc_number=f"抚财农〔{year}〕8号",
                                   allocated_on=datetime.date(year, 2, 1)))
        if "350821" in regions:
            province = regions["350000"]
            needed = _revenue_total(year - 1) * Decimal("0.002")
            rows.append(Allocation(  # fujian_permille: 2023 short by a tenth
                year=year, source=FundSource.FUJIAN_PERMILLE, from_region=province,
                to_region=regions["350821"],
                amount=_money(needed * (Decimal("0.9") if year == 2023 else Decimal("1.02"))),
                method=Allocation.Method.FACTOR, doc_number=f"闽财农〔{year}〕2号",
                allocated_on=datetime.date(year, 3, 1)))
            rows.append(Allocation(  # fujian_pairing: 2024 short
                year=year, source=FundSource.PAIRING, from_region=regions["350582"],
                to_region=regions["350821"],
                amount=_money((1000 if year == 2024 else 1300) * 10000),
                method=Allocation.Method.PROJECT, allocated_on=datetime.date(year, 6, 1)))
    return rows


REVENUE = {"350000": 1_800_0000_0000, "350500": 700_0000_0000, "350582": 150_0000_0000,
           "350800": 180_0000_0000, "350821": 12_0000_0000}  # 元, 2020, then +5% a year


def _revenue_of(code: str, year: int) -> Decimal:
    return _money(Decimal(REVENUE[code]) * Decimal("1.05") ** (year - 2020))


def _revenue_total(year: int) -> Decimal:
    return sum((_revenue_of(code, year) for code in REVENUE), Decimal(0))


def _revenue(regions, admin) -> list[RevenueBase]:
    return [RevenueBase(region=regions[code], year=year,
                        general_budget_revenue=_revenue_of(code, year), entered_by=admin)
            for code in REVENUE if code in regions for year in range(2020, 2025)]


# ---------------------------------------------------------------- at scale (bench)

def generate_funds(counties, *, years=YEARS, per_year: int = 50, seed: int = 1) -> dict:
    """≈ `per_year` projects per county per year (all states), funding by source, one 绩效目标
    each, monthly spending for those being implemented or done, allocations by source and an
    asset for each handed-over project: set-based, for `make bench`."""
    rng = random.Random(seed)
    counties = list(counties)
    regions = {c.pk: list(Region.objects.filter(path__startswith=c.path)) for c in counties}
    states = FLOW + [S.RETURNED]
    categories = [c for c, _label in Project.Category.choices]
    projects, allocations = [], []
    for county in counties:
        for year in years:
            for source, wan in ((FundSource.CENTRAL, 5000), (FundSource.PROVINCIAL, 1500),
                                (FundSource.INTEGRATED, 2000)):
                allocations.append(Allocation(year=year, source=source, to_region=county,
                                              from_region=county.parent,
                                              amount=_money((wan + rng.randrange(500)) * 10000)))
            for i in range(per_year):
                category = categories[i % len(categories)]
                projects.append(Project(
                    code=f"S{county.code}-{year}-{i:03d}", name=f"合成项目{i}", year=year,
                    region=rng.choice(regions[county.pk]), category=category,
                    counts_as_industry=category in (C.INDUSTRY, C.INDUSTRY_INFRA),
                    status=states[(i + year) % len(states)], households=rng.randrange(10, 90),
                    evaluation_score=(Decimal(60 + i % 40) if states[(i + year) % len(states)]
                                      == S.EVALUATED else None),
                    labour_wages_due=_money(1000) if i % 17 == 0 else 0,
                    labour_wages_paid=_money(900) if i % 17 == 0 else 0))
    Allocation.objects.bulk_create(allocations, batch_size=2000)
    Project.objects.bulk_create(projects, batch_size=2000)
    fundings, targets, spendings, assets = [], [], [], []
    for p in projects:
        amount = _money(rng.randrange(20, 200) * 10000)
        sources = [FundSource.CENTRAL] + ([FundSource.INTEGRATED] if p.pk % 3 == 0 else [])
        for source in sources:
            fundings.append(ProjectFunding(project=p, source=source, amount=amount,
                                           allocated_on=datetime.date(p.year, 3, 1)))
            if p.status in SPENDING_STATES:
                for month in range(4, 12):
                    spendings.append(Spending(project=p, source=source,
                                              month=datetime.date(p.year, month, 1),
                                              amount=_money(amount / 10)))
        targets.append(PerformanceTarget(project=p, kind="output", indicator="完成建设任务",
                                         target_value="100%"))
        if p.status in (S.HANDED_OVER, S.EVALUATED):
            assets.append(Asset(project=p, code=f"ZC-{p.code}", name=p.name,
                                kind=[Asset.Kind.OPERATING, Asset.Kind.PUBLIC,
                                      Asset.Kind.HOUSEHOLD][p.pk % 3],
                                region=p.region, value=amount, owner="村集体",
                                caretaker="" if p.pk % 11 == 0 else "村委会"))
    ProjectFunding.objects.bulk_create(fundings, batch_size=5000)
    PerformanceTarget.objects.bulk_create(targets, batch_size=5000)
    Spending.objects.bulk_create(spendings, batch_size=5000)
    Asset.objects.bulk_create(assets, batch_size=5000)
    return {"projects": len(projects), "fundings": len(fundings), "spendings": len(spendings),
            "assets": len(assets), "allocations": len(allocations)}
