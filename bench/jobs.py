"""The background jobs on the synthetic province (issue 6): sweep against a bare UPDATE of the
same rows, aggregation, one year's assessment; each with the process's peak memory."""

from __future__ import annotations

import datetime
import resource
import sys
import time

from django.db import connection, transaction

from monitoring.assessment import compute_assessment
from monitoring.jobs import aggregate_progress, sweep_overdue
from monitoring.synthetic import generate
from obligations.models import Milestone


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare_update():
    with transaction.atomic(), connection.cursor() as cursor:
        # The same rows the sweep rewrites, with no logic: the machine's floor.
        cursor.execute("UPDATE obligations_milestone SET light = CASE WHEN light = 'red' "
                       "THEN 'green' ELSE 'red' END")


def reset_lights():
    with connection.cursor() as cursor:
        cursor.execute("UPDATE obligations_milestone SET light = 'green', red_since = NULL")
        cursor.execute("TRUNCATE obligations_reminder, obligations_notification")
        cursor.execute("VACUUM ANALYZE obligations_milestone")


def run(*, size: dict, repeat: int, timed) -> list[tuple]:
    print(f"生成合成省份 {size} ……", file=sys.stderr)
    started = time.monotonic()
    counts = generate(**size, seed=1, today=datetime.date(2024, 6, 15))
    print(f"  {counts}，用时 {time.monotonic() - started:.0f} 秒", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    rows = Milestone.objects.count()
    today = datetime.date(2024, 6, 15)
    label = f"{rows}节点"
    sweep = timed(lambda: sweep_overdue(today=today), repeat=repeat, before=reset_lights)
    sweep_peak = peak_mb()
    bare = timed(bare_update, repeat=repeat)
    aggregation = timed(lambda: aggregate_progress(today=today), repeat=repeat)
    aggregation_peak = peak_mb()
    assessment = timed(lambda: compute_assessment(2023), repeat=max(1, repeat // 2))
    assessment_peak = peak_mb()
    return [
        ("逾期扫描（亮灯+提醒+督办）", label, sweep, bare,
         f"同一批行的裸 SQL UPDATE；进程峰值内存 {sweep_peak:.0f} MB（目标 ≤3× 基线，<500 MB）"),
        ("进度汇总", label, aggregation, bare,
         f"目标 <10 秒；进程峰值内存 {aggregation_peak:.0f} MB"),
        ("年度考核（2023年）", label, assessment, bare,
         f"目标 <30 秒；进程峰值内存 {assessment_peak:.0f} MB"),
    ]
