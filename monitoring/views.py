"""Leadership dashboards (issue 8). Thin: check access, parse the year, call the selectors in
monitoring.dashboards, render. Scope comes from obligations.selectors.scope only."""

from __future__ import annotations

import hashlib
from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from monitoring import charts, dashboards, period_summary, period_summary_export, selectors
from monitoring.assessment_export import assessment_xlsx
from obligations import periods
from obligations.models import DataFlag, PolicyDocument, TransitionRule
from obligations.selectors import scope
from obligations.services import audit


class BadParameter(Exception):
    """A query parameter no page can answer: shown to the person as a 400 with the reason."""


def dashboard_view(view):
    """Logged in, and a leader, supervisor or administrator; bad parameters give a 400 page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not scope.can_see_dashboards(request.user):
            return render(request, "monitoring/message.html", {
                "heading": _("没有权限"),
                "message": _("看板只对领导、审核人和管理员开放；填报人请在“我的任务”中查看本单位的任务。"),
            }, status=403)
        try:
            return view(request, *args, **kwargs)
        except BadParameter as exc:
            return render(request, "monitoring/message.html",
                          {"heading": _("参数有误"), "message": str(exc)}, status=400)

    return wrapper


def _year(request, today) -> tuple[int, list[int]]:
    choices, default = dashboards.years(today=today)
    raw = request.GET.get("year", "")
    if raw == "":
        return default, choices
    if not raw.isdigit() or int(raw) not in choices:
        raise BadParameter(_("年度“%(value)s”无效：请选择 %(first)s—%(last)s 年之一，或 0（全部年度）。")
                           % {"value": raw[:20], "first": choices[1], "last": choices[-1]})
    return int(raw), choices


def _level_page(request, *, level, year, years, today, tasks, crumbs, is_overview):
    return render(request, "monitoring/region.html", {
        "level": level, "year": year, "years": years, "today": today, "crumbs": crumbs,
        "figures_at": level.totals.computed_at,
        "is_overview": is_overview, "lights": charts.light_rows(level.totals),
        "tq": f"region={level.region.code}" if level.region else "",
        "overdue": dashboards.longest_overdue(tasks=tasks, today=today),
        "trend": (trend := dashboards.monthly_trend(
            scope="region", year=year,
            ids=[level.region.pk] if level.region else [r.pk for r, _figures in level.children])),
        "charts": charts.level_charts(level=level, trend=trend),
    })


@dashboard_view
def overview(request):
    """A leader's home: their region (or, for several, all of them side by side)."""
    today = timezone.localdate()
    year, years = _year(request, today)
    roots = list(scope.dashboard_roots(request.user))
    tasks = scope.dashboard_tasks_visible_to(request.user)
    if len(roots) == 1:
        level = dashboards.region_level(region=roots[0], year=year)
        crumbs = [roots[0]]
    else:
        level = dashboards.roots_level(roots=roots, year=year)
        crumbs = []
    return _level_page(request, level=level, year=year, years=years, today=today, tasks=tasks,
                       crumbs=crumbs, is_overview=True)


@dashboard_view
def region(request, code):
    today = timezone.localdate()
    year, years = _year(request, today)
    place = scope.get_dashboard_region_for(request.user, code)
    roots = list(scope.dashboard_roots(request.user))
    tasks = dashboards.tasks_under(scope.dashboard_tasks_visible_to(request.user), place)
    return _level_page(request, level=dashboards.region_level(region=place, year=year), year=year,
                       years=years, today=today, tasks=tasks,
                       crumbs=dashboards.breadcrumbs(region=place, roots=roots),
                       is_overview=False)


@dashboard_view
def unit(request, pk):
    today = timezone.localdate()
    year, years = _year(request, today)
    place = scope.get_dashboard_unit_for(request.user, pk)
    roots = list(scope.dashboard_roots(request.user))
    tasks = scope.dashboard_tasks_visible_to(request.user).filter(unit=place)
    figures = dashboards.figures_for(scope="unit", ids=[place.pk], year=year)[place.pk]
    trend = dashboards.monthly_trend(scope="unit", ids=[place.pk], year=year)
    return render(request, "monitoring/unit.html", {
        "unit": place, "figures": figures, "year": year, "years": years, "today": today,
        "figures_at": figures.computed_at,
        "crumbs": dashboards.breadcrumbs(region=place.region, roots=roots),
        "overdue": dashboards.longest_overdue(tasks=tasks, today=today),
        "trend": trend, "charts": charts.unit_charts(figures=figures, trend=trend),
        "lights": charts.light_rows(figures), "tq": f"unit={place.pk}",
    })


