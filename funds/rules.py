"""The documents' funds rules, checked over the figures of funds/models.py (issue 15 item 5).

Each rule is one function that reads the whole data set in a few aggregate queries (GROUP BY
region and year, never a query per project or county) and returns `Flag`s: the rule, the
clause and document it comes from, the region and year, the project or asset where there is
one, and a Chinese message with the figures. `check_all(years=None, regions=None)` runs every
rule for every county and year.

Where a document gives a number, the rule is that number (2‰, 1200万元); where it gives only
a direction (“逐步提高用于产业发展的比例”), the rule is the direction, and a floor an
administrator adds as a RuleThreshold is shown with who set it.

Administrator data the rules read (RuleThreshold rows, kept in the admin):
  - rule="fujian_developed_county", region=<county>, year=<year or empty for every year>:
    marks a 经济较发达县 of 002 (二十七) (the register's county categories have no such
    category); `value` is the yearly minimum in 元 if above the document's 12,000,000.
  - rule="industry_share_min", region=<county, city, province or empty>, year=<year or
    empty>, value=<percent, 0–100>: a floor on the industry share; the most specific row
    (deepest region, then a year's own row, then the latest) applies.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import NamedTuple

from django.db.models import F, Q, Sum
from django.utils.translation import gettext as _

from funds.models import (
    Allocation,
    Asset,
    AssetIncome,
    FundSource,
    LandQuotaProceeds,
    Project,
    ProjectFunding,
    RevenueBase,
    RuleThreshold,
    format_money,
)
from obligations import periods
from obligations.models import Region, RegionCategory, TransitionRule
from obligations.rules import CATEGORY_LABELS, describe_phases, phase_applies
from obligations.selectors.in_force import document_order, rule_place

# The documents the rules come from (fixtures/documents/00x.json) and the region each covers.
DOCUMENTS = {
    "000": "青海省财政厅衔接资金行动方案（青财农字〔2021〕818号）",
    "001": "青海省“十四五”巩固拓展脱贫攻坚成果同乡村振兴有效衔接规划",
    "002": "福建省关于实现巩固拓展脱贫攻坚成果同乡村振兴有效衔接的实施意见",
    "003": "隆德县关于实现巩固拓展脱贫攻坚成果同乡村振兴有效衔接的实施意见（隆党发〔2021〕2号）",
    "004": "抚顺市实现巩固拓展脱贫攻坚成果同乡村振兴有效衔接实施方案（抚委农领发〔2021〕3号）",
}
QINGHAI, FUJIAN, FUSHUN = "630000", "350000", "210400"

# 衔接资金 proper (the money the tilt and the industry share are about); 整合资金, 对口帮扶 and
# 以工代赈 have rules of their own.
LINKAGE_SOURCES = [FundSource.CENTRAL, FundSource.PROVINCIAL, FundSource.CITY,
                   FundSource.COUNTY, FundSource.FUJIAN_PERMILLE]
# 000 二(三): 整合资金可以按规定用于农业生产发展和农村基础设施建设项目 — the project categories
# that are one or the other.
INTEGRATION_CATEGORIES = [Project.Category.INDUSTRY, Project.Category.INDUSTRY_INFRA,
                          Project.Category.INFRASTRUCTURE]
INTEGRATION_POLICY = "涉农资金统筹整合试点"  # obligations.rules.policy_key of the documents' words
PERMILLE = Decimal("0.002")
PERMILLE_LAST_YEAR = 2025  # 002 (二十三): 延续至2025年
PAIRING_MINIMUM = Decimal("12000000")  # 002 (二十七): 每年落实不少于1200万元
DEVELOPED_COUNTY = "fujian_developed_county"
INDUSTRY_SHARE_MIN = "industry_share_min"


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    document: str  # key of DOCUMENTS
    clause: str


RULES = {r.code: r for r in [
    Rule("fujian_permille", "省级资金不低于上年地方一般公共预算收入的2‰", "002", "（二十三）"),
    Rule("fujian_pairing", "经济较发达县每年对口帮扶资金不少于1200万元", "002", "（二十七）"),
    Rule("industry_share", "用于产业发展的比例逐步提高", "001", "第十二章第二节"),
    Rule("key_tilt", "资金分配向重点县倾斜", "000", "二(二)"),
    Rule("integration_county", "统筹整合涉农资金只在允许整合的县", "000", "二(三)"),
    Rule("integration_use", "整合资金只用于农业生产发展和农村基础设施建设", "000", "二(三)"),
    Rule("asset_public_caretaker", "公益性资产须明确管护主体", "001", "第三章第六节"),
    Rule("asset_operating_terms", "经营性资产须明确所有权人、绩效目标和退出条款", "001", "第三章第六节"),
    Rule("asset_disposal", "资产处置须经审批", "002", "（八）"),
    Rule("asset_income_use", "资产收益用于规定用途", "004", "二(一)4"),
    Rule("work_relief_wages", "以工代赈劳务报酬足额发放", "001", "第十二章第二节"),
    Rule("land_quota_returned", "增减挂钩收益全部返还农村", "004", "二(四)3"),
]}


@dataclass(frozen=True)
class Flag:
    rule: str
    clause: str
    document: str
    region_id: int
    region_code: str
    region_name: str
    year: int | None
    message: str
    project_id: int | None = None
    asset_id: int | None = None
    basis: str = ""  # which definition or threshold applied, and who set it

    @property
    def title(self) -> str:
        return RULES[self.rule].title

    def as_dict(self) -> dict:
        # By hand: dataclasses.asdict deep-copies every field (a province has thousands of flags).
        return {name: getattr(self, name) for name in _FLAG_FIELDS} | {"title": self.title}


_FLAG_FIELDS = [f.name for f in fields(Flag)]


class Place(NamedTuple):
    """A region as a flag needs it (id, code, name), read with values_list, not as a model."""

    pk: int
    code: str
    name: str


def _yuan(value) -> str:
    return f"{format_money(value)}元"


def _percent(value) -> str:
    return f"{Decimal(value) * 100:.1f}%"


def _cn_date(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


class _Context:
    """What every rule shares: the years asked for, the regions asked for, the counties."""

    def __init__(self, years, regions):
        # The funds rules implemented so far are the transition period's (issue 26 adds 2026's).
        period = periods.transition()
        last = period.end.year if period.end else max(periods.years())  # no end recorded yet
        self.period_years = list(range(period.start.year, last + 1))
        self.years = sorted(set(years)) if years is not None else None
        self.regions = regions  # a Region queryset, or None for all
        self._counties = None

    def year_ok(self, year) -> bool:
        return self.years is None or year is None or year in self.years

    def years_within(self, candidates) -> list[int]:
        return [y for y in candidates if self.year_ok(y)]

    def in_regions(self, field: str) -> Q:
        if self.regions is None:
            return Q()
        return Q(**{f"{field}__in": self.regions.values("pk")})

    @property
    def counties(self) -> dict[str, Region]:
        """Counties by path (one query): a place's county is the one whose path prefixes it."""
        if self._counties is None:
            self._counties = {r.path: r for r in Region.objects.filter(level=Region.Level.COUNTY)}
        return self._counties

    def county_of(self, path: str) -> Region | None:
        parts = path.split("/")
        for i in range(len(parts) - 1, 0, -1):
            county = self.counties.get("/".join(parts[:i]) + "/")
            if county is not None:
                return county
        return None

    def flag(self, rule: str, region, year, message, *, document=None, clause=None,
             **extra) -> Flag:
        r = RULES[rule]
        return Flag(rule=rule, clause=clause or r.clause, document=DOCUMENTS[document or r.document],
                    region_id=region.pk, region_code=region.code, region_name=region.name,
                    year=year, message=message, **extra)


