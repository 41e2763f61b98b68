"""Attained (达标): when an indicator target counts as met — the one definition.

Used by the task page, the admin, the dashboards' indicator table, the progress summaries
(monitoring.aggregation) and the annual assessment's 巩固成效 (monitoring.assessment).

- Which value counts: the value reported for the region of the unit that carries the task
  (a county's 农业农村局 reports its county's 卫生厕所普及率; reporting stores it under the
  unit's region), for one year. A value of another region — the city above, a township
  below — is that region's own figure and never stands in for this one.
- Which year: a target is assessed in year Y when it is yearly (每年: Fujian's 2,000
  科技特派员, Fushun's ≥5% 新增建设用地计划指标) or its target year is Y (到2025年…85%).
  A target with neither is assessed in no single year; it counts in the whole-period
  figures (year 0) only, attained by a value of any year.
- Met: 不低于 / 达到 — the value is at least the target; 不高于 — at most the target.
- Over the whole period (year 0): attained when attained in a year in which it is assessed.
"""

from __future__ import annotations

from decimal import Decimal

MEETS = ("(CASE {comparator} WHEN '<=' THEN {value} <= {target} "
         "ELSE {value} >= {target} END)")
ASSESSED_IN = "({per_year} OR {due_year} = {year})"


def meets(*, comparator: str, target: Decimal, value: Decimal) -> bool:
    if comparator == "<=":
        return value <= target
    return value >= target


def assessed_in(*, per_year: bool, due_year: int | None, year: int) -> bool:
    return per_year or due_year == year


def assessed_in_sql(tg: str = "tg", *, year: str) -> str:
    return ASSESSED_IN.format(per_year=f"{tg}.per_year", due_year=f"{tg}.due_year", year=year)


# `attained (target_id, region_id, year)`: each value that attains its target in its year.
# Begin a WITH with it (or add it after a comma).
ATTAINED_CTE = f"""
attained AS (
    SELECT iv.target_id, iv.region_id, iv.year
    FROM obligations_indicatorvalue iv
    JOIN obligations_indicatortarget tg ON tg.id = iv.target_id
    WHERE {MEETS.format(comparator="tg.comparator", value="iv.value", target="tg.value")}
      AND ({assessed_in_sql("tg", year="iv.year")} OR (tg.due_year IS NULL AND NOT tg.per_year))
)
"""
