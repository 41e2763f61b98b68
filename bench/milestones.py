"""Milestone generation for N tasks over the whole transition (issue 4)."""

from __future__ import annotations

import datetime

from django.db import connection, transaction

from obligations.models import Milestone, Obligation, PolicyDocument, Region, Task, Unit
from obligations.services.schedule import generate_milestones

SPECS = [
    {"kind": "ongoing"},
    {"kind": "default"},
    {"kind": "one_off", "date": "2021-06-30"},
    {"kind": "date_then_ongoing", "date": "2021-10-30"},
    {"kind": "recurring", "frequency": "annual", "month": 12, "dekad": "上旬"},
    {"kind": "recurring", "frequency": "monthly"},
]


@transaction.atomic
def build(tasks: int) -> None:
    """A county with 100 units and tasks/100 obligations, every unit on every obligation."""
    county = Region.objects.create(code="990001", name="基准县", level="county")
    units = Unit.objects.bulk_create(
        [Unit(name=f"基准单位{i:03d}", region=county) for i in range(100)]
    )
    document = PolicyDocument.objects.create(
        title="基准文件", level="county", region=county, issued_on=datetime.date(2021, 6, 2)
    )
    count = max(1, tasks // len(units))
    obligations = Obligation.objects.bulk_create([
        Obligation(document=document, kind="measure", code=str(i), position=i,
                   title=f"基准措施{i}", deadline={**SPECS[i % len(SPECS)], "words": "基准"})
        for i in range(count)
    ])
    Task.objects.bulk_create([
        Task(obligation=o, unit=u, role="lead") for o in obligations for u in units
    ])


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE obligations_milestone CASCADE")


def bare_insert(rows: int):
    def run():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO obligations_milestone (task_id, due_on, kind, status, light) "
                "SELECT t.id, DATE '2021-01-01' + (g * 7), 'checkin', 'open', 'green' "
                "FROM obligations_task t CROSS JOIN generate_series(1, %s) g",
                [max(1, rows // Task.objects.count())],
            )
    return run


def run(*, tasks: int, repeat: int, timed) -> list[tuple]:
    build(tasks)
    task_count = Task.objects.count()
    samples = timed(generate_milestones, repeat=repeat, before=clear)
    rows = Milestone.objects.count()
    baseline = timed(bare_insert(rows), repeat=repeat, before=clear)
    again = timed(generate_milestones, repeat=repeat)  # idempotent re-run: nothing to add
    return [
        ("节点生成（全过渡期）", f"{task_count}任务/{rows}节点", samples, baseline,
         "同样行数的裸 SQL INSERT…SELECT"),
        ("节点重新生成（无变化）", f"{task_count}任务/{rows}节点", again, baseline,
         "同上"),
    ]
