"""A history for the local demo (`make run`), relative to the day it runs, so the demo looks
like a county's work today and stays believable next year too. Never in production or tests'
real data: called only by the `demo_history` command, which `make run` runs after `load_seed`.

- The 2021–2025 过渡期 (its seed documents): about nine in ten milestones reported and approved
  over the five years, the five yearly assessments published; the period closed out — most
  unfinished tasks 已完成 late, 隆德's by its 衔接清单 (fixtures/demo2026, 隆乡振发〔2026〕3号:
  延续/优化/调整 linked to their 2026 successors, 退出 with the reasons), a few of 抚顺's
  left to dispose (the close-out page has work).
- The current period: the 2026 分工方案 written for the demo (fixtures/demo2026, marked so in
  their meta) are imported as any document; milestones due so far are mostly reported and
  approved, those of the last three weeks wait in the review queue, a few are overdue.
- A task's status follows its latest approved report.

Deterministic (a hash of the milestone id, not random()), so every fresh `make run` shows
the same mix for the same day.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from monitoring.assessment import compute_assessment, publish_assessment
from monitoring.jobs import aggregate_progress, sweep_overdue
from monitoring.period_summary import compute_period_summary
from obligations import periods
from obligations.importers import parse_text
from obligations.importers.formats import read_document
from obligations.models import (
    Disposition,
    Obligation,
    PolicyDocument,
    ProgressReport,
    Task,
)
from obligations.services.documents import save_parsed_document

DEMO_2026 = Path(settings.BASE_DIR) / "fixtures" / "demo2026"
DOCUMENTS_2026 = ["longde_2026_fengong.txt", "fushun_2026_fengong.txt"]
LINKAGE_LIST = "longde_2026_xianjie_qingdan.txt"
KINDS = {"延续": "continued", "优化": "optimised", "调整": "adjusted", "退出": "ended",
         "已完成": "done"}

# r: a deterministic number in [0, 1) per milestone. Closed periods: nearly everything
# reported long ago and approved. The live period: what is due is mostly reported; the last
# three weeks' reports wait for review; a few milestones are overdue; a few reports of
# milestones due in the next ten days came in early.
_REPORTS = """
WITH chosen AS (
    SELECT m.id, m.task_id, m.due_on, m.kind, t.live,
           abs(hashtext(m.id::text)) / 2147483647.0 AS r,
           (SELECT ms.user_id FROM obligations_membership ms
            WHERE ms.unit_id = t.unit_id AND ms.role = 'official' ORDER BY ms.id LIMIT 1) AS user_id,
           (SELECT ms.user_id FROM obligations_membership ms
            JOIN obligations_region sr ON sr.id = ms.region_id
            JOIN obligations_unit u ON u.id = t.unit_id
            JOIN obligations_region ur ON ur.id = u.region_id
            WHERE ms.role = 'supervisor' AND ur.path LIKE sr.path || '%%'
            ORDER BY length(sr.path) DESC, ms.id LIMIT 1) AS reviewer_id
    FROM obligations_milestone m
    JOIN obligations_task t ON t.id = m.task_id
    WHERE (NOT t.live AND m.due_on <= %(today)s AND m.due_on <= %(closed_end)s)
       OR (t.live AND m.due_on <= %(today)s + 10)
), picked AS (
    SELECT c.*,
           CASE WHEN NOT c.live THEN 'approved'
                WHEN c.due_on > %(today)s - 21 THEN 'submitted'
                ELSE 'approved' END AS review,
           (c.due_on - (c.r * 25)::int
               + CASE WHEN c.r > 0.8 THEN 9 ELSE 0 END)::timestamp + interval '10 hours'
               AS submitted_at
    FROM chosen c
    WHERE (NOT c.live AND c.r < 0.9)
       OR (c.live AND c.due_on <= %(today)s - 45 AND c.r < 0.985)
       OR (c.live AND c.due_on <= %(today)s AND c.due_on > %(today)s - 45 AND c.r < 0.85)
       OR (c.live AND c.due_on > %(today)s AND c.r < 0.3)
), inserted AS (
    INSERT INTO obligations_progressreport
        (task_id, milestone_id, status, percent, narrative, submitted_at, submitted_by_id, review,
         review_comment, reviewed_by_id, reviewed_at)
    SELECT p.task_id, p.id,
           CASE WHEN p.kind = 'completion' THEN 'done'
                WHEN p.kind = 'recurring' THEN 'ongoing' ELSE 'in_progress' END,
           CASE WHEN p.kind = 'completion' THEN 100 ELSE 40 + (p.r * 100)::int %% 50 END,
           CASE WHEN p.kind = 'completion' THEN '已按要求完成，佐证材料已归档（演示数据）。'
                ELSE '按计划推进，本期工作已完成（演示数据）。' END,
           least(p.submitted_at, %(now)s - interval '1 hour'), p.user_id, p.review, '',
           CASE WHEN p.review = 'approved' THEN p.reviewer_id END,
           CASE WHEN p.review = 'approved'
                THEN least(p.submitted_at + interval '2 days', %(now)s - interval '30 minutes') END
    FROM picked p
    RETURNING milestone_id, review
)
UPDATE obligations_milestone m SET status = CASE i.review WHEN 'approved' THEN 'closed'
                                                          ELSE 'reported' END