def _categories(region_ids, years=None) -> dict[tuple[int, int], set[str]]:
    rows = RegionCategory.objects.filter(region_id__in=list(region_ids))
    if years is not None:
        rows = rows.filter(year__in=list(years))
    result = defaultdict(set)
    for region_id, year, category in rows.values_list("region_id", "year", "category"):
        result[region_id, year].add(category)
    return result


# ---------------------------------------------------------------- Fujian (002)

def fujian_permille(ctx: _Context) -> list[Flag]:
    """002 (二十三): 省财政每年从省本级、市、县（区）上年度地方一般公共预算收入的2‰筹集资金
    …延续至2025年. Each year's FUJIAN_PERMILLE allocations from the province ≥ 0.002 × the sum
    of the previous year's revenue bases of the province, its cities and counties."""
    province = Region.objects.filter(code=FUJIAN).first()
    if province is None:
        return []
    revenue = dict(RevenueBase.objects.filter(region__path__startswith=province.path)
                   .values("year").annotate(total=Sum("general_budget_revenue"))
                   .values_list("year", "total"))
    allocated = dict(Allocation.objects.filter(source=FundSource.FUJIAN_PERMILLE,
                                               from_region=province)
                     .values("year").annotate(total=Sum("amount")).values_list("year", "total"))
    flags = []
    for year in ctx.years_within(y for y in ctx.period_years if y <= PERMILLE_LAST_YEAR):
        base = revenue.get(year - 1)
        if base is None:
            continue  # no revenue base entered: nothing to compare with
        required = (base * PERMILLE).quantize(Decimal("0.01"))
        given = allocated.get(year) or Decimal(0)
        if given < required:
            flags.append(ctx.flag("fujian_permille", province, year, _(
                "%(year)s年省级2‰资金下达%(given)s，低于%(prev)s年省本级、市、县地方一般公共预算收入"
                "%(base)s的2‰（%(required)s），差%(gap)s") % {
                    "year": year, "given": _yuan(given), "prev": year - 1, "base": _yuan(base),
                    "required": _yuan(required), "gap": _yuan(required - given)}))
    return flags


