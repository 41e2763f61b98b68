"""The 项目库 and 资产台账 in Excel: preview, errors by row and column in Chinese, nothing
written when any row is wrong, one transaction with one audit row, round trip unchanged,
formula cells neutralised in every export; the pages and who may use them."""

from __future__ import annotations

import io
import time
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from funds import exports
from funds.models import Allocation, Asset, PerformanceTarget, Project, ProjectFunding
from funds.services import imports as svc
from obligations.models import AuditEntry, Region
from tests.funds.conftest import make_project

HEAD = exports.PROJECT_COLUMNS


def xlsx(columns, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["隆德县2022年巩固拓展脱贫攻坚成果和乡村振兴项目库"])  # a title row above the header
    sheet.append(columns)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def project_row(**over):
    row = {"序号": 1, "年度": 2022, "项目编号": "LD-2022-001", "项目名称": "北关村肉牛养殖项目",
           "项目类别": "产业发展", "建设地点（乡镇、村）": "城关镇北关村", "建设内容": "新建牛棚2座\n购置饲草机1台",
           "资金规模（万元）": 50, "资金来源": "财政专项扶贫资金", "实施单位": "扶贫办", "责任人": "李明",
           "绩效目标": "产出指标：新建牛棚：2座；满意度指标：受益群众满意度：≥90%", "受益户数": 30,
           "其中脱贫户": 10, "其中监测户": 2, "项目状态": "纳入年度计划"}
    row.update(over)
    return [row.get(c, "") for c in HEAD]


def plan(world, data, user="longde_nongban"):
    return svc.plan_projects(data, file_name="项目库.xlsx", county=world.longde, year=2022,
                             user=world.users[user])


def test_preview_reads_a_county_library_and_writes_nothing(funds_world):
    data = xlsx(HEAD, [project_row(), project_row(**{"项目编号": "LD-2022-002", "项目名称": "道路硬化",
                                                      "项目类别": "基础设施", "建设地点（乡镇、村）": "城关镇",
                                                      "资金来源": "整合资金：20；县级衔接资金：10",
                                                      "资金规模（万元）": 30})])
    result = plan(funds_world, data)
    assert result.problems == []
    assert [r.action for r in result.rows] == ["create", "create"]
    first = result.rows[0].values
    assert first["region_id"] == funds_world.village.pk
    assert first["fundings"] == {"central": Decimal("500000.00")}  # the old name is 衔接资金
    assert first["targets"][1] == ("satisfaction", "受益群众满意度", "≥90%")
    assert result.rows[1].values["fundings"] == {"integrated": Decimal("200000.00"),
                                                 "county": Decimal("100000.00")}
    assert not Project.objects.exists()


def test_errors_are_named_by_row_and_column_in_chinese_and_nothing_is_written(funds_world):
    rows = [
        project_row(),
        project_row(**{"项目编号": "LD-2", "建设地点（乡镇、村）": "不存在乡", "资金规模（万元）": -5}),
        project_row(**{"项目编号": "LD-3", "实施单位": "不存在局", "资金来源": "天上掉的资金"}),
        project_row(**{"项目编号": "LD-4", "项目类别": "吃喝", "绩效目标": ""}),
        project_row(**{"项目编号": "LD-2"}),
    ]
    result = plan(funds_world, xlsx(HEAD, rows))
    where = {(p.row, p.column.split("列")[0]): p.message for p in result.problems}
    assert "不是隆德县的乡镇或村" in where[(4, "F")]
    assert "不能为负数" in where[(4, "H")]
    assert "单位库中没有“不存在局”" in where[(5, "J")]
    assert "未知的资金来源“天上掉的资金”" in where[(5, "I")]
    assert "未知的项目类别“吃喝”" in where[(6, "E")]
    assert "须填写绩效目标" in where[(6, "L")]
    assert "项目编号相同" in where[(7, "C")]
    assert result.problems[0].where.startswith("第4行 F列“建设地点（乡镇、村）”")
    assert not result.valid
    with pytest.raises(Exception, match="未导入任何内容"):
        svc.apply_plan(result, actor=funds_world.users["admin"], file_name="x.xlsx")
    assert not Project.objects.exists() and not ProjectFunding.objects.exists()


