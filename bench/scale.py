"""The scale curve (issue 17): the jobs and the pages on the synthetic province at 1×, 2×, 4×.

Each factor multiplies the number of cities of the base size, so every county keeps the same
shape (units, measures, milestones, reports) and only their number grows. Each factor starts
from empty register tables (truncated, then generated with the same seed), so the jobs, which
work on the whole database, see that factor's province and nothing else; it runs after the
other benchmarks, whose rows it removes.

Target: the sweep, aggregation and assessment at 4× within 4.5× their 1× time (at most
linear, with some slack); the next night's sweep costing in proportion to what changes; the
county-level pages flat, the province overview at most linear.
"""

from __future__ import annotations

import datetime
import statistics

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from bench import jobs
from bench.dashboards import signed_in_leader
from obligations.models import Membership, Milestone, Region, Task, Unit

TODAY = datetime.date(2024, 6, 15)

# Everything the synthetic province and the jobs write; CASCADE takes the tables that refer to
# them (memberships, reports, reminders, inbox, the other benchmarks' rows). The transition
# period, the assessment weights and the users stay.
_TABLES = ("obligations_region", "obligations_unit", "obligations_policydocument",
           "obligations_obligation", "obligations_task", "obligations_milestone",
           "obligations_progressreport", "obligations_reminder", "obligations_notification",
           "monitoring_progresssummary", "monitoring_monthlysummary", "monitoring_assessmentyear",
           "monitoring_jobrun")

# The jobs' target: 4.5× at 4×, i.e. at most linear with an eighth of slack.
JOB_SLACK = 4.5 / 4


def clear_register() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(_TABLES)} RESTART IDENTITY CASCADE")


def signed_in_official(unit: Unit) -> Client:
    """A test client signed in as an official (填报人) of `unit`."""
    official, _created = get_user_model().objects.get_or_create(username="bench_official")
    Membership.objects.get_or_create(user=official, unit=unit, role="official")
    http = Client()
    http.force_login(official)
    return http


def _pages(*, requests: int, timed) -> dict[str, list[float]]:
    province = Region.objects.filter(level="province", name__startswith="合成省").get()
    county = Region.objects.filter(level="county", parent__parent=province).order_by("code").first()
    unit = Unit.objects.filter(region=county, kind="department").order_by("id").first()
    task = Task.objects.filter(unit=unit, role="lead").order_by("id").first()
    leader, official = signed_in_leader(province), signed_in_official(unit)
    pages = {
        "看板：全省总览": (leader, reverse("monitoring:overview"), {"year": 2024}),
        "看板：县": (leader, reverse("monitoring:region", args=[county.code]), {"year": 2024}),
        "填报人：任务清单": (official, reverse("obligations:tasks"), {}),
        "填报人：任务页": (official, reverse("obligations:task", args=[task.pk]), {}),
    }
    samples = {}
    for label, (http, url, params) in pages.items():

        def fetch(http=http, url=url, params=params):
            response = http.get(url, params)
            assert response.status_code == 200, (url, response.status_code)

        fetch()  # warm
        samples[label] = timed(fetch, repeat=requests)
    return samples


def _one_factor(*, size: dict, repeat: int, requests: int, timed) -> dict:
    clear_register()
    jobs.generate_province(size, today=TODAY)
    measured = jobs.measure(today=TODAY, repeat=repeat, timed=timed)
    pages = _pages(requests=requests, timed=timed)
    changed = measured["changed"]
    return {
        "milestones": Milestone.objects.count(),
        "tasks": Task.objects.count(),
        "changed": f"{changed['milestones_changed']}节点/{changed['tasks_changed']}任务",
        "逾期扫描（全量，亮灯重置后）": measured["sweep"],
        "逾期扫描：次日（上一晚已扫描）": measured["next_day"],
        "进度汇总（全省）": measured["aggregation"],
        "年度考核（2023年）": measured["assessment"],
        **pages,
    }


def run(*, factors: list[int], base: dict, repeat: int, requests: int, timed) -> list[tuple]:
    """Rows of the scale table: (measurement, one cell per factor, ratio last/first, target)."""
    results = {factor: _one_factor(size={**base, "cities": base["cities"] * factor},
                                   repeat=repeat, requests=requests, timed=timed)
               for factor in factors}
    first, last = factors[0], factors[-1]
    growth = last / first
    rows = [
        ("规模：节点（任务）", [f"{r['milestones']}（{r['tasks']}）" for r in results.values()],
         f"{results[last]['milestones'] / results[first]['milestones']:.1f}×", "—"),
        ("次日变化的亮灯", [r["changed"] for r in results.values()], "—", "与变化量相称"),
    ]
    targets = {
        "逾期扫描（全量，亮灯重置后）": f"≤{growth * JOB_SLACK:.1f}×",
        "逾期扫描：次日（上一晚已扫描）": "与变化量相称",
        "进度汇总（全省）": f"≤{growth * JOB_SLACK:.1f}×",
        "年度考核（2023年）": f"≤{growth * JOB_SLACK:.1f}×",
        "看板：全省总览": f"≤{growth:.0f}×（线性）",
        "看板：县": "持平（≈1×）",
        "填报人：任务清单": "持平（≈1×）",
        "填报人：任务页": "持平（≈1×）",
    }
    for name, target in targets.items():
        medians = [statistics.median(r[name]) for r in results.values()]
        rows.append((name, [f"{m:.3f}" for m in medians], f"{medians[-1] / medians[0]:.2f}×",
                     target))
    return rows


def print_table(rows: list[tuple], factors: list[int]) -> None:
    header = ("规模曲线（中位数，秒）", *(f"{f}×" for f in factors),
              f"{factors[-1]}×/{factors[0]}×", "目标")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for name, cells, ratio, target in rows:
        print(" | ".join((name, *cells, ratio, target)))
