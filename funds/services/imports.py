"""Importing a county's 项目库 or 资产台账 kept in Excel: a preview first, then (confirmed)
the changes, in the layout of funds.exports (and the usual spellings of its headers).

`plan_projects` / `plan_assets` read the workbook against the county's data and write
nothing: each row creates a record, changes one (field by field, before → after) or leaves
it as it is; every problem is named by row and column as Excel shows them (第5行 H列“资金规模
（万元）”), in Chinese. `apply_plan` writes a plan without problems in one transaction, with one
FUNDS_IMPORT audit row. A row is matched by its 项目编号 (with the 年度) or 资产编号; both
sides are read the same way (funds.exports' rows), so an exported sheet imported back
changes nothing.

The workbook is checked before openpyxl opens it (obligations.importers.zipcheck: size,
ratio, declared dimensions, shared strings) and read with capped rows and columns.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from funds import exports
from funds.models import (
    SOURCE_ALIASES,
    Asset,
    FundSource,
    PerformanceTarget,
    Project,
    ProjectFunding,
    ProjectTransition,
    Spending,
)
from funds.selectors import assets_visible_to, projects_visible_to
from obligations.importers.excel import cell_text
from obligations.importers.sheets import Problem, norm_header, read_sheet
from obligations.models import Membership, Region, Unit
from obligations.selectors import scope
from obligations.selectors.units import UnitLookup
from obligations.services import audit

MAX_ROWS = 5000
INDUSTRY = {Project.Category.INDUSTRY, Project.Category.INDUSTRY_INFRA}
# From this state on a project is funded: it must have its 绩效目标 (000 六(三)).
FUNDED_STATES = {Project.Status.PLANNED, Project.Status.IMPLEMENTING, Project.Status.ACCEPTED,
                 Project.Status.HANDED_OVER, Project.Status.EVALUATED}


_norm = norm_header


# field → header spellings (normalised); the first is the export's
PROJECT_HEADERS = {
    "year": ["年度", "入库年度", "项目年度"],
    "code": ["项目编号", "编号", "项目代码"],
    "name": ["项目名称", "名称"],
    "category": ["项目类别", "类别", "项目类型"],
    "place": ["建设地点乡镇村", "建设地点", "实施地点", "项目地点"],
    "content": ["建设内容", "建设内容及规模", "主要建设内容"],
    "amount": ["资金规模万元", "资金规模", "投资规模万元", "资金规模元", "总投资万元"],
    "sources": ["资金来源"],
    "unit": ["实施单位", "项目实施单位", "实施主体"],
    "person": ["责任人", "项目责任人"],
    "targets": ["绩效目标", "绩效目标及指标"],
    "households": ["受益户数", "受益总户数", "带动户数"],
    "households_poverty_exit": ["其中脱贫户", "脱贫户", "其中脱贫户户"],
    "households_monitored": ["其中监测户", "监测户", "其中监测户户"],
    "status": ["项目状态", "状态"],
}
ASSET_HEADERS = {
    "code": ["资产编号", "编号"],
    "name": ["资产名称", "名称"],
    "kind": ["类别", "资产类别", "资产类型"],
    "place": ["所在村", "所在地", "坐落位置"],
    "value": ["价值万元", "资产价值万元", "价值", "资产价值", "价值元", "资产价值元"],
    "owner": ["所有权人", "产权归属", "所有权"],
    "operator": ["经营主体"],
    "caretaker": ["管护主体"],
    "caretaker_person": ["管护责任人"],
    "caretaking_mode": ["管护方式"],
    "performance_target": ["绩效目标"],
    "exit_terms": ["退出条款", "退出机制"],
    "project": ["来源项目", "来源项目编号", "项目编号"],
}
PROJECT_REQUIRED = ("code", "name", "category")
ASSET_REQUIRED = ("code", "name", "kind", "value")

CATEGORY_NAMES = {_norm(str(label)): value for value, label in Project.Category.choices}
CATEGORY_NAMES.update({"产业": Project.Category.INDUSTRY, "产业项目": Project.Category.INDUSTRY,
                       "产业发展类": Project.Category.INDUSTRY,
                       "配套基础设施": Project.Category.INDUSTRY_INFRA,
                       "基础设施": Project.Category.INFRASTRUCTURE,
                       "乡村建设": Project.Category.INFRASTRUCTURE,
                       "就业项目": Project.Category.EMPLOYMENT,
                       "易地搬迁后扶": Project.Category.RELOCATION})
KIND_NAMES = {_norm(str(label)): value for value, label in Asset.Kind.choices}
KIND_NAMES.update({"经营性": Asset.Kind.OPERATING, "公益性": Asset.Kind.PUBLIC,
                   "到户类": Asset.Kind.HOUSEHOLD, "到户": Asset.Kind.HOUSEHOLD})
STATUS_NAMES = {str(label): value for value, label in Project.Status.choices}
TARGET_KINDS = {"产出": PerformanceTarget.Kind.OUTPUT, "效益": PerformanceTarget.Kind.EFFECT,
                "满意度": PerformanceTarget.Kind.SATISFACTION}


def source_of(name: str) -> str | None:
    """A 资金来源 as written: the choice's label, its value, or a known alias (the old name
    财政专项扶贫资金 is the 衔接资金)."""
    name = (name or "").strip()
    for value, label in FundSource.choices:
        if name in (value, str(label)):
            return value
    alias = SOURCE_ALIASES.get(name)
    return str(alias) if alias is not None else None


@dataclass
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass
class PlannedRow:
    row: int
    action: str  # create | change | unchanged
    code: str
    title: str
    values: dict = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    pk: int | None = None

    @property
    def action_label(self) -> str:
        return {"create": _("新增"), "change": _("修改"), "unchanged": _("不变")}[self.action]


@dataclass
class ImportPlan:
    kind: str  # projects | assets
    county: Region
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def has_changes(self) -> bool:
        return any(row.action != "unchanged" for row in self.rows)

    def summary(self) -> dict:
        return {"create": self.count("create"), "change": self.count("change"),
                "unchanged": self.count("unchanged"), "problems": len(self.problems)}

    def digest(self) -> str:
        """What the plan would write; a confirmation is refused when this has moved."""
        content = [(r.row, r.action, r.pk, [(c.field, c.after) for c in r.changes])
                   for r in self.rows]
        content.append([(p.row, p.column, p.message) for p in self.problems])
        return hashlib.sha256(json.dumps(content, ensure_ascii=False,
                                         default=str).encode()).hexdigest()


# ---------------------------------------------------------------- who, where

IMPORTER_ROLES = (Membership.Role.OFFICIAL, Membership.Role.SUPERVISOR)


def importable_counties(user):
    """Counties whose library and ledger the user may import: an administrator any county;
    an official or supervisor of a county (or of a region above it) the counties under
    their membership's region. Leaders read only; township officials keep their projects
    in the county's library, which the county imports."""
    if not user.is_authenticated:
        return Region.objects.none()
    counties = Region.objects.filter(level=Region.Level.COUNTY)
    if scope.is_admin(user):
        return counties
    paths = [region_path or unit_path for region_path, unit_path in user.memberships.filter(
        role__in=IMPORTER_ROLES).values_list("region__path", "unit__region__path")
        if region_path or unit_path]
    allowed = [p for p in paths if Region.objects.filter(
        path=p, level__in=[Region.Level.PROVINCE, Region.Level.CITY, Region.Level.COUNTY]
    ).exists()]
    if not allowed:
        return Region.objects.none()
    condition = None
    for path in allowed:
        q = counties.filter(path__startswith=path)
        condition = q if condition is None else condition | q
    return condition.filter(path__in=scope.work_regions_of(user).values("path"))


