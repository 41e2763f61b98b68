"""The screening rounds the documents ask for (004 二(一)2: 村每月摸排、乡镇每季度审核; 002 (六):
行业部门每月筛查、每季度研判) and which were missed — one definition, for the rounds page, the
dashboard and the checks.

A duty (ScreeningDuty) of a county expects one round per period from its first month on, of
each village (monthly 摸排), each township (quarterly 审核) or the county's sector departments
(the county itself). A period that has ended without its round is missed (red); the current
period is due. One statement over every duty, place and period (generate_series), whatever
the size of the province.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connections, router

from households.models import ScreeningDuty, ScreeningRound
from obligations.models import Region

_SQL = f"""
WITH duty AS (
    SELECT d.id, d.kind, c.path AS county_path, d.starts_on,
           CASE WHEN d.kind LIKE '%%quarterly' THEN 'quarter' ELSE 'month' END AS unit,
           CASE WHEN d.kind LIKE '%%quarterly' THEN interval '3 months'
                ELSE interval '1 month' END AS step,
           CASE d.kind WHEN 'village_monthly' THEN 'village'
                       WHEN 'township_quarterly' THEN 'township' ELSE 'county' END AS level
      FROM {ScreeningDuty._meta.db_table} d
      JOIN {Region._meta.db_table} c ON c.id = d.region_id
), grid AS (
    SELECT d.id AS duty_id, d.kind, p.id AS place_id, p.code, p.name, p.path,
           s.period::date AS period,
           s.period::date >= date_trunc(d.unit, %(today)s::date)::date AS current
      FROM duty d
      JOIN {Region._meta.db_table} p ON p.path LIKE d.county_path || '%%' AND p.level = d.level
     CROSS JOIN LATERAL generate_series(greatest(date_trunc(d.unit, d.starts_on),
                                                 date_trunc(d.unit, %(since)s::date)),
                                        date_trunc(d.unit, %(today)s::date), d.step) s(period)
     WHERE %(all)s OR p.path LIKE ANY(%(prefixes)s)
)
SELECT g.duty_id, g.kind, g.place_id, g.code, g.name, g.path,
       count(*) FILTER (WHERE NOT g.current) AS periods,
       count(r.id) FILTER (WHERE NOT g.current) AS done,
       array_agg(g.period ORDER BY g.period DESC) FILTER (WHERE r.id IS NULL AND NOT g.current)
           AS missed,
       bool_or(g.current AND r.id IS NOT NULL) AS current_done,
       max(g.period) AS current_period
  FROM grid g
  LEFT JOIN {ScreeningRound._meta.db_table} r
         ON r.duty_id = g.duty_id AND r.region_id = g.place_id AND r.period = g.period
 GROUP BY g.duty_id, g.kind, g.place_id, g.code, g.name, g.path
 ORDER BY g.path, g.kind
"""


@dataclass(frozen=True)
class PlaceRounds:
    duty_id: int
    kind: str
    place_id: int
    place_code: str
    place_name: str
    place_path: str
    periods: int  # ended periods expected
    done: int
    missed: list  # ended periods without a round, latest first
    current_done: bool
    current_period: datetime.date

    @property
    def kind_label(self) -> str:
        return str(ScreeningDuty.Kind(self.kind).label)

    @property
    def light(self) -> str:
        """red: a round missed; green: none missed."""
        return "red" if self.missed else "green"


def rounds_for(paths: list[str] | None, today: datetime.date,
               since: datetime.date | None = None) -> list[PlaceRounds]:
    """Every duty's places under `paths` (region paths; None: everywhere) and their rounds
    (periods from `since` on, when given)."""
    # Where the ORM reads rounds from: the replica on a dashboard (config/replica.py), the
    # primary in the reminder job and on the rounds page.
    with connections[router.db_for_read(ScreeningRound)].cursor() as cursor:
        cursor.execute(_SQL, {"today": today, "since": since or datetime.date(1900, 1, 1),
                              "all": paths is None,
                              "prefixes": [p + "%" for p in (paths or [])]})
        rows = cursor.fetchall()
    return [PlaceRounds(duty, kind, place, code, name, path, int(periods), int(done),
                        list(missed or []), bool(current_done), current)
            for duty, kind, place, code, name, path, periods, done, missed, current_done, current
            in rows]


def period_of(kind: str, day: datetime.date) -> datetime.date:
    """The first day of the month (or quarter) the day falls in."""
    if kind.endswith("quarterly"):
        return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return day.replace(day=1)


def year_counts(year: int, today: datetime.date) -> dict[str, tuple[int, int]]:
    """{place path: (rounds due, rounds done)} over the periods of `year` that have ended by
    `today` — what the assessment reads (monitoring/assessment.py, 巩固成效)."""
    until = min(today, datetime.date(year + 1, 1, 1))
    counts: dict[str, list[int]] = {}
    for r in rounds_for(None, until, since=datetime.date(year, 1, 1)):
        cell = counts.setdefault(r.place_path, [0, 0])
        cell[0] += r.periods
        cell[1] += r.done
    return {path: (due, done) for path, (due, done) in counts.items()}
