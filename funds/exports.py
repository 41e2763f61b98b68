"""The funds tables in the layouts counties keep in Excel: the project library (项目库), the
asset ledger (资产台账) and the allocation table. Every workbook is written through
obligations.selectors.exports (`append_row`, `header_row`), so text that starts like a formula
stays text. The rows are also what the import (funds.services.imports) compares a sheet
against: a library exported and imported back changes nothing.

Amounts are written in 万元 (the counties' unit), as numbers; callers pass querysets already
scoped (funds.selectors).
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.db.models import Prefetch
from openpyxl import Workbook
from openpyxl.styles import Alignment

from funds.models import Asset, FundSource, PerformanceTarget, Project
from obligations.selectors.exports import append_row, header_row

WAN = Decimal(10000)
KIND_LABELS = {k: str(label) for k, label in PerformanceTarget.Kind.choices}

PROJECT_COLUMNS = ["序号", "年度", "项目编号", "项目名称", "项目类别", "建设地点（乡镇、村）", "建设内容",
                   "资金规模（万元）", "资金来源", "实施单位", "责任人", "绩效目标", "受益户数",
                   "其中脱贫户", "其中监测户", "项目状态"]
PROJECT_KEYS = ["number", "year", "code", "name", "category", "place", "content", "amount",
                "sources", "unit", "person", "targets", "households", "households_poverty_exit",
                "households_monitored", "status"]
PROJECT_WIDTHS = [6, 8, 16, 28, 14, 18, 36, 12, 30, 20, 10, 48, 10, 10, 10, 12]

ASSET_COLUMNS = ["序号", "资产编号", "资产名称", "类别", "所在村", "价值（万元）", "所有权人", "经营主体",
                 "管护主体", "管护责任人", "管护方式", "绩效目标", "退出条款", "来源项目"]
ASSET_KEYS = ["number", "code", "name", "kind", "place", "value", "owner", "operator",
              "caretaker", "caretaker_person", "caretaking_mode", "performance_target",
              "exit_terms", "project"]
ASSET_WIDTHS = [6, 16, 28, 12, 18, 12, 18, 18, 18, 12, 14, 30, 30, 16]

ALLOCATION_COLUMNS = ["序号", "年度", "资金来源", "下达单位", "接收单位", "金额（万元）", "分配方法",
                      "分配因素", "下达文号", "下达日期", "备注"]
ALLOCATION_WIDTHS = [6, 8, 30, 14, 16, 12, 10, 30, 22, 14, 30]


def wan(amount) -> Decimal:
    """元 → 万元, as the sheet shows it (no trailing zeros)."""
    value = (Decimal(amount or 0) / WAN).quantize(Decimal("0.000001"))
    return value.normalize() if value else Decimal(0)


def place_name(region, county) -> str:
    """建设地点 as counties write it: 乡镇 and 村 (the county itself by its name)."""
    if region is None:
        return ""
    if county is not None and region.pk == county.pk:
        return region.name
    names = []
    node = region
    while node is not None and (county is None or node.pk != county.pk):
        names.append(node.name)
        node = node.parent if node.parent_id else None
    return "".join(reversed(names))


def targets_text(targets) -> str:
    """绩效目标 as one cell: 产出指标：新建温棚：20座；效益指标：…"""
    return "；".join(f"{KIND_LABELS[t.kind]}：{t.indicator}：{t.target_value}" for t in targets)


def sources_text(fundings) -> str:
    """One source: its name (the amount is the 资金规模); several: 名称：金额（万元） each."""
    fundings = sorted(fundings, key=lambda f: list(FundSource.values).index(f.source))
    if len(fundings) == 1:
        return str(FundSource(fundings[0].source).label)
    return "；".join(f"{FundSource(f.source).label}：{wan(f.amount)}" for f in fundings)


def project_queryset(projects):
    return (projects.select_related("region__parent__parent", "implementing_unit")
            .prefetch_related("fundings", Prefetch("targets",
                                                   queryset=PerformanceTarget.objects.order_by(
                                                       "id")))
            .order_by("year", "code"))


def project_row(project: Project, county, number: int = 0) -> dict:
    fundings = list(project.fundings.all())
    return {
        "number": number, "year": project.year, "code": project.code, "name": project.name,
        "category": project.get_category_display(),
        "place": place_name(project.region, county), "content": project.content,
        "amount": wan(sum((f.amount for f in fundings), Decimal(0))),
        "sources": sources_text(fundings),
        "unit": project.implementing_unit.name if project.implementing_unit_id else "",
        "person": project.responsible_person, "targets": targets_text(project.targets.all()),
        "households": project.households,
        "households_poverty_exit": project.households_poverty_exit,
        "households_monitored": project.households_monitored,
        "status": project.get_status_display(),
    }


def project_rows(projects, county=None) -> list[dict]:
    return [project_row(p, county, n) for n, p in enumerate(project_queryset(projects), start=1)]


def asset_queryset(assets):
    return assets.select_related("region__parent__parent", "project").order_by("code")


def asset_row(asset: Asset, county, number: int = 0) -> dict:
    return {
        "number": number, "code": asset.code, "name": asset.name,
        "kind": asset.get_kind_display(), "place": place_name(asset.region, county),
        "value": wan(asset.value), "owner": asset.owner, "operator": asset.operator,
        "caretaker": asset.caretaker, "caretaker_person": asset.caretaker_person,
        "caretaking_mode": asset.caretaking_mode, "performance_target": asset.performance_target,
        "exit_terms": asset.exit_terms, "project": asset.project.code if asset.project_id else "",
    }


def asset_rows(assets, county=None) -> list[dict]:
    return [asset_row(a, county, n) for n, a in enumerate(asset_queryset(assets), start=1)]


def allocation_rows(allocations) -> list[list]:
    rows = []
    queryset = allocations.select_related("from_region", "to_region").order_by(
        "year", "to_region__path", "source", "id")
    for number, a in enumerate(queryset, start=1):
        factors = "；".join(f"{k}：{v}" for k, v in (a.factors or {}).items())
        rows.append([number, a.year, a.get_source_display(),
                     a.from_region.name if a.from_region_id else "", a.to_region.name,
                     wan(a.amount), a.get_method_display(), factors, a.doc_number,
                     f"{a.allocated_on.year}年{a.allocated_on.month}月{a.allocated_on.day}日"
                     if a.allocated_on else "", a.note])
    return rows


def workbook(title: str, columns: list[str], widths: list[int], rows: list[list]) -> bytes:
    """One sheet, header as the county's, frozen; text cells neutralised (append_row)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    header_row(sheet, columns, widths)
    for values in rows:
        append_row(sheet, [float(v) if isinstance(v, Decimal) else v for v in values])
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def projects_xlsx(projects, county=None) -> bytes:
    rows = [[row[k] for k in PROJECT_KEYS] for row in project_rows(projects, county)]
    return workbook("项目库", PROJECT_COLUMNS, PROJECT_WIDTHS, rows)


def assets_xlsx(assets, county=None) -> bytes:
    rows = [[row[k] for k in ASSET_KEYS] for row in asset_rows(assets, county)]
    return workbook("资产台账", ASSET_COLUMNS, ASSET_WIDTHS, rows)


def allocations_xlsx(allocations) -> bytes:
    return workbook("资金分配", ALLOCATION_COLUMNS, ALLOCATION_WIDTHS, allocation_rows(allocations))