# ---------------------------------------------------------------- reading the sheet

# ---------------------------------------------------------------- cells

class _Bad(ValueError):
    pass


def _text(value) -> str:
    """A cell as text; strings as written (new lines kept: 建设内容 has several lines)."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return cell_text(value)


def _number(value, *, label: str) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    try:
        number = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except InvalidOperation as exc:
        raise _Bad(_("“%(v)s”不是数字") % {"v": value}) from exc
    if not number.is_finite():
        raise _Bad(_("“%(v)s”不是数字") % {"v": value})
    if number < 0:
        raise _Bad(_("%(label)s不能为负数（%(v)s）") % {"label": label, "v": value})
    return number


def _count(value, *, label: str) -> int:
    number = _number(value, label=label)
    if number != number.to_integral_value():
        raise _Bad(_("%(label)s应为整数（%(v)s）") % {"label": label, "v": value})
    return int(number)


def _yuan(value, header: str, *, label: str) -> Decimal:
    """An amount in 元 from a cell in the header's unit (万元 unless the header says 元)."""
    number = _number(value, label=label)
    if "万元" in header or "元" not in header:
        number = number * exports.WAN
    return number.quantize(Decimal("0.01"))


def _targets(text: str) -> list[tuple[str, str, str]]:
    """产出指标：新建温棚：20座；效益指标：… → [(kind, indicator, target)]."""
    targets = []
    for part in re.split(r"[；;\n]+", text or ""):
        part = part.strip()
        if not part:
            continue
        pieces = [p.strip() for p in re.split(r"[：:]", part)]
        kind = PerformanceTarget.Kind.OUTPUT
        head = pieces[0].removesuffix("指标")
        if head in TARGET_KINDS and len(pieces) > 1:
            kind = TARGET_KINDS[head]
            pieces = pieces[1:]
        if len(pieces) < 2 or not pieces[0] or not pieces[-1]:
            raise _Bad(_("绩效目标“%(t)s”应写作“产出指标：指标名称：目标值”，多个用“；”分隔") % {"t": part})
        targets.append((str(kind), "：".join(pieces[:-1])[:200], pieces[-1][:100]))
    return targets


