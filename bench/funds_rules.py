"""Funds (issue 15) on the synthetic province: the rule checks for all counties and years
(target < 5 s) after `funds.demo.generate_funds` (≈ 50 projects per county per year, monthly
spending), the import of a 2,000-row project library (target < 10 s), and the funds
dashboards, flags and API through the full Django stack as the province's leader (target:
median under 150 ms)."""

from __future__ import annotations

import io
import sys
import time

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from openpyxl import Workbook, load_workbook

from funds import exports
from funds.demo import generate_funds
from funds.models import Project
from funds.rules import check_all
from funds.services.imports import apply_plan, plan_projects
from obligations.models import Region


def _bare_sums():
    with connection.cursor() as cursor:  # the same tables, summed with no logic
        cursor.execute("SELECT p.region_id, p.year, p.counts_as_industry, sum(f.amount) "
                       "FROM funds_projectfunding f JOIN funds_project p ON p.id = f.project_id "
                       "GROUP BY 1, 2, 3")
        cursor.fetchall()
        cursor.execute("SELECT to_region_id, year, source, sum(amount) FROM funds_allocation "
                       "GROUP BY 1, 2, 3")
        cursor.fetchall()


def _library(county: Region, rows: int) -> bytes:
    township = Region.objects.filter(parent=county).first()
    book = Workbook()
    sheet = book.active
    sheet.append(exports.PROJECT_COLUMNS)
    for i in range(rows):
        sheet.append([i + 1, 2026, f"B-{i:05d}", f"基准项目{i}", "产业发展", township.name,
                      "新建温室大棚", 50, "中央财政衔接推进乡村振兴补助资金", "", "李明",
                      "产出指标：新建大棚：20座；满意度指标：受益群众满意度：≥90%", 30, 10, 2,
                      "纳入年度计划"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class _Rollback(Exception):
    pass


def run(*, repeat: int, timed) -> list[tuple]:
    counties = list(Region.objects.filter(level="county", name__startswith="合成市")
                    .select_related("parent").order_by("code"))
    if not counties:
        return []
    print(f"为 {len(counties)} 个合成县生成资金数据……", file=sys.stderr)
    started = time.monotonic()
    counts = generate_funds(counties, per_year=50)
    print(f"  {counts}，用时 {time.monotonic() - started:.0f} 秒", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE funds_project, funds_projectfunding, funds_spending, "
                       "funds_allocation, funds_asset")
    rules = timed(check_all, repeat=repeat)
    bare = timed(_bare_sums, repeat=repeat)
    flags = len(check_all())

    admin = get_user_model().objects.filter(is_superuser=True).first() or \
        get_user_model().objects.create_superuser("bench_admin", "", "x")
    county = counties[0]
    data = _library(county, 2000)

    def import_once():
        try:
            with transaction.atomic():
                plan = plan_projects(data, file_name="基准项目库.xlsx", county=county, year=2026,
                                     user=admin)
                assert not plan.problems, plan.problems[:3]
                apply_plan(plan, actor=admin, file_name="基准项目库.xlsx")
                raise _Rollback
        except _Rollback:
            pass

    imports = timed(import_once, repeat=max(1, repeat // 2))
    reading = timed(lambda: list(load_workbook(io.BytesIO(data), read_only=True)
                                 .active.iter_rows(values_only=True)),
                    repeat=max(1, repeat // 2))
    projects = Project.objects.count()
    return [
        ("资金规则（全部县、全部年度）", f"{len(counties)}县×5年，{projects}个项目，{counts['spendings']}条月度支出",
         rules, bare, f"目标 <5 秒；基线：按县、年度的裸 SQL 汇总；共 {flags} 条提示"),
        ("导入项目库（预览+写入）", "2000行", imports, reading,
         "目标 <10 秒；基线：openpyxl 只读读出同一工作簿"),
        *_pages(counties, repeat=repeat, timed=timed),
    ]


def _pages(counties, *, repeat, timed) -> list[tuple]:
    from django.urls import reverse

    from bench.dashboards import signed_in_leader

    county = counties[0]
    city = county.parent
    http = signed_in_leader(city.parent)
    pages = [
        ("资金看板：全省", reverse("funds:dashboard_region", args=[city.parent.code]), {}),
        ("资金看板：市（2024年）", reverse("funds:dashboard_region", args=[city.code]),
         {"year": 2024}),
        ("资金看板：县", reverse("funds:dashboard_region", args=[county.code]), {}),
        ("资金规则提示：全省", reverse("funds:flags"), {}),
        ("GET /api/v1/funds/summary/（全省）", "/api/v1/funds/summary/", {}),
        ("GET /api/v1/funds/projects/?page_size=100", "/api/v1/funds/projects/",
         {"page_size": 100}),
    ]
    baseline = timed(lambda: http.get(reverse("obligations:notifications")), repeat=20)
    rows = []
    requests = max(5, repeat * 4)
    for label, url, params in pages:

        def fetch(url=url, params=params):
            response = http.get(url, params)
            assert response.status_code == 200, (url, response.status_code)

        fetch()  # warm
        rows.append((label, f"{requests}次请求", timed(fetch, repeat=requests), baseline,
                     "目标中位数 <0.15 秒；基线：同一会话 GET /notifications/"))
    return rows

