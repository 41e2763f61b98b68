"""The monitoring line (监测标准) of a place in a year, as its document defines it, and the
per-capita figure a household is compared with. One definition: the case pages, the proposal
warnings, the elimination check and the dashboards all call `line_for`."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from households.models import MonitoringLine


def amount_in(line: MonitoringLine, year: int) -> Decimal:
    """base × (1 + rise)^(year − base year) when compounding, base × (1 + rise × years) when not;
    the base itself in and before the base year."""
    years = max(0, year - line.base_year)
    if line.compound:
        value = line.base_amount * (1 + line.yearly_rise) ** years
    else:
        value = line.base_amount * (1 + line.yearly_rise * years)
    return Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def line_for(region, year: int) -> tuple[Decimal, MonitoringLine] | None:
    """(amount, the line it comes from) for the nearest region at or above `region` with a
    line whose base year is not after `year` (the latest base year wins); None without one."""
    prefixes = ["/".join(region.path.split("/")[:i]) + "/"
                for i in range(1, region.path.count("/") + 1)]
    lines = sorted(MonitoringLine.objects.filter(region__path__in=prefixes,
                                                 base_year__lte=year).select_related("region"),
                   key=lambda line: (-len(line.region.path), -line.base_year, -line.pk))
    if not lines:
        return None
    return amount_in(lines[0], year), lines[0]