def _sources(text: str, total: Decimal, header: str) -> dict[str, Decimal]:
    """资金来源: one name (the whole 资金规模), or 名称：金额 for each (金额 in the header's
    unit), separated by ；、 or new lines."""
    text = (text or "").strip()
    if not text:
        if total:
            raise _Bad(_("填写了资金规模，须写明资金来源"))
        return {}
    parts = [p.strip() for p in re.split(r"[；;、\n]+", text) if p.strip()]
    if len(parts) == 1 and not re.search(r"[：:]", parts[0]):
        source = source_of(parts[0])
        if source is None:
            raise _Bad(_("未知的资金来源“%(s)s”") % {"s": parts[0]})
        return {source: total}
    amounts: dict[str, Decimal] = {}
    for part in parts:
        name, amount = (re.split(r"[：:]", part, maxsplit=1) if re.search(r"[：:]", part)
                        else (part, ""))
        source = source_of(name.strip())
        if source is None:
            raise _Bad(_("未知的资金来源“%(s)s”") % {"s": name.strip()})
        if not amount.strip():
            raise _Bad(_("有多个资金来源时，每个来源须写明金额，如“中央财政衔接推进乡村振兴补助资金：30”"))
        amounts[source] = amounts.get(source, Decimal(0)) + _yuan(amount, header,
                                                                 label=_("资金来源的金额"))
    if total and sum(amounts.values()) != total:
        raise _Bad(_("各资金来源合计 %(sum)s 万元，与资金规模 %(total)s 万元不符")
                   % {"sum": exports.wan(sum(amounts.values())), "total": exports.wan(total)})
    return amounts


class _Places:
    """Regions of the county by the names counties write: 城关镇, 城关镇红崖村, 城关镇、红崖村."""

    def __init__(self, county: Region):
        self.county = county
        self.by_name: dict[str, Region | None] = {}
        regions = list(Region.objects.filter(path__startswith=county.path).select_related(
            "parent"))
        by_id = {r.pk: r for r in regions}
        for region in regions:
            keys = {_norm(exports.place_name(region, county)), _norm(region.name)}
            if region.pk != county.pk:
                keys.add(_norm(county.name + exports.place_name(region, county)))
            for key in keys:
                if key in self.by_name and self.by_name[key] != region:
                    self.by_name[key] = None  # two villages of the same name: ambiguous
                else:
                    self.by_name[key] = region
        self.by_id = by_id

    def find(self, text: str) -> Region:
        key = _norm(text)
        if not key:
            return self.county
        if key not in self.by_name:
            raise _Bad(_("“%(p)s”不是%(county)s的乡镇或村") % {"p": text, "county": self.county.name})
        region = self.by_name[key]
        if region is None:
            raise _Bad(_("“%(p)s”有重名，请连同乡镇一起写，如“城关镇红崖村”") % {"p": text})
        return region


class _Units:
    def __init__(self, county: Region):
        self.lookup = UnitLookup(region=county)
        self.below = {}
        for unit in Unit.objects.filter(region__path__startswith=county.path):
            self.below.setdefault(unit.name, unit)
        self.county = county

    def find(self, name: str) -> Unit | None:
        if not name:
            return None
        unit = self.lookup.find_unit(name) or self.below.get(name)
        if unit is None:
            raise _Bad(_("单位库中没有“%(u)s”（%(county)s及其上级、所辖乡镇的单位）；请写单位全称或简称，"
                         "或请管理员先在单位库中添加") % {"u": name, "county": self.county.name})
        return unit


