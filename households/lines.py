"""The monitoring line (监测标准) of a place in a year, as its document defines it, and the
per-capita figure a household is compared with. One definition: the case pages, the proposal
warnings, the elimination check and the dashboards all call `line_for`."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from households.models import Case, IncomeRecord, MonitoringLine


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


def under_line(households, year: int) -> list[tuple[int, int]]:
    """(household id, its village id) of the `households` whose latest 12-month per-capita
    income (after rigid spending) is at or under their place's line of `year`, and that have
    no case open: the ones to propose for monitoring (a person decides). Two queries, and one
    per county for its line."""
    from obligations.models import Region

    closed = [Case.Status.ELIMINATED, Case.Status.REJECTED]
    rows = list(IncomeRecord.objects
                .filter(household__in=households.exclude(
                    cases__status__in=[s for s in Case.Status.values if s not in closed])
                        .values("pk"))
                .order_by("household_id", "-period_end").distinct("household_id")
                .values_list("household_id", "household__region_id", "household__region__path",
                             "net_income", "rigid_spending", "people"))
    prefixes = {"/".join(p.split("/")[:i]) + "/" for _h, _v, p, *_r in rows
                for i in range(1, p.count("/") + 1)}
    counties = Region.objects.filter(level=Region.Level.COUNTY, path__in=prefixes)
    lines = {county.path: line_for(county, year) for county in counties}
    found = []
    for household, village, path, net, rigid, people in rows:
        line = next((lines[c] for c in lines if path.startswith(c)), None)
        if line and (net - rigid) / people <= line[0]:
            found.append((household, village))
    return found