def fujian_pairing(ctx: _Context) -> list[Flag]:
    """002 (二十七): 经济较发达县（市、区）每年落实不少于1200万元对口帮扶资金. The counties are
    marked by RuleThreshold rows (rule="fujian_developed_county"); the money is the PAIRING
    allocations they give (from_region = the county)."""
    markers = list(RuleThreshold.objects.filter(rule=DEVELOPED_COUNTY, region__isnull=False)
                   .select_related("region", "set_by"))
    if not markers:
        return []
    given = {(r, y): t for r, y, t in Allocation.objects.filter(
        source=FundSource.PAIRING, from_region__in=[m.region_id for m in markers])
        .values("from_region", "year").annotate(total=Sum("amount"))
        .values_list("from_region", "year", "total")}
    flags, seen = [], set()
    for marker in markers:
        years = [marker.year] if marker.year else ctx.period_years
        for year in ctx.years_within(years):
            if (marker.region_id, year) in seen:
                continue
            seen.add((marker.region_id, year))
            required = max(PAIRING_MINIMUM, marker.value)
            amount = given.get((marker.region_id, year)) or Decimal(0)
            if amount < required:
                flags.append(ctx.flag("fujian_pairing", marker.region, year, _(
                    "%(year)s年落实对口帮扶资金%(amount)s，少于%(required)s") % {
                        "year": year, "amount": _yuan(amount), "required": _yuan(required)},
                    basis=_("经济较发达县由%(who)s于%(when)s标记%(note)s") % {
                        "who": marker.set_by.get_username(), "when": _cn_date(marker.set_at),
                        "note": f"（{marker.note}）" if marker.note else ""}))
    return flags


# ---------------------------------------------------------------- industry share

def _share_floor(thresholds, county: Region, year: int):
    best = None
    for t in thresholds:
        if t.year not in (None, year):
            continue
        if t.region_id is not None and not county.path.startswith(t.region.path):
            continue
        rank = (len(t.region.path) if t.region_id else 0, t.year is not None, t.set_at)
        if best is None or rank > best[0]:
            best = (rank, t)
    return best[1] if best else None