# ---------------------------------------------------------------- the project library

PROJECT_FIELDS = {  # comparable values of a project, as the export writes them
    "name": _("项目名称"), "category": _("项目类别"), "place": _("建设地点"),
    "content": _("建设内容"), "fundings": _("资金来源及金额"), "unit": _("实施单位"),
    "person": _("责任人"), "targets": _("绩效目标"), "households": _("受益户数"),
    "households_poverty_exit": _("其中脱贫户"), "households_monitored": _("其中监测户"),
}


def _project_values(project: Project, county) -> dict:
    row = exports.project_row(project, county)
    return {
        "name": project.name, "category": project.category, "place": row["place"],
        "region_id": project.region_id, "content": project.content,
        "fundings": {f.source: f.amount for f in project.fundings.all()},
        "unit": row["unit"], "unit_id": project.implementing_unit_id,
        "person": project.responsible_person,
        "targets": [(t.kind, t.indicator, t.target_value) for t in project.targets.all()],
        "households": project.households,
        "households_poverty_exit": project.households_poverty_exit,
        "households_monitored": project.households_monitored,
        "status": project.status,
    }


def _show(name: str, value) -> str:
    if name == "category":
        return str(Project.Category(value).label)
    if name == "fundings":
        return "；".join(f"{FundSource(s).label}：{exports.wan(a)}万元" for s, a in value.items())
    if name == "targets":
        return exports.targets_text([PerformanceTarget(kind=k, indicator=i, target_value=t)
                                     for k, i, t in value])
    return str(value)