def test_confirm_writes_in_one_transaction_with_one_audit_row(funds_world):
    result = plan(funds_world, xlsx(HEAD, [project_row()]))
    before = AuditEntry.objects.count()
    written = svc.apply_plan(result, actor=funds_world.users["longde_nongban"],
                             file_name="项目库.xlsx")
    assert written == {"create": 1, "change": 0, "unchanged": 0}
    project = Project.objects.get(code="LD-2022-001")
    assert project.status == Project.Status.PLANNED and project.counts_as_industry
    assert project.content == "新建牛棚2座\n购置饲草机1台"
    assert project.targets.count() == 2 and project.transitions.count() == 1
    entries = AuditEntry.objects.order_by("-id")[: AuditEntry.objects.count() - before]
    assert [e.action for e in entries] == [AuditEntry.Action.FUNDS_IMPORT]


def test_round_trip_export_import_changes_nothing(funds_world):
    make_project(funds_world.village, code="P-1", funding=Decimal("123456.78"),
                 status=Project.Status.PLANNED)
    other = make_project(funds_world.chengguan, code="P-2", targets=2)
    ProjectFunding.objects.create(project=other, source="integrated", amount=Decimal("10000.01"),
                                  allocated_on="2022-03-01")
    ProjectFunding.objects.create(project=other, source="county", amount=Decimal("5"),
                                  allocated_on="2022-03-01")
    other.content = "=HYPERLINK(\"http://x\")"
    other.save()
    data = exports.projects_xlsx(Project.objects.all(), funds_world.longde)
    result = plan(funds_world, data)
    assert result.problems == [] and result.summary()["unchanged"] == 2, result.problems
    assert not result.has_changes
    # a change shows field by field
    book = load_workbook(io.BytesIO(data))
    book.active["D2"] = "新名字"
    out = io.BytesIO()
    book.save(out)
    changed = plan(funds_world, out.getvalue())
    assert [(c.label, c.after) for c in changed.rows[0].changes] == [("项目名称", "新名字")]


def test_asset_ledger_round_trip_and_errors(funds_world):
    project = make_project(funds_world.village, code="P-1")
    Asset.objects.create(code="ZC-1", name="肉牛圈舍", kind="operating", region=funds_world.village,
                         value=Decimal("300000"), owner="北关村股份经济合作社", operator="某合作社",
                         exit_terms="=1+1", project=project)
    data = exports.assets_xlsx(Asset.objects.all(), funds_world.longde)
    result = svc.plan_assets(data, file_name="台账.xlsx", county=funds_world.longde,
                             user=funds_world.users["longde_nongban"])
    assert result.problems == [] and result.summary()["unchanged"] == 1
    bad = xlsx(exports.ASSET_COLUMNS, [[1, "ZC-2", "桥", "好的类别", "城关镇北关村", -1, "", "", "",
                                        "", "", "", "", "NOPE"]])
    result = svc.plan_assets(bad, file_name="台账.xlsx", county=funds_world.longde,
                             user=funds_world.users["longde_nongban"])
    messages = {p.column[:1]: p.message for p in result.problems}
    assert "未知的资产类别" in messages["D"] and "不能为负数" in messages["F"]
    assert "没有编号为 NOPE 的项目" in messages["N"]


def test_exports_neutralise_formula_cells(funds_world):
    project = make_project(funds_world.village, code="P-1", name="=cmd|' /C calc'!A0")
    Asset.objects.create(code="ZC-1", name="@SUM(A1)", kind="public", region=funds_world.village,
                         value=1, project=project)
    Allocation.objects.create(year=2022, source="central", to_region=funds_world.longde,
                              amount=100, note="+1+2")
    for data, cell in ((exports.projects_xlsx(Project.objects.all(), funds_world.longde), "D2"),
                       (exports.assets_xlsx(Asset.objects.all(), funds_world.longde), "C2"),
                       (exports.allocations_xlsx(Allocation.objects.all()), "K2")):
        sheet = load_workbook(io.BytesIO(data)).active
        assert sheet[cell].data_type == "s" and sheet[cell].quotePrefix, cell
    sheet = load_workbook(io.BytesIO(exports.allocations_xlsx(Allocation.objects.all()))).active
    assert sheet["F2"].value == 0.01  # numbers stay numbers (万元)


