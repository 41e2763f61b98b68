"""Chart specifications for the dashboards: plain JSON that monitoring/static/monitoring/charts.js
turns into ECharts options. Every label is Chinese text; a light's colour always comes with its
name, and every chart has the same numbers as a table beside it (in the templates)."""

from __future__ import annotations

from django.utils.translation import gettext as _

LIGHT_COLOURS = {"red": "#c62828", "yellow": "#f9a825", "green": "#2e7d32", "done": "#546e7a"}


def light_labels() -> dict[str, str]:
    return {"red": _("红灯·逾期"), "yellow": _("黄灯·将到期"), "green": _("绿灯·正常"),
            "done": _("已完成")}


def light_rows(figures) -> list[tuple[str, str, int]]:
    """(light, its name, count) for the cards and tables."""
    return [(key, label, getattr(figures, key)) for key, label in light_labels().items()]


def _bar(title, categories, series, *, horizontal=False, colours=None) -> dict:
    height = max(320, 26 * len(categories) * max(1, len(series)) // 2 + 100) if horizontal else 320
    return {"type": "bar", "title": title, "categories": categories, "series": series,
            "horizontal": horizontal, "colours": colours or [], "height": height}


def lights_chart(figures) -> dict:
    labels = light_labels()
    keys = ["red", "yellow", "green", "done"]
    return _bar(_("各亮灯任务数"), [labels[k] for k in keys],
                [{"name": _("任务数"), "data": [getattr(figures, k) for k in keys]}],
                colours=[LIGHT_COLOURS[k] for k in keys])


def _late_by(title, rows) -> dict:
    """Late milestones and red tasks of each child (region or unit)."""
    names = [item.name for item, _figures in rows]
    return _bar(title, names, [
        {"name": _("逾期未按时填报节点"), "data": [f.late_milestones for _i, f in rows]},
        {"name": _("红灯任务"), "data": [f.red for _i, f in rows]},
    ], horizontal=len(rows) > 8)


def trend_chart(trend) -> dict:
    return {"type": "line", "title": _("按月趋势（节点）"), "height": 320,
            "categories": [_("%(y)s年%(m)s月") % {"y": m.month.year, "m": m.month.month}
                           for m in trend],
            "series": [
                {"name": _("到期节点"), "data": [m.due for m in trend]},
                {"name": _("已报送"), "data": [m.reported for m in trend]},
                {"name": _("逾期未报送"), "data": [m.overdue for m in trend]},
            ]}


def level_charts(*, level, trend) -> dict:
    charts = {"lights": lights_chart(level.totals), "trend": trend_chart(trend)}
    if level.children:
        charts["children"] = _late_by(_("逾期情况（按下级地区）"), level.children)
    if level.units:
        charts["units"] = _late_by(_("逾期情况（按单位）"), level.units)
    return charts


def unit_charts(*, figures, trend) -> dict:
    return {"lights": lights_chart(figures), "trend": trend_chart(trend)}


def document_charts(*, rows) -> dict:
    names = [row.document.doc_number or row.document.title[:12] for row in rows]
    return {"documents": _bar(_("各文件措施落实情况"), names, [
        {"name": _("措施"), "data": [r.measures for r in rows]},
        {"name": _("未明确责任单位"), "data": [r.no_lead_unit for r in rows]},
        {"name": _("已有任务"), "data": [r.with_tasks for r in rows]},
        {"name": _("已有填报"), "data": [r.with_reports for r in rows]},
        {"name": _("已完成"), "data": [r.complete for r in rows]},
    ], horizontal=True)}


def assessment_charts(*, sections) -> dict:
    return {
        section.chart_name: _bar(
            _("%(subject)s考核总分") % {"subject": section.label},
            [row.name for row in section.rows],
            [{"name": _("总分"), "data": [float(row.result.total) for row in section.rows]}],
            horizontal=len(section.rows) > 8)
        for section in sections
    }