def plan_projects(data: bytes, *, file_name: str, county: Region, year: int, user) -> ImportPlan:
    """The project library of `county` (rows without a 年度 are of `year`). Writes nothing."""
    plan = ImportPlan("projects", county)
    sheet, problems = read_sheet(data, file_name=file_name, headers=PROJECT_HEADERS,
                                 required=PROJECT_REQUIRED, max_rows=MAX_ROWS)
    plan.problems += problems
    if sheet is None:
        return plan
    places, units = _Places(county), _Units(county)
    visible = projects_visible_to(user).filter(region__path__startswith=county.path)
    existing = {(p.year, p.code): p for p in exports.project_queryset(visible)}
    # codes used elsewhere (another county, or out of the user's sight) cannot be taken
    codes = {_text(cells.get("code"))[:40] for _row, cells in sheet.rows}
    elsewhere = set(Project.objects.filter(code__in=codes).exclude(pk__in=visible.values("pk"))
                    .values_list("year", "code"))
    with_spending = set(Spending.objects.filter(project__in=visible).values_list(
        "project_id", "source").distinct())
    seen: dict[tuple[int, str], int] = {}
    for row_no, cells in sheet.rows:
        def bad(name, message, row_no=row_no):
            plan.problems.append(Problem(row_no, sheet.columns.get(name, ""), message))

        values = {}
        try:
            values["year"] = _count(cells["year"], label=_("年度")) if _text(
                cells.get("year")) else year
        except _Bad as error:
            bad("year", str(error))
            continue
        if not 2000 <= values["year"] <= 2100:
            bad("year", _("年度“%(y)s”不对") % {"y": cells.get("year")})
            continue
        code = _text(cells.get("code"))[:40]
        name = _text(cells.get("name"))[:200]
        if not code:
            bad("code", _("项目编号不能为空"))
        if not name:
            bad("name", _("项目名称不能为空"))
        key = (values["year"], code)
        if code and key in seen:
            bad("code", _("与第%(row)s行的项目编号相同（%(code)s），同一年度的项目编号不能重复")
                % {"row": seen[key], "code": code})
            continue
        seen[key] = row_no
        if code and key in elsewhere:
            bad("code", _("项目编号 %(code)s 在 %(year)s 年度已被其他地区的项目使用") % {
                "code": code, "year": values["year"]})
            continue
        values.update(name=name, content=_text(cells.get("content")),
                      person=_text(cells.get("person"))[:60])
        category = CATEGORY_NAMES.get(_norm(_text(cells.get("category"))))
        if category is None:
            bad("category", _("未知的项目类别“%(c)s”，可填：%(all)s") % {
                "c": _text(cells.get("category")),
                "all": "、".join(str(label) for _v, label in Project.Category.choices)})
        values["category"] = category
        try:
            region = places.find(_text(cells.get("place")))
            values["region_id"], values["place"] = region.pk, exports.place_name(region, county)
        except _Bad as error:
            bad("place", str(error))
        try:
            unit = units.find(_text(cells.get("unit")))
            values["unit_id"], values["unit"] = (unit.pk, unit.name) if unit else (None, "")
        except _Bad as error:
            bad("unit", str(error))
        amount_header = sheet.headers.get("amount", "万元")
        total = Decimal(0)
        try:
            total = _yuan(cells.get("amount"), amount_header, label=_("资金规模"))
        except _Bad as error:
            bad("amount", str(error))
        try:
            values["fundings"] = _sources(_text(cells.get("sources")), total, amount_header)
        except _Bad as error:
            bad("sources", str(error))
        try:
            values["targets"] = _targets(_text(cells.get("targets")))
        except _Bad as error:
            bad("targets", str(error))
        for name_ in ("households", "households_poverty_exit", "households_monitored"):
            try:
                values[name_] = _count(cells.get(name_), label=str(PROJECT_FIELDS[name_]))
            except _Bad as error:
                bad(name_, str(error))
        if all(k in values for k in ("households", "households_poverty_exit",
                                     "households_monitored")) and (
                values["households_poverty_exit"] + values["households_monitored"]
                > values["households"]):
            bad("households", _("其中脱贫户与其中监测户之和不能超过受益户数"))
        status_text = _text(cells.get("status"))
        status = STATUS_NAMES.get(status_text) if status_text else None
        if status_text and status is None:
            bad("status", _("未知的项目状态“%(s)s”") % {"s": status_text})
        current = existing.get(key)
        before = _project_values(current, county) if current else None
        values["status"] = status or (before["status"] if before else Project.Status.IN_LIBRARY)
        if before and status and status != before["status"]:
            bad("status", _("项目状态只能在系统中按流程变更（现为“%(now)s”）") % {
                "now": Project.Status(before["status"]).label})
        funded = values["status"] in FUNDED_STATES or any(values.get("fundings", {}).values())
        if funded and "targets" in values and not values["targets"]:
            bad("targets", _("安排了资金（或已纳入年度计划）的项目须填写绩效目标（000 六(三)）"))
        planned = PlannedRow(row_no, "create", code, name, values=values)
        if current is not None:
            planned.pk = current.pk
            for name_, label in PROJECT_FIELDS.items():
                if name_ in values and values[name_] != before[name_]:
                    planned.changes.append(Change(name_, str(label), _show(name_, before[name_]),
                                                  _show(name_, values[name_])))
            removed = set(before["fundings"]) - set(values.get("fundings", before["fundings"]))
            for source in sorted(removed):
                if (current.pk, source) in with_spending:
                    bad("sources", _("“%(s)s”已有支出记录，不能通过导入取消该来源的安排") % {
                        "s": FundSource(source).label})
            planned.action = "change" if planned.changes else "unchanged"
        plan.rows.append(planned)
    return plan