def test_a_sibling_countys_code_and_unreadable_files_are_refused(funds_world):
    make_project(funds_world.xinbin, code="LD-2022-001")
    result = plan(funds_world, xlsx(HEAD, [project_row()]))
    assert "已被其他地区的项目使用" in result.problems[0].message
    with pytest.raises(Exception, match="不是可读取的 Excel"):
        plan(funds_world, b"not a workbook")


def test_who_may_import(funds_world):
    users = funds_world.users
    assert set(svc.importable_counties(users["longde_nongban"]).values_list("code", flat=True)) \
        == {"640423"}
    assert set(svc.importable_counties(users["xinbin"]).values_list("code", flat=True)) \
        == {"210422"}
    assert not svc.importable_counties(users["longde_leader"]).exists()
    assert not svc.importable_counties(users["fushun_leader"]).exists()
    assert not svc.importable_counties(users["longde_chengguan"]).exists()
    assert svc.importable_counties(users["admin"]).filter(code="210423").exists()


def test_pages_upload_preview_confirm(client, funds_world):
    client.force_login(funds_world.users["longde_nongban"])
    assert client.get("/funds/import/").status_code == 200
    upload = io.BytesIO(xlsx(HEAD, [project_row()]))
    upload.name = "项目库.xlsx"
    response = client.post("/funds/import/", {"kind": "projects", "county": "640423",
                                              "year": 2022, "file": upload})
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url).content.decode()
    assert "北关村肉牛养殖项目" in page and "确认导入（新增 1 条" in page
    digest = page.split('name="digest" value="')[1].split('"')[0]
    assert client.post(preview_url + "confirm/", {"digest": "stale"}).status_code == 302
    assert not Project.objects.exists()
    client.post(preview_url + "confirm/", {"digest": digest})
    assert Project.objects.filter(code="LD-2022-001").exists()
    client.post(preview_url + "confirm/", {"digest": digest})  # a second confirm writes nothing
    assert AuditEntry.objects.filter(action=AuditEntry.Action.FUNDS_IMPORT).count() == 1
    # another person cannot open someone else's upload
    client.force_login(funds_world.users["admin"])
    assert client.get(preview_url).status_code == 404
    client.force_login(funds_world.users["longde_leader"])
    assert client.get("/funds/import/").status_code == 403
    response = client.get("/funds/export/projects.xlsx?county=640423")
    assert response.status_code == 200 and load_workbook(io.BytesIO(response.content)).active[
        "C2"].value == "LD-2022-001"


def test_a_county_cannot_export_another_county(client, funds_world):
    make_project(funds_world.xinbin, code="XB-1")
    client.force_login(funds_world.users["longde_nongban"])
    assert client.get("/funds/export/projects.xlsx?county=210422").status_code == 404


def test_two_thousand_rows_import_in_under_ten_seconds(funds_world):
    rows = [project_row(**{"序号": i, "项目编号": f"LD-{i:05d}", "项目名称": f"项目{i}"})
            for i in range(2000)]
    data = xlsx(HEAD, rows)
    start = time.perf_counter()
    result = plan(funds_world, data)
    svc.apply_plan(result, actor=funds_world.users["admin"], file_name="big.xlsx")
    assert time.perf_counter() - start < 10
    assert Project.objects.count() == 2000 and PerformanceTarget.objects.count() == 4000
    assert Region.objects.filter(code="640423").exists()


def test_exports_take_a_bounded_number_of_queries(client, funds_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(funds_world.users["longde_nongban"])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            for url in ("/funds/export/projects.xlsx?county=640423",
                        "/funds/export/assets.xlsx?county=640423",
                        "/funds/export/allocations.xlsx"):
                assert client.get(url).status_code == 200
        return len(captured)

    def grow(start, n):
        for i in range(start, start + n):
            project = make_project(funds_world.village, code=f"Q-{i}", funding=Decimal(100))
            Asset.objects.create(code=f"ZC-Q-{i}", name="圈舍", kind="operating",
                                 region=funds_world.village, value=1, project=project)
            Allocation.objects.create(year=2022, source="central", to_region=funds_world.longde,
                                      amount=100)

    grow(0, 2)
    few = queries()
    grow(2, 20)
    assert queries() == few