@dashboard_view
def documents(request):
    visible = scope.documents_visible_to(request.user).order_by("issued_year", "issued_on",
                                                                         "id")
    rows = dashboards.by_document(documents=list(visible),
                                  tasks=scope.dashboard_tasks_visible_to(request.user))
    return render(request, "monitoring/documents.html", {
        "rows": rows, "flag_kinds": DataFlag.Kind.choices,
        "charts": charts.document_charts(rows=rows),
        "counted_at": timezone.now(),  # counted from the rows, as the page is built
    })


@dashboard_view
def document(request, pk):
    """A document's open data flags and the rule conflicts it takes part in."""
    try:
        item = scope.documents_visible_to(request.user).get(pk=pk)
    except (PolicyDocument.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    flags = (DataFlag.objects.filter(document=item, resolved=False)
             .select_related("obligation").order_by("kind", "obligation__position", "id"))
    kind = request.GET.get("kind", "")
    if kind:
        if kind not in DataFlag.Kind.values:
            raise BadParameter(_("未知的问题类型“%(kind)s”。") % {"kind": kind[:30]})
        flags = flags.filter(kind=kind)
    page = Paginator(flags, 50).get_page(request.GET.get("page"))
    rules = (TransitionRule.objects.filter(obligation__document=item)
             .select_related("obligation").order_by("policy", "id"))
    return render(request, "monitoring/document.html", {
        "document": item, "page": page, "kind": kind, "flag_kinds": DataFlag.Kind.choices,
        "query": f"kind={kind}" if kind else "",
        "rules": rules,
    })


def _years(request, year: int):
    """(visible years, the year's record, the previous year's or None); 404 when the year is
    not (yet) visible to the user."""
    visible = list(selectors.assessment_years_visible_to(request.user).order_by("-year"))
    record = next((y for y in visible if y.year == year), None)
    if record is None:
        raise Http404(_("%(year)s年的考核结果尚未发布或不存在。") % {"year": year})
    return visible, record, next((y for y in visible if y.year == year - 1), None)


def _assessment(request, year: int, *, charts_too: bool = True, years=None) -> dict:
    """The year's results in the user's scope, as the page, the print page and the Excel show
    them; 404 when the year is not (yet) visible to the user."""
    visible, record, previous = years or _years(request, year)
    regions = scope.dashboard_regions_visible_to(request.user)
    units = scope.dashboard_units_visible_to(request.user)
    sections = dashboards.assessment_sections(record=record, previous=previous, regions=regions,
                                              units=units)
    if charts_too:
        specs = charts.assessment_charts(sections=sections)
        for section in sections:
            section.chart = specs[section.chart_name]
    return {"record": record, "previous": previous, "visible": visible, "sections": sections,
            "values": dashboards.indicator_values(regions=regions, year=year)}


@dashboard_view
def assessment(request, year=None):
    if year is None:
        visible = selectors.assessment_years_visible_to(request.user).order_by("-year").first()
        if visible is None:
            return render(request, "monitoring/assessment.html", {"record": None, "visible": []})
        return redirect("monitoring:assessment", year=visible.year)
    return render(request, "monitoring/assessment.html", _assessment_cached(request, year))


def _assessment_cached(request, year: int) -> dict:
    """The page's context with its results tables and charts rendered once per computed
    result and scope (issue 17: the tables of a province are ~100 ms of template work per
    view). The key names the year's record and the previous year's as last computed, the
    scope the user sees (scope.dashboard_scope_key) and the language, so a recomputation, a
    publication or another scope never shows a stale or foreign table; only a renamed unit
    or region shows its old name until ASSESSMENT_PAGE_CACHE_SECONDS pass."""
    visible, record, previous = years = _years(request, year)
    parts = [record.pk, record.status, record.computed_at, record.published_at,
             previous and previous.pk, previous and previous.computed_at,
             scope.dashboard_scope_key(request.user), get_language()]
    key = "assessment-page:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        context = _assessment(request, year, years=years)
        html = render_to_string("monitoring/_assessment_results.html", context, request=request)
        cache.set(key, html, settings.ASSESSMENT_PAGE_CACHE_SECONDS)
    return {"record": record, "previous": previous, "visible": visible,
            "results": mark_safe(html)}  # noqa: S308 - our own template's output


@dashboard_view
def assessment_print(request, year):
    """The year's assessment on A4 landscape paper: tables only, formulas and inputs inline."""
    context = _assessment(request, year, charts_too=False)
    context["printed_at"] = timezone.localtime()
    return render(request, "monitoring/assessment_print.html", context)


@dashboard_view
def assessment_excel(request, year):
    context = _assessment(request, year, charts_too=False)
    data = assessment_xlsx(record=context["record"], sections=context["sections"],
                           values=context["values"])
    name = _("%(year)s年度考核结果.xlsx") % {"year": year}
    audit.record(actor=request.user, action=audit.Action.EXPORT,
                 subject=audit.subject("assessment", year), summary=f"导出 {year} 年度考核结果")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# The five-year summary of a closed period (过渡期考核评估, issue 23 item 3) --------------------


def _summary_period(period_id):
    """The period, 404 when there is none; a period not yet ended has no summary to show."""
    from obligations.models import Period

    try:
        period = period_summary.get_period(period_id)
    except (Period.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not period.ended(timezone.localdate()):
        raise Http404(_("“%(name)s”尚未结束，没有考核评估。") % {"name": period.name})
    return period


def _summary_context(request, period, place) -> dict:
    """The place's stored summary, its children's and its own units' (those in the user's
    dashboards), as the page, the Word report and the Excel workbook show them."""
    found = period_summary.region_summary(
        period=period, region=place, units=scope.dashboard_units_visible_to(request.user))
    data = period_summary.row_data(found.row) if found.row else {}
    children = [(child, period_summary.row_data(row)) for child, row in found.children]
    units = [(unit.name, period_summary.row_data(row)) for unit, row in found.units]
    return {"period": period, "place": found.region, "row": found.row, "data": data,
            "children": children, "units": units}


@dashboard_view
def period_summary_page(request, period_id, code=None):
    period = _summary_period(period_id)
    roots = list(scope.dashboard_roots(request.user))
    if code is None and len(roots) != 1:
        return render(request, "monitoring/period_summary_roots.html",
                      {"period": period, "roots": roots})
    place = roots[0] if code is None else scope.get_dashboard_region_for(request.user, code)
    context = _summary_context(request, period, place)
    context["crumbs"] = dashboards.breadcrumbs(region=place, roots=roots)
    if context["row"] is not None:
        context["sections"] = period_summary_export.sections(
            context["data"], units=context["units"])
    return render(request, "monitoring/period_summary.html", context)


def _summary_export(request, period_id, code, *, kind):
    period = _summary_period(period_id)
    place = scope.get_dashboard_region_for(request.user, code)
    context = _summary_context(request, period, place)
    if context["row"] is None:
        raise Http404(_("该地区的考核评估尚未计算。"))
    rows = {"children": [(c.name, d) for c, d in context["children"]], "units": context["units"]}
    title = period_summary_export.title_of(context["data"])
    if kind == "docx":
        data = period_summary_export.summary_docx(context["data"], printed_at=timezone.now(),
                                                  **rows)
        content_type = ("application/vnd.openxmlformats-officedocument"
                        ".wordprocessingml.document")
    else:
        data = period_summary_export.summary_xlsx(context["data"], **rows)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    audit.record(actor=request.user, action=audit.Action.EXPORT,
                 subject=audit.subject("period_summary", f"{period.pk}:{place.code}"),
                 summary=_("导出%(title)s（%(kind)s）") % {"title": title,
                                                         "kind": "Word" if kind == "docx"
                                                         else "Excel"})
    response = HttpResponse(data, content_type=content_type)
    name = f"{title}.{kind}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@dashboard_view
def period_summary_word(request, period_id, code):
    return _summary_export(request, period_id, code, kind="docx")


@dashboard_view
def period_summary_excel(request, period_id, code):
    return _summary_export(request, period_id, code, kind="xlsx")


@dashboard_view
def period_summary_latest(request):
    """The navigation's entry: the summary of the latest period that has ended."""
    ended = periods.ended_periods(timezone.localdate())
    if not ended:
        raise Http404(_("还没有已结束的时期。"))
    return redirect("monitoring:period_summary", period_id=ended[-1].pk)