def _apply_projects(plan: ImportPlan, actor) -> dict:
    today = timezone.localdate()
    creates = [r for r in plan.rows if r.action == "create"]
    changes = [r for r in plan.rows if r.action == "change"]
    new = [Project(code=r.code, name=r.values["name"], year=r.values["year"],
                   region_id=r.values["region_id"], category=r.values["category"],
                   counts_as_industry=r.values["category"] in INDUSTRY,
                   content=r.values["content"], implementing_unit_id=r.values["unit_id"],
                   responsible_person=r.values["person"], households=r.values["households"],
                   households_poverty_exit=r.values["households_poverty_exit"],
                   households_monitored=r.values["households_monitored"],
                   status=r.values["status"]) for r in creates]
    Project.objects.bulk_create(new)
    for row, project in zip(creates, new, strict=True):
        row.pk = project.pk
    ProjectTransition.objects.bulk_create([
        ProjectTransition(project=p, from_status="", to_status=p.status, actor=actor,
                          comment=_("由项目库 Excel 导入")) for p in new])
    by_pk = Project.objects.in_bulk([r.pk for r in changes])
    updated = []
    for row in changes:
        project, v = by_pk[row.pk], row.values
        project.name, project.category, project.region_id = v["name"], v["category"], v[
            "region_id"]
        project.counts_as_industry = v["category"] in INDUSTRY
        project.content, project.implementing_unit_id = v["content"], v["unit_id"]
        project.responsible_person = v["person"]
        project.households = v["households"]
        project.households_poverty_exit = v["households_poverty_exit"]
        project.households_monitored = v["households_monitored"]
        project.version += 1
        updated.append(project)
    Project.objects.bulk_update(updated, [
        "name", "category", "region", "counts_as_industry", "content", "implementing_unit",
        "responsible_person", "households", "households_poverty_exit", "households_monitored",
        "version"], batch_size=500)
    # fundings and targets: whole sets per touched project
    touched_funding = [r for r in creates + changes
                       if r.action == "create" or any(c.field == "fundings" for c in r.changes)]
    ids = [r.pk for r in touched_funding]
    kept = {(f.project_id, f.source): f for f in ProjectFunding.objects.filter(project_id__in=ids)}
    ProjectFunding.objects.filter(project_id__in=ids).delete()
    ProjectFunding.objects.bulk_create([
        ProjectFunding(project_id=r.pk, source=s, amount=a,
                       allocated_on=getattr(kept.get((r.pk, s)), "allocated_on", today))
        for r in touched_funding for s, a in r.values["fundings"].items()])
    touched_targets = [r for r in creates + changes
                       if r.action == "create" or any(c.field == "targets" for c in r.changes)]
    ids = [r.pk for r in touched_targets]
    achieved = {(t.project_id, t.kind, t.indicator): t.achieved_value
                for t in PerformanceTarget.objects.filter(project_id__in=ids)}
    PerformanceTarget.objects.filter(project_id__in=ids).delete()
    PerformanceTarget.objects.bulk_create([
        PerformanceTarget(project_id=r.pk, kind=k, indicator=i, target_value=t,
                          achieved_value=achieved.get((r.pk, k, i), ""))
        for r in touched_targets for k, i, t in r.values["targets"]])
    return {"create": len(creates), "change": len(changes)}


# ---------------------------------------------------------------- the asset ledger

ASSET_FIELDS = {
    "name": _("资产名称"), "kind": _("类别"), "place": _("所在村"), "value": _("价值"),
    "owner": _("所有权人"), "operator": _("经营主体"), "caretaker": _("管护主体"),
    "caretaker_person": _("管护责任人"), "caretaking_mode": _("管护方式"),
    "performance_target": _("绩效目标"), "exit_terms": _("退出条款"), "project": _("来源项目"),
}
ASSET_TEXT = {"owner": 100, "operator": 100, "caretaker": 100, "caretaker_person": 60,
              "caretaking_mode": 100, "performance_target": 300, "exit_terms": 300}


def _asset_values(asset: Asset, county) -> dict:
    row = exports.asset_row(asset, county)
    return {"name": asset.name, "kind": asset.kind, "place": row["place"],
            "region_id": asset.region_id, "value": asset.value, "project": row["project"],
            "project_id": asset.project_id,
            **{k: getattr(asset, k) for k in ASSET_TEXT}}


