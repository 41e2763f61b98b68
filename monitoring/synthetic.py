"""A synthetic province for benchmarks: realistic shape and size, built in SQL.

    generate_synthetic --cities 8 --counties-per-city 6 --obligations-per-county 500 --years 5

Per county: a government, 10 departments (5 of them members of the county's leading
group), 3 townships; one county document with N measures; each measure has a lead and
two supporting departments; quarterly milestones over the years; about half of the
milestones due so far have a report, some on time and some late, most approved.
Deterministic for a given --seed.
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction

from obligations.models import Period, PolicyDocument, Region, Unit
from obligations.sql import hash_joins

DEPARTMENTS = ["农业农村局", "乡村振兴局", "财政局", "民政局", "人社局", "教育局", "卫健局",
               "住建局", "水务局", "医保局"]


@transaction.atomic
def generate(*, cities: int, counties_per_city: int, obligations_per_county: int, years: int,
             seed: int, today: datetime.date) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [((seed % 1000) / 1000.0)])
    province = Region.objects.create(code=f"99{seed % 100:02d}00", name=f"合成省{seed}",
                                     level="province")
    county_regions = []
    for c in range(cities):
        city = Region.objects.create(code=f"{province.code}{c + 1:02d}", name=f"合成市{c + 1}",
                                     level="city", parent=province)
        for k in range(counties_per_city):
            county = Region.objects.create(code=f"{city.code}{k + 1:02d}",
                                           name=f"合成市{c + 1}第{k + 1}县", level="county",
                                           parent=city)
            county_regions.append(county)
            for t in range(3):
                Region.objects.create(code=f"{county.code}{t + 1:03d}", name=f"第{t + 1}镇",
                                      level="township", parent=county)
    units, groups, members = [], [], []
    for county in county_regions:
        units.append(Unit(name=f"{county.name}人民政府", region=county, kind="government"))
        units += [Unit(name=name, region=county) for name in DEPARTMENTS]
        groups.append(Unit(name="扶贫开发领导小组", region=county, kind="group"))
    Unit.objects.bulk_create(units + groups)
    by_region: dict[int, list[Unit]] = {}
    for unit in units:
        by_region.setdefault(unit.region_id, []).append(unit)
    Membership = Unit.members.through
    for group in groups:
        departments = [u for u in by_region[group.region_id] if u.kind == "department"]
        members += [Membership(from_unit_id=group.pk, to_unit_id=u.pk) for u in departments[:5]]
    Membership.objects.bulk_create(members)
    period = Period.for_date(datetime.date(2021, 1, 1))  # the transition's (bulk_create: no save())
    documents = PolicyDocument.objects.bulk_create([
        PolicyDocument(title=f"{county.name}巩固拓展脱贫攻坚成果实施方案", level="county",
                       region=county, issued_on=datetime.date(2021, 1, 1), issued_year=2021,
                       period=period)
        for county in county_regions])
    end = datetime.date(2021 + years - 1, 12, 31)
    with connection.cursor() as cursor, hash_joins(cursor):
        cursor.execute(
            """
            INSERT INTO obligations_obligation (document_id, kind, code, position, title, text,
                                                deadline_text, deadline, clauses,
                                                withdrawn_reason)
            SELECT d.id, 'measure', n::text, n, '合成措施' || n, '合成措施正文' || n, '长期坚持',
                   '{"kind": "ongoing", "words": "长期坚持"}'::jsonb, '[]'::jsonb, ''
            FROM obligations_policydocument d CROSS JOIN generate_series(1, %s) n
            WHERE d.id = ANY(%s)
            """, [obligations_per_county, [d.pk for d in documents]])
        # Lead: department n mod 10; support: the next two.
        cursor.execute(
            """
            INSERT INTO obligations_task (obligation_id, unit_id, role, status, light, version,
                                          created_at, updated_at)
            SELECT o.id, u.id, CASE WHEN k = 0 THEN 'lead' ELSE 'support' END, 'not_started',
                   'green', 0, now(), now()
            FROM obligations_obligation o
            JOIN obligations_policydocument d ON d.id = o.document_id
            CROSS JOIN generate_series(0, 2) k
            JOIN LATERAL (
                SELECT id FROM obligations_unit
                WHERE region_id = d.region_id AND kind = 'department'
                ORDER BY id OFFSET ((o.position + k) %% 10) LIMIT 1) u ON true
            WHERE o.document_id = ANY(%s)
            """, [[d.pk for d in documents]])
        tasks = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO obligations_milestone (task_id, due_on, kind, status, light)
            SELECT t.id, (date_trunc('quarter', q) + interval '3 months - 1 day')::date,
                   'checkin', 'open', 'green'
            FROM obligations_task t
            JOIN obligations_obligation o ON o.id = t.obligation_id
            CROSS JOIN generate_series(DATE '2021-01-01', %s::date, interval '3 months') q
            WHERE o.document_id = ANY(%s)
            """, [end, [d.pk for d in documents]])
        milestones = cursor.rowcount
        # Reports: half of the milestones due so far; 70 %% of those on time (up to 20 days
        # early), the rest up to 40 days late; 80 %% approved (their milestone closed).
        cursor.execute(
            """
            WITH chosen AS (
                SELECT m.id, m.task_id, m.due_on, random() AS r
                FROM obligations_milestone m
                JOIN obligations_task t ON t.id = m.task_id
                JOIN obligations_obligation o ON o.id = t.obligation_id
                WHERE o.document_id = ANY(%(documents)s) AND m.due_on <= %(today)s
                  AND random() < 0.5
            ), inserted AS (
                INSERT INTO obligations_progressreport
                    (task_id, milestone_id, status, percent, narrative, submitted_at, review,
                     review_comment)
                SELECT c.task_id, c.id, 'in_progress', 50, '合成进展',
                       (c.due_on + CASE WHEN c.r < 0.7 THEN -(c.r * 28)::int
                                        ELSE ((c.r - 0.7) * 130)::int END)::timestamp
                           + interval '10 hours',
                       CASE WHEN c.r < 0.8 THEN 'approved' ELSE 'submitted' END, ''
                FROM chosen c
                RETURNING milestone_id, review
            )
            UPDATE obligations_milestone m SET status = 'closed'
            FROM inserted i WHERE m.id = i.milestone_id AND i.review = 'approved'
            """, {"documents": [d.pk for d in documents], "today": today})
        cursor.execute("SELECT count(*) FROM obligations_progressreport")
        (reports,) = cursor.fetchone()
    return {"counties": len(county_regions), "units": len(units), "tasks": tasks,
            "milestones": milestones, "reports": reports}
