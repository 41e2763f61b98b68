"""Issue 23's targets on the synthetic province bench.jobs built, after its period has ended
(run after the load test: it turns the province's tasks into an ended period's):

- 期满：the night the period ends, every task of the province leaves today's work;
- bulk disposition of a whole county's open tasks (target < 2 s);
- the five-year summary of the whole province (target < 30 s);
- its page (a county's, median target < 300 ms) and a county's Word report (target < 3 s).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from bench.dashboards import signed_in_leader
from monitoring.jobs import aggregate_progress
from monitoring.period_summary import compute_period_summary
from obligations.models import Disposition, Membership, Region, Task
from obligations.periods import transition
from obligations.services.periods import dispose_tasks, refresh_live

TODAY = datetime.date(2026, 12, 6)


def _bare_task_update(tasks) -> None:
    ids = list(tasks.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE obligations_task SET version = version WHERE id = ANY(%s)", [ids])


def run(*, repeat: int, requests: int, timed) -> list[tuple]:
    period = transition()
    everything = Task.objects.all()
    ended = timed(lambda: refresh_live(today=TODAY), repeat=1,
                  before=lambda: Task.objects.update(live=True))
    bare_all = timed(lambda: _bare_task_update(everything), repeat=1)
    aggregate_progress(today=TODAY)

    county = (Region.objects.filter(level="county", name__startswith="合成市").order_by("code")
              .first())
    user, _created = get_user_model().objects.get_or_create(username="bench_closeout")
    Membership.objects.get_or_create(user=user, role="supervisor", region=county)
    tasks = Task.objects.filter(unit__region__path__startswith=county.path, live=False)
    count = tasks.count()
    bulk = timed(lambda: dispose_tasks(actor=user, tasks=tasks, kind="done", reason="基准"),
                 repeat=repeat, before=lambda: Disposition.objects.filter(task__in=tasks).delete())
    bare = timed(lambda: _bare_task_update(tasks), repeat=repeat)

    summary = timed(lambda: compute_period_summary(period_id=period.pk, today=TODAY,
                                                   recompute=True, reason="基准"),
                    repeat=max(1, repeat // 2))
    aggregation = timed(lambda: aggregate_progress(today=TODAY), repeat=1)

    province = Region.objects.filter(name__startswith="合成省").order_by("code").first()
    http = signed_in_leader(province)  # second factor passed, as leaders must
    page_url = f"/dashboard/period/{period.pk}/region/{county.code}/"

    def fetch(url):
        response = http.get(url)
        assert response.status_code == 200, response.content[:300]

    page = timed(lambda: fetch(page_url), repeat=requests)
    word = timed(lambda: fetch(page_url + "word/"), repeat=max(3, repeat))
    login_page = timed(lambda: Client().get("/login/"), repeat=50)
    return [
        ("期满：全省任务转为往期（Task.live）", f"{everything.count()}个任务", ended, bare_all,
         "基线：同一批任务行的裸 SQL UPDATE"),
        ("批量收尾处置：一个县的全部待处置任务", f"{county.name}（{count}个任务）", bulk, bare,
         "目标 <2 秒（每个任务一条处置和一条操作记录）；基线：同一批任务行的裸 SQL UPDATE"),
        ("过渡期考核评估：全省计算并封存", "合成省份（全部县、单位）", summary, aggregation,
         "目标 <30 秒；基线：全省进度汇总"),
        ("过渡期考核评估页（一个县）", f"{requests}次请求", page, login_page,
         "目标中位数 <300 毫秒；基线：登录页（不查数据库）"),
        ("过渡期考核评估 Word 报告（一个县）", "含图表", word, page,
         "目标 <3 秒；基线：同一县的评估页"),
    ]