def industry_share(ctx: _Context) -> list[Flag]:
    """001 第十二章第二节, 002 (二十三), 003 五(一): 逐步提高用于产业发展的比例. Per county and
    year: the share of the 衔接资金 arranged for projects (ProjectFunding by the project's year)
    that goes to projects counted as industry; a year below the one before is flagged, and so is
    a year under an administrator's floor."""
    rows = (ProjectFunding.objects.filter(source__in=LINKAGE_SOURCES)
            .filter(ctx.in_regions("project__region"))
            .values("project__region__path", "project__year", "project__counts_as_industry")
            .annotate(total=Sum("amount")))
    totals = defaultdict(lambda: [Decimal(0), Decimal(0)])  # (county id, year) → [industry, all]
    counties = {}
    for row in rows:
        county = ctx.county_of(row["project__region__path"])
        if county is None:
            continue
        counties[county.pk] = county
        cell = totals[county.pk, row["project__year"]]
        cell[1] += row["total"]
        if row["project__counts_as_industry"]:
            cell[0] += row["total"]
    thresholds = list(RuleThreshold.objects.filter(rule=INDUSTRY_SHARE_MIN)
                      .select_related("region", "set_by"))
    flags = []
    for (county_id, year), (industry, total) in sorted(totals.items()):
        if not total or not ctx.year_ok(year):
            continue
        county, share = counties[county_id], industry / total
        before = totals.get((county_id, year - 1))
        if before and before[1]:
            previous = before[0] / before[1]
            if share < previous:
                flags.append(ctx.flag("industry_share", county, year, _(
                    "%(year)s年用于产业发展的比例为%(share)s（%(industry)s/%(total)s），低于%(prev)s年的"
                    "%(previous)s，未逐步提高") % {
                        "year": year, "share": _percent(share), "industry": _yuan(industry),
                        "total": _yuan(total), "prev": year - 1, "previous": _percent(previous)}))
        floor = _share_floor(thresholds, county, year)
        if floor is not None and share * 100 < floor.value:
            flags.append(ctx.flag("industry_share", county, year, _(
                "%(year)s年用于产业发展的比例为%(share)s，低于门槛%(floor)s%%") % {
                    "year": year, "share": _percent(share), "floor": f"{floor.value:g}"},
                basis=_("门槛由%(who)s于%(when)s设置%(note)s") % {
                    "who": floor.set_by.get_username(), "when": _cn_date(floor.set_at),
                    "note": f"（{floor.note}）" if floor.note else ""}))
    return flags


# ---------------------------------------------------------------- tilt to key counties

@dataclass(frozen=True)
class KeyDefinition:
    """One document's "key county" for the tilt, in its own words."""

    document: str
    clause: str
    region_code: str  # the region the document covers
    words: str
    categories: tuple[str, ...]


KEY_DEFINITIONS = [
    KeyDefinition("000", "二(二)", QINGHAI, "资金安排适当向乡村振兴重点帮扶县倾斜",
                  ("national_key", "provincial_key")),
    # 001 also names both kinds, but only the national ones keep 整合 after 2023 (see below);
    # for the tilt its words are "国家、省级重点帮扶县".
    KeyDefinition("001", "第十二章第二节", QINGHAI, "适当向乡村振兴国家、省级重点帮扶县倾斜",
                  ("national_key", "provincial_key")),
    KeyDefinition("002", "（二十三）", FUJIAN, "适当向脱贫县倾斜", ("poverty_exit",)),
    KeyDefinition("004", "二(四)1", FUSHUN, "按有关规定适当向省级乡村振兴重点帮扶县倾斜",
                  ("provincial_key",)),
]