def plan_assets(data: bytes, *, file_name: str, county: Region, user) -> ImportPlan:
    plan = ImportPlan("assets", county)
    sheet, problems = read_sheet(data, file_name=file_name, headers=ASSET_HEADERS,
                                 required=ASSET_REQUIRED, max_rows=MAX_ROWS)
    plan.problems += problems
    if sheet is None:
        return plan
    places = _Places(county)
    visible = assets_visible_to(user).filter(region__path__startswith=county.path)
    existing = {a.code: a for a in exports.asset_queryset(visible)}
    codes = {_text(cells.get("code"))[:40] for _row, cells in sheet.rows}
    elsewhere = set(Asset.objects.filter(code__in=codes).exclude(pk__in=visible.values("pk"))
                    .values_list("code", flat=True))
    projects = {}
    for pk, code in (projects_visible_to(user).filter(region__path__startswith=county.path)
                     .order_by("year").values_list("pk", "code")):
        projects[code] = pk  # the latest year's project of that code
    seen: dict[str, int] = {}
    for row_no, cells in sheet.rows:
        def bad(name, message, row_no=row_no):
            plan.problems.append(Problem(row_no, sheet.columns.get(name, ""), message))

        code, name = _text(cells.get("code"))[:40], _text(cells.get("name"))[:200]
        if not code:
            bad("code", _("资产编号不能为空"))
        if not name:
            bad("name", _("资产名称不能为空"))
        if code in seen:
            bad("code", _("与第%(row)s行的资产编号相同（%(code)s）") % {"row": seen[code],
                                                                   "code": code})
            continue
        seen[code] = row_no
        if code in elsewhere:
            bad("code", _("资产编号 %(code)s 已被其他地区的资产使用") % {"code": code})
            continue
        values = {"name": name, **{k: _text(cells.get(k))[:n] for k, n in ASSET_TEXT.items()}}
        kind = KIND_NAMES.get(_norm(_text(cells.get("kind"))))
        if kind is None:
            bad("kind", _("未知的资产类别“%(k)s”，可填：经营性资产、公益性资产、到户类资产") % {
                "k": _text(cells.get("kind"))})
        values["kind"] = kind
        try:
            region = places.find(_text(cells.get("place")))
            values["region_id"], values["place"] = region.pk, exports.place_name(region, county)
        except _Bad as error:
            bad("place", str(error))
        try:
            values["value"] = _yuan(cells.get("value"), sheet.headers.get("value", "万元"),
                                    label=_("资产价值"))
        except _Bad as error:
            bad("value", str(error))
        project_code = _text(cells.get("project"))
        values["project"], values["project_id"] = project_code, projects.get(project_code)
        if project_code and values["project_id"] is None:
            bad("project", _("%(county)s的项目库中没有编号为 %(code)s 的项目") % {
                "county": county.name, "code": project_code})
        current = existing.get(code)
        planned = PlannedRow(row_no, "create", code, name, values=values)
        if current is not None:
            before = _asset_values(current, county)
            planned.pk = current.pk
            for name_, label in ASSET_FIELDS.items():
                if name_ in values and values[name_] != before[name_]:
                    planned.changes.append(Change(name_, str(label),
                                                  _show_asset(name_, before[name_]),
                                                  _show_asset(name_, values[name_])))
            planned.action = "change" if planned.changes else "unchanged"
        plan.rows.append(planned)
    return plan


def _show_asset(name: str, value) -> str:
    if name == "kind":
        return str(Asset.Kind(value).label) if value else ""
    if name == "value":
        return f"{exports.wan(value)}万元"
    return str(value)


def _apply_assets(plan: ImportPlan) -> dict:
    creates = [r for r in plan.rows if r.action == "create"]
    changes = [r for r in plan.rows if r.action == "change"]
    columns = ["name", "kind", "value", *ASSET_TEXT]

    def fill(asset, v):
        for key in columns:
            setattr(asset, key, v[key])
        asset.region_id, asset.project_id = v["region_id"], v["project_id"]
        return asset

    Asset.objects.bulk_create([fill(Asset(code=r.code), r.values) for r in creates])
    by_pk = Asset.objects.in_bulk([r.pk for r in changes])
    Asset.objects.bulk_update([fill(by_pk[r.pk], r.values) for r in changes],
                              [*columns, "region", "project"], batch_size=500)
    return {"create": len(creates), "change": len(changes)}


# ---------------------------------------------------------------- writing

KIND_LABEL = {"projects": _("项目库"), "assets": _("资产台账")}


def plan_for(kind: str, data: bytes, *, file_name: str, county: Region, year: int, user):
    if kind == "projects":
        return plan_projects(data, file_name=file_name, county=county, year=year, user=user)
    return plan_assets(data, file_name=file_name, county=county, user=user)


@transaction.atomic
def apply_plan(plan: ImportPlan, *, actor, file_name: str) -> dict:
    """Writes a plan without problems; one FUNDS_IMPORT audit row. Refuses any other."""
    if plan.problems or not plan.rows:
        raise ValidationError(_("表中有问题，未导入任何内容；请修改后重新上传。"))
    written = (_apply_projects(plan, actor) if plan.kind == "projects"
               else _apply_assets(plan))
    result = {**written, "unchanged": plan.count("unchanged")}
    audit.record(
        actor=actor, action=audit.Action.FUNDS_IMPORT,
        subject=audit.subject("region", plan.county.code),
        summary=_("导入%(county)s%(kind)s“%(file)s”：新增 %(create)s 条，修改 %(change)s 条")
        % {"county": plan.county.name, "kind": KIND_LABEL[plan.kind], "file": file_name,
           **result},
        after={"kind": plan.kind, "county": plan.county.code, "file": file_name, **result,
               "codes": [r.code for r in plan.rows if r.action != "unchanged"][:200]})
    return result
