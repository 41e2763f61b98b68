"""funds pages: the funds dashboard per province, city and county (issue 15 item 8), for the
people who read dashboards (scope.can_see_dashboards), over their dashboard subtree only."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from funds import dashboards
from obligations.selectors import scope


class BadParameter(Exception):
    pass


def dashboard_view(view):
    """Logged in and a leader, supervisor or administrator; a bad parameter is a 400 page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not scope.can_see_dashboards(request.user):
            return render(request, "funds/dashboard_message.html", {
                "heading": _("没有权限"),
                "message": _("资金看板只对领导、审核人和管理员开放。")}, status=403)
        try:
            return view(request, *args, **kwargs)
        except BadParameter as exc:
            return render(request, "funds/dashboard_message.html",
                          {"heading": _("参数有误"), "message": str(exc)}, status=400)

    return wrapper


def year_of(request) -> int | None:
    raw = request.GET.get("year", "")
    if raw in ("", "0"):
        return None
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise BadParameter(_("年度“%(value)s”无效：请填写 2000—2100 之间的年份，或留空（全部年度）。")
                           % {"value": raw[:20]})
    return int(raw)


def project_url(project_id) -> str | None:
    """The project's page, when the project pages (funds/web/projects.py) name one."""
    if project_id is None:
        return None
    for name in ("funds:project_detail", "funds:project"):
        try:
            return reverse(name, args=[project_id])
        except NoReverseMatch:
            continue
    return None


def pct(ratio) -> str:
    return "—" if ratio is None else f"{ratio * 100:.1f}%"


@dashboard_view
def index(request):
    roots = list(scope.dashboard_roots(request.user))
    if len(roots) == 1:
        return redirect("funds:dashboard_region", code=roots[0].code)
    return render(request, "funds/dashboard_index.html", {"roots": roots})


@dashboard_view
def region_page(request, code):
    region = scope.get_dashboard_region_for(request.user, code)
    year = year_of(request)
    figures = dashboards.summary(region, year=year)
    for flag in figures["flags"]:
        flag["project_url"] = project_url(flag["project_id"])
    for row in [*figures["industry_share"], *figures["spending"]["by_region"]]:
        row["pct"] = pct(row.get("share", row.get("progress")))
    figures["spending"]["pct"] = pct(figures["spending"]["progress"])
    for row in figures["idle"]["projects"]:
        row["project_url"] = project_url(row["project_id"])
    crumbs = []
    visible = {r.pk for r in scope.dashboard_roots(request.user)}
    ancestors = [c for c in region.path.split("/") if c][:-1]
    if ancestors:
        by_code = {r.code: r for r in scope.dashboard_regions_visible_to(request.user)
                   .filter(code__in=ancestors)}
        crumbs = [by_code[c] for c in ancestors if c in by_code]
    this_year = timezone.localdate().year
    return render(request, "funds/dashboard_region.html", {
        "region": region, "year": year, "f": figures, "crumbs": crumbs,
        "years": range(min(2021, this_year), this_year + 1),
        "is_root": region.pk in visible})


urlpatterns = [
    path("dashboard/", index, name="dashboard"),
    path("dashboard/<str:code>/", region_page, name="dashboard_region"),
]