def key_tilt(ctx: _Context) -> list[Flag]:
    """Average 衔接资金 received per key county ≥ average per other county, within the region a
    document covers, by that document's own definition of key (each flag says which applied).
    Counties that received no 衔接资金 that year are not averaged in."""
    roots = {r.code: r for r in Region.objects.filter(
        code__in={d.region_code for d in KEY_DEFINITIONS})}
    if not roots:
        return []
    under = Q(pk__in=[])
    for root in roots.values():
        under |= Q(to_region__path__startswith=root.path)
    received = list(Allocation.objects.filter(under, source__in=LINKAGE_SOURCES,
                                              to_region__level=Region.Level.COUNTY)
                    .values("to_region", "to_region__path", "year")
                    .annotate(total=Sum("amount")))
    categories = _categories({r["to_region"] for r in received})
    flags = []
    for definition in KEY_DEFINITIONS:
        root = roots.get(definition.region_code)
        if root is None:
            continue
        by_year = defaultdict(lambda: ([], []))
        for row in received:
            if row["to_region__path"].startswith(root.path) and ctx.year_ok(row["year"]):
                key = bool(categories.get((row["to_region"], row["year"]), set())
                           & set(definition.categories))
                by_year[row["year"]][0 if key else 1].append(row["total"])
        for year, (key_amounts, other_amounts) in sorted(by_year.items()):
            if not key_amounts or not other_amounts:
                continue
            key_avg = sum(key_amounts) / len(key_amounts)
            other_avg = sum(other_amounts) / len(other_amounts)
            if key_avg < other_avg:
                label = "、".join(CATEGORY_LABELS[c] for c in definition.categories)
                flags.append(ctx.flag("key_tilt", root, year, _(
                    "%(year)s年%(n)s个重点县平均获得衔接资金%(key)s，低于%(m)s个其他县的平均%(other)s") % {
                        "year": year, "n": len(key_amounts), "key": _yuan(key_avg),
                        "m": len(other_amounts), "other": _yuan(other_avg)},
                    document=definition.document, clause=definition.clause,
                    basis=_("按%(doc)s%(clause)s“%(words)s”：重点县为%(label)s") % {
                        "doc": DOCUMENTS[definition.document], "clause": definition.clause,
                        "words": definition.words, "label": label}))
    return flags


# ---------------------------------------------------------------- 涉农资金统筹整合

def integration_county(ctx: _Context) -> list[Flag]:
    """000 二(三) / 001 第十二章第二节 / 003 五(一): 过渡期前3年脱贫县继续实施财政涉农资金统筹
    整合试点政策，此后调整至（国家和省级 | 国家）乡村振兴重点帮扶县实施. A county with
    整合资金 (allocated to it, or arranged for its projects) in a year the governing rule does
    not allow it is flagged; counties no document rules on are not judged."""
    # The register's rules for the policy, read from the documents by obligations.rules; where
    # two documents covering a county rule differently the later one decides, as
    # obligations.services.schedule.detect_rule_conflicts says in its flag.
    rules = [r for r in TransitionRule.objects.filter(kind=TransitionRule.Kind.WINDOW,
                                                      policy=INTEGRATION_POLICY)
             .select_related("obligation__document__region") if r.obligation.document.region_id]
    if not rules:
        return []
    places = defaultdict(Decimal)
    for path, year, total in (Allocation.objects.filter(source=FundSource.INTEGRATED)
                              .filter(ctx.in_regions("to_region"))
                              .values("to_region__path", "year").annotate(total=Sum("amount"))
                              .values_list("to_region__path", "year", "total")):
        places[path, year] += total
    for path, year, total in (ProjectFunding.objects.filter(source=FundSource.INTEGRATED)
                              .filter(ctx.in_regions("project__region"))
                              .values("project__region__path", "project__year")
                              .annotate(total=Sum("amount"))
                              .values_list("project__region__path", "project__year", "total")):
        places[path, year] += total
    amounts = defaultdict(Decimal)
    for (path, year), total in places.items():
        county = ctx.county_of(path)
        if county is not None and ctx.year_ok(year):
            amounts[county, year] += total
    categories = _categories({c.pk for c, _ in amounts})
    flags = []
    for (county, year), total in sorted(amounts.items(), key=lambda i: (i[0][0].path, i[0][1])):
        covering = [r for r in rules if county.path.startswith(r.obligation.document.region.path)]
        if not covering:
            continue
        governing = max(covering, key=lambda r: document_order(r.obligation.document))
        cats = categories.get((county.pk, year), set())
        if phase_applies(governing.phases, on=datetime.date(year, 7, 1), categories=cats):
            continue
        overridden = [r for r in covering if r.phases != governing.phases]
        basis = _("按%(where)s：%(rule)s") % {"where": rule_place(governing),
                                              "rule": describe_phases(governing.phases)}
        if overridden:
            basis += _("（与%(other)s不一致，按较晚印发的文件执行）") % {
                "other": "、".join(rule_place(r) for r in overridden)}
        held = "、".join(CATEGORY_LABELS[c] for c in sorted(cats)) or _("无县域类别")
        flags.append(ctx.flag("integration_county", county, year, _(
            "%(year)s年统筹整合涉农资金%(total)s，但该县当年（%(held)s）不在允许整合的范围") % {
                "year": year, "total": _yuan(total), "held": held}, basis=basis))
    return flags


