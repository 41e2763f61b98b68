"""Funds indicators the annual assessment reads (monitoring/assessment.py, 政策落实): the
spending progress (支出进度) of a year's projects, per place.

For the year Y: the money arranged (ProjectFunding, allocated on or before 31 December Y) for
the projects of Y's library (Project.year = Y), and what was spent on them (Spending, months up
to December Y). One statement, grouped by the project's place; the caller adds places up to
its counties and cities. Defined here once: the dashboard's 支出进度 reads the same tables
without the year cut (funds/dashboards.py), the assessment reads this.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection

from funds.models import Project, ProjectFunding, Spending
from obligations.models import Region

_SQL = f"""
SELECT r.path, SUM(a.arranged), COALESCE(SUM(s.spent), 0)
  FROM {Project._meta.db_table} p
  JOIN {Region._meta.db_table} r ON r.id = p.region_id
  JOIN (SELECT project_id, SUM(amount) AS arranged FROM {ProjectFunding._meta.db_table}
         WHERE allocated_on <= %(end)s GROUP BY project_id) a ON a.project_id = p.id
  LEFT JOIN (SELECT project_id, SUM(amount) AS spent FROM {Spending._meta.db_table}
              WHERE month <= %(end)s GROUP BY project_id) s ON s.project_id = p.id
 WHERE p.year = %(year)s
 GROUP BY r.path
"""


def spending_by_place(year: int) -> dict[str, tuple[Decimal, Decimal]]:
    """{region path: (arranged, spent)} for the projects of `year`'s library, as of year end."""
    with connection.cursor() as cursor:
        cursor.execute(_SQL, {"year": year, "end": datetime.date(year, 12, 31)})
        return {path: (arranged, spent) for path, arranged, spent in cursor.fetchall()}


def progress(arranged: Decimal, spent: Decimal) -> float | None:
    """支出进度 in percent, 0–100 (spending above the arrangement counts as 100), None when
    nothing was arranged."""
    if not arranged:
        return None
    share = min(Decimal(spent) * 100 / Decimal(arranged), Decimal(100))
    return float(share.quantize(Decimal("0.01")))