FROM inserted i WHERE m.id = i.milestone_id
"""

# Indicator values for the targets assessed in the finished years, reported by the places that
# carry them (obligations.attainment reads a region's own value): most attained, one in
# about eight a little short, so the assessment's 巩固成效 has something true to say.
_VALUES = """
INSERT INTO obligations_indicatorvalue (target_id, region_id, year, value, reported_at)
SELECT DISTINCT ON (tg.id, u.region_id, y.year) tg.id, u.region_id, y.year,
       round(tg.value * CASE
           WHEN abs(hashtext(tg.id::text || u.region_id::text || y.year::text)) %% 8 = 0
               THEN CASE tg.comparator WHEN '<=' THEN 1.05 ELSE 0.95 END
           ELSE CASE tg.comparator WHEN '<=' THEN 0.97 ELSE 1.03 END END, 2),
       make_date(y.year, 12, 20)::timestamp + interval '10 hours'
FROM obligations_indicatortarget tg
JOIN obligations_task t ON t.obligation_id = tg.obligation_id
JOIN obligations_unit u ON u.id = t.unit_id

CROSS JOIN generate_series(2021, %(last)s) AS y(year)
WHERE (tg.per_year OR tg.due_year = y.year) AND y.year <= %(last)s
ON CONFLICT DO NOTHING
"""

# A task's status is that of its latest approved report (the one a person sees on top).
_STATUS = """
UPDATE obligations_task t SET status = latest.status
FROM (SELECT DISTINCT ON (r.task_id) r.task_id, r.status
      FROM obligations_progressreport r WHERE r.review = 'approved'
      ORDER BY r.task_id, r.submitted_at DESC, r.id DESC) latest
WHERE latest.task_id = t.id AND t.status IS DISTINCT FROM latest.status
"""


def _import_2026() -> list[PolicyDocument]:
    documents = []
    for name in DOCUMENTS_2026:
        data = (DEMO_2026 / name).read_bytes()
        text = read_document(data, source_name=name, max_bytes=len(data) + 1)
        parsed = parse_text(text, source_name=name)
        if PolicyDocument.objects.filter(doc_number=parsed.doc_number).exists():
            continue
        documents.append(save_parsed_document(parsed=parsed, source_text=text, actor=None))
    return documents


def _linkage_rows() -> list[dict]:
    """The rows of 隆德's 衔接清单 (tab-separated, header first)."""
    lines = (DEMO_2026 / LINKAGE_LIST).read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("序号\t"))
    names = lines[header].split("\t")
    return [dict(zip(names, line.split("\t"), strict=False))
            for line in lines[header + 1:] if line.count("\t") >= len(names) - 2]


def _close_out(now: datetime.datetime) -> dict:
    """The close-out a county's office did in early 2026, written directly for the demo's
    history (the services check a person's scope; this is the seed of what they did)."""
    counts = {"linked": 0, "done": 0}
    open_tasks = (Task.objects.filter(live=False, disposition__isnull=True)
                  .exclude(status=Task.Status.DONE)
                  .select_related("obligation__document", "unit__region"))
    new_longde = Obligation.objects.filter(document__doc_number="隆党办发〔2026〕12号")
    successors = {o.code: o for o in new_longde}
    by_old = {}
    for row in _linkage_rows():
        by_old[(row["原文件"], row["原措施编号"])] = row
    rows = []
    for task in open_tasks:
        document = task.obligation.document
        row = by_old.get((document.doc_number, task.obligation.code))
        if row is not None:
            kind = KINDS.get(row["处置方式"], "done")
            successor = successors.get(row.get("新措施编号", "")) if kind in (
                "continued", "optimised", "adjusted") else None
            rows.append(Disposition(task=task, kind=kind, reason=row.get("说明", ""),
                                    successor=successor, decided_at=now))
            counts["linked"] += 1
        elif "清原" in task.unit.name or task.unit.region.name == "清原满族自治县":
            continue  # 清原 has not finished its close-out: the page shows what is left
        else:
            rows.append(Disposition(task=task, kind="done", decided_at=now,
                                    reason="2026年一季度补报完成（演示数据）"))
            counts["done"] += 1
    Disposition.objects.bulk_create(rows)
    return counts


def build_demo_history(*, today: datetime.date) -> dict | None:
    """Does nothing (returns None) when any report exists: a demo someone has used stays theirs."""
    if ProgressReport.objects.exists():
        return None
    imported = _import_2026()
    transition = periods.transition()
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        from obligations.services.periods import refresh_live

        refresh_live(today=today)
        cursor.execute(_REPORTS, {"today": today, "closed_end": transition.end, "now": now})
        reports = cursor.rowcount
        cursor.execute(_STATUS)
        last = min(transition.end.year, today.year - 1) if transition.end else today.year - 1
        cursor.execute(_VALUES, {"last": last})
        cursor.execute("ANALYZE obligations_progressreport, obligations_milestone")
        closed = _close_out(now) if transition.ended(today) else {}
    sweep_overdue(today=today)
    aggregate_progress(today=today)
    years = [y for y in periods.years(today) if y < today.year]
    for year in years:
        compute_assessment(year)
        publish_assessment(year, actor=None)
    if today.year not in years:
        compute_assessment(today.year)  # this year's draft, as the nightly job keeps it
    summary = None
    if transition.ended(today):  # the five-year summary a county hands in
        summary = compute_period_summary(period_id=transition.pk, today=today)
    return {"milestones_reported": reports, "assessments": years,
            "documents": [d.doc_number for d in imported], "close_out": closed,
            "period_summary": bool(summary),
            "meta": [json.loads((DEMO_2026 / f"{n[:-4]}.meta.json").read_text(encoding="utf-8"))
                     ["title"] for n in DOCUMENTS_2026]}