def integration_use(ctx: _Context) -> list[Flag]:
    """000 二(三): 整合资金可以按规定用于农业生产发展和农村基础设施建设项目 — 整合资金
    arranged for a project of another category (就业, 易地搬迁后续扶持, 公共服务, 其他)."""
    rows = (ProjectFunding.objects.filter(source=FundSource.INTEGRATED)
            .exclude(project__category__in=INTEGRATION_CATEGORIES)
            .filter(ctx.in_regions("project__region")))
    if ctx.years is not None:
        rows = rows.filter(project__year__in=ctx.years)
    categories = {value: str(label) for value, label in Project.Category.choices}
    text = _("项目“%(name)s”（%(category)s）安排整合资金%(amount)s，不属于农业生产发展或农村基础设施建设")
    return [ctx.flag("integration_use", Place(*place), year, text % {
        "name": name, "category": categories[category], "amount": _yuan(amount)},
        project_id=project_id)
        for *place, year, name, category, amount, project_id in rows.values_list(
            "project__region_id", "project__region__code", "project__region__name",
            "project__year", "project__name", "project__category", "amount", "project_id")]


# ---------------------------------------------------------------- assets and the rest

def assets(ctx: _Context) -> list[Flag]:
    """001 第三章第六节 (管护、确权、收益), 002 (八) (处置), 004 二(一)4 (收益用途): an asset
    ledger row missing what the documents ask for."""
    flags = []
    base = Asset.objects.filter(ctx.in_regions("region"))
    columns = ["pk", "code", "name", "project_id", "project__year", "disposed_on", "owner",
               "performance_target", "exit_terms", "region_id", "region__code",
               "region__name"]

    def rows(queryset):
        for row in queryset.values(*columns):
            row["place"] = Place(row["region_id"], row["region__code"], row["region__name"])
            yield row

    def flag(rule, asset, year, message):
        flags.append(ctx.flag(rule, asset["place"], year, message,
                              project_id=asset["project_id"], asset_id=asset["pk"]))

    public = _("公益性资产“%(name)s”（%(code)s）未明确管护主体")
    for asset in rows(base.filter(kind=Asset.Kind.PUBLIC, status=Asset.Status.IN_USE,
                                  caretaker="")):
        if ctx.year_ok(asset["project__year"]):
            flag("asset_public_caretaker", asset, asset["project__year"], public % asset)
    operating = _("经营性资产“%(name)s”（%(code)s）缺少%(missing)s")
    labels = [("owner", _("所有权人")), ("performance_target", _("绩效目标")),
              ("exit_terms", _("退出条款"))]
    for asset in rows(base.filter(Q(owner="") | Q(performance_target="") | Q(exit_terms=""),
                                  kind=Asset.Kind.OPERATING, status=Asset.Status.IN_USE)):
        missing = "、".join(str(label) for key, label in labels if not asset[key])
        if ctx.year_ok(asset["project__year"]):
            flag("asset_operating_terms", asset, asset["project__year"],
                 operating % {**asset, "missing": missing})
    disposed = _("资产“%(name)s”（%(code)s）已处置，无处置审批文件")
    for asset in rows(base.filter(status=Asset.Status.DISPOSED, disposal_approval="")):
        year = asset["disposed_on"].year if asset["disposed_on"] else None
        if ctx.year_ok(year):
            flag("asset_disposal", asset, year, disposed % asset)
    incomes = (AssetIncome.objects.filter(use=AssetIncome.Use.OTHER)
               .filter(ctx.in_regions("asset__region"))
               .values("asset", "year").annotate(total=Sum("amount")))
    if ctx.years is not None:
        incomes = incomes.filter(year__in=ctx.years)
    incomes = list(incomes)
    by_id = Asset.objects.select_related("region").in_bulk([i["asset"] for i in incomes])
    for income in incomes:
        asset = by_id[income["asset"]]
        flags.append(ctx.flag("asset_income_use", asset.region, income["year"], _(
            "资产“%(name)s”%(year)s年收益中%(amount)s用于规定以外的用途（规定：脱贫人口稳定脱贫、"
            "监测人口帮扶、项目运行管护和村级公益事业等）") % {
                "name": asset.name, "year": income["year"], "amount": _yuan(income["total"])},
            project_id=asset.project_id, asset_id=asset.pk))
    return flags


