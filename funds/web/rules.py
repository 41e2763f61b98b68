"""funds pages: the rule flags (issue 15 item 5) over the user's dashboard subtree, filtered
by region, rule, year and words, sorted and paginated; each flag links to its project."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from funds import rules
from funds.web.dashboards import BadParameter, dashboard_view, project_url, year_of
from obligations.selectors import scope

SORTS = {
    "region": lambda f: (f.region_code, f.year or 0, f.rule),
    "year": lambda f: (-(f.year or 0), f.region_code, f.rule),
    "rule": lambda f: (f.rule, f.region_code, f.year or 0),
}


@dashboard_view
def flags(request):
    regions = scope.dashboard_regions_visible_to(request.user)
    code = request.GET.get("region", "").strip()
    place = None
    if code:
        place = scope.get_dashboard_region_for(request.user, code)
        regions = regions.filter(path__startswith=place.path)
    rule = request.GET.get("rule", "")
    if rule and rule not in rules.RULES:
        raise BadParameter(_("规则“%(value)s”不存在。") % {"value": rule[:40]})
    sort = request.GET.get("sort", "region")
    if sort not in SORTS:
        raise BadParameter(_("排序方式须为 region、year 或 rule。"))
    year = year_of(request)
    words = request.GET.get("q", "").strip()[:100]
    found = rules.check_all(years=[year] if year else None, regions=regions)
    found = [f for f in found if (not rule or f.rule == rule)
             and (not words or words in f.message or words in f.region_name)]
    found.sort(key=SORTS[sort])
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    rows = [{**f.as_dict(), "project_url": project_url(f.project_id)} for f in page]
    return render(request, "funds/rules_flags.html", {
        "page": page, "flags": rows, "total": len(found), "place": place, "year": year,
        "rule": rule, "sort": sort, "q": words, "rules": rules.RULES.values()})


urlpatterns = [path("flags/", flags, name="flags")]