def work_relief_wages(ctx: _Context) -> list[Flag]:
    """001 第十二章第二节, 003 五(一): 确保以工代赈…及时足额发放劳务报酬."""
    rows = (Project.objects.filter(labour_wages_paid__lt=F("labour_wages_due"))
            .filter(ctx.in_regions("region")))
    if ctx.years is not None:
        rows = rows.filter(year__in=ctx.years)
    text = _("项目“%(name)s”应发劳务报酬%(due)s，已发%(paid)s，未足额发放（差%(gap)s）")
    return [ctx.flag("work_relief_wages", Place(*place), year, text % {
        "name": name, "due": _yuan(due), "paid": _yuan(paid), "gap": _yuan(due - paid)},
        project_id=pk)
        for *place, pk, year, name, due, paid in rows.values_list(
            "region_id", "region__code", "region__name", "pk", "year", "name",
            "labour_wages_due", "labour_wages_paid")]


def land_quota_returned(ctx: _Context) -> list[Flag]:
    """004 二(四)3: 确保增减挂钩收益及时全部返还项目区农村."""
    rows = (LandQuotaProceeds.objects.filter(returned__lt=F("proceeds"))
            .filter(ctx.in_regions("region")).select_related("region"))
    if ctx.years is not None:
        rows = rows.filter(year__in=ctx.years)
    return [ctx.flag("land_quota_returned", r.region, r.year, _(
        "%(year)s年增减挂钩节余指标收益%(proceeds)s，已返还%(returned)s，未全部返还（差%(gap)s）") % {
            "year": r.year, "proceeds": _yuan(r.proceeds), "returned": _yuan(r.returned),
            "gap": _yuan(r.proceeds - r.returned)}) for r in rows]


CHECKS = [fujian_permille, fujian_pairing, industry_share, key_tilt, integration_county,
          integration_use, assets, work_relief_wages, land_quota_returned]


def check_all(years=None, regions=None) -> list[Flag]:
    """Every rule for every county and year (or the years and regions given: `regions` a
    Region queryset, e.g. scope.dashboard_regions_visible_to(user) — a flag is kept when its
    region is one of them)."""
    ctx = _Context(years, regions)
    flags = [flag for check in CHECKS for flag in check(ctx)]
    if regions is not None:
        visible = set(regions.values_list("pk", flat=True))
        flags = [f for f in flags if f.region_id in visible]
    return sorted(flags, key=lambda f: (f.region_code, f.year or 0, f.rule, f.message))
