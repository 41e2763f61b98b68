"""The five-year summary of one region or unit (monitoring/period_summary.py) as a Word report a
county can edit and hand in, and as an Excel workbook.

Both are built from the stored, sealed row — the same figures the page shows — and from the same
chart specs as the page: the page draws them with ECharts, the report with Pillow as PNG images
(no matplotlib). Chinese text in the images needs a CJK font (Noto CJK from the Debian package
fonts-noto-cjk, found with fc-list, as scripts/ensure_browser.sh installs it); without one the
charts are drawn without text and the tables beside them carry the numbers.
"""

from __future__ import annotations

import functools
import io
import subprocess
from decimal import Decimal

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from PIL import Image, ImageDraw, ImageFont

from monitoring.period_summary import chart_specs, disposition_labels, outcome_labels
from obligations.selectors.exports import append_row, header_row

PALETTE = ["#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272"]


def chinese_date(value) -> str:
    """2025-12-31 → 2025年12月31日 (a date, a datetime or an ISO string)."""
    if isinstance(value, str):
        from django.utils.dateparse import parse_date, parse_datetime

        value = parse_datetime(value) or parse_date(value)
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        from django.utils import timezone

        value = timezone.localtime(value) if value.tzinfo else value
    return f"{value.year}年{value.month}月{value.day}日"


def _percent(value) -> str:
    return "—" if value is None else f"{value:.2f}%"


def _score(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def _yuan(value) -> str:
    return f"{Decimal(value):,.2f}"


# Tables, shared by the Word report and the workbook ----------------------------------------


def tables(data: dict, *, children=(), units=()) -> list[tuple[str, list[str], list[list]]]:
    """(heading, columns, rows) of every table of the summary, in the report's order."""
    found = []
    if data.get("assessment"):
        found.append((_("年度考核（%(label)s）") % {"label": data.get("assessment_label") or ""},
                      [_("年度"), _("总分"), _("较上年"), _("全省排名"), _("全市排名"),
                       _("约谈"), _("结果状态")],
                      [[_("%(y)s年") % {"y": r["year"]}, _score(r.get("total")),
                        "—" if r.get("change") is None else f"{r['change']:+.2f}",
                        _rank(r.get("rank_in_province"), r.get("of_province")),
                        _rank(r.get("rank_in_city"), r.get("of_city")),
                        _("是") if r.get("interview") else "",
                        "" if r.get("total") is None else
                        (_("已发布") if r.get("published") else _("未发布"))]
                       for r in data["assessment"]]))
    progress = data.get("progress")
    if progress:
        rows = [[_("%(y)s年") % {"y": r["year"]}, r["due"], r["closed"],
                 _percent(r["completion_rate"]), r["reported_due"], r["on_time"],
                 _percent(r["on_time_rate"])] for r in progress["years"]]
        t = progress["total"]
        rows.append([_("五年合计"), t["due"], t["closed"], _percent(t["completion_rate"]),
                     t["reported_due"], t["on_time"], _percent(t["on_time_rate"])])
        found.append((_("任务完成情况（按年度）"),
                      [_("年度"), _("到期节点"), _("已完成节点"), _("节点完成率"),
                       _("应报送节点"), _("按时报送"), _("按时报送率")], rows))
    outcomes = data.get("outcomes")
    if outcomes:
        labels = outcome_labels()
        rows = [[labels[k], outcomes[k]] for k in labels]
        rows.append([_("合计"), outcomes["tasks"]])
        found.append((_("过渡期任务处置情况"), [_("处置结果"), _("任务数")], rows))
        kinds = disposition_labels()
        if outcomes.get("kinds"):
            found.append((_("收尾处置方式"), [_("处置方式"), _("任务数")],
                          [[kinds.get(k, k), n] for k, n in sorted(
                              outcomes["kinds"].items(), key=lambda i: list(kinds).index(i[0])
                              if i[0] in kinds else 99)]))
    if data.get("indicators"):
        found.append((_("指标目标完成情况（截至%(y)s年）") % {"y": data["years"][-1]},
                      [_("区划"), _("指标"), _("目标"), _("目标年度"), _("最近报送值"),
                       _("报送年度"), _("是否达标"), _("文件")],
                      [[r["region"], r["name"], r["goal"],
                        _("每年") if r["per_year"] else (r["due_year"] or ""),
                        r["value"] or "—", r["value_year"] or "",
                        _("达标") if r["attained"] else (_("不在本时期考核") if r["attained"] is None
                                                        else _("未达标")),
                        r["document"]] for r in data["indicators"]]))
    funds = data.get("funds")
    if funds:
        rows = [[_("%(y)s年") % {"y": r["year"]}, _yuan(r["allocated"]), _yuan(r["arranged"]),
                 _yuan(r["spent"]), _percent(r["progress"])] for r in funds["years"]]
        t = funds["total"]
        rows.append([_("五年合计"), _yuan(t["allocated"]), _yuan(t["arranged"]),
                     _yuan(t["spent"]), _percent(t["progress"])])
        found.append((_("衔接资金（元）"), [_("年度"), _("下达到县"), _("项目安排"), _("支出"),
                                          _("支出进度")], rows))
        if funds["by_use"]:
            found.append((_("五年资金按用途"), [_("用途"), _("安排金额（元）"), _("占比")],
                          [[r["label"], _yuan(r["amount"]), _percent(r["share"])]
                           for r in funds["by_use"]]))
    households = data.get("households")
    if households:
        found.append((_("防返贫动态监测（户）"),
                      [_("年度"), _("新纳入监测"), _("年内监测"), _("消除风险")],
                      [[_("%(y)s年") % {"y": r["year"]}, r["new"], r["monitored"],
                        r["eliminated"]] for r in households["years"]]))
    for heading, rows_of in ((_("下级地区"), children), (_("本级单位"), units)):
        if rows_of:
            found.append((heading, [_("名称"), _("任务数"), _("按期完成"), _("逾期完成"),
                                    _("延续"), _("退出"), _("待处置"), _("五年按时报送率")],
                          [[name, d["outcomes"]["tasks"], d["outcomes"]["done_on_time"],
                            d["outcomes"]["done_late"], d["outcomes"]["continued"],
                            d["outcomes"]["ended"], d["outcomes"]["undisposed"],
                            _percent(d["progress"]["total"]["on_time_rate"])]
                           for name, d in rows_of]))
    return found


def _rank(rank, of) -> str:
    if not rank:
        return "—"
    return f"{rank}/{of}" if of else str(rank)


def title_of(data: dict) -> str:
    period = data["period"]
    return _("%(name)s%(period)s考核评估报告（%(start)s—%(end)s年）") % {
        "name": data["name"], "period": period["short_name"],
        "start": period["start"][:4], "end": period["end"][:4]}


# Charts as PNG ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def cjk_font() -> tuple[str, int] | None:
    """(file, index) of a CJK sans font fontconfig knows (Noto Sans CJK SC preferred), or None."""
    try:
        listed = subprocess.run(["fc-list", "-f", "%{file}|%{index}|%{family}\n", ":lang=zh"],
                                capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    fonts = []
    for line in listed.splitlines():
        path, _sep, rest = line.partition("|")
        index, _sep, family = rest.partition("|")
        rank = (0 if "Sans CJK SC" in family and "Mono" not in family else
                1 if "Sans" in family and "Mono" not in family else 2)
        fonts.append((rank, path, int(index or 0)))
    if not fonts:
        return None
    _rank_, path, index = min(fonts)
    return path, index


def _font(size: int):
    found = cjk_font()
    if found is None:
        return None
    try:
        return ImageFont.truetype(found[0], size, index=found[1])
    except OSError:
        return None


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _text(draw, xy, text, font, fill="#333333", anchor="mm") -> None:
    if font is not None and text:
        draw.text(xy, str(text), font=font, fill=fill, anchor=anchor)


def chart_png(spec: dict, *, width: int = 1200, height: int = 600) -> bytes:
    """A bar or line chart of a spec (monitoring.period_summary.chart_specs) as PNG."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    title, small, tiny = _font(30), _font(20), _font(17)
    series = spec["series"]
    categories = spec["categories"]
    _text(draw, (width // 2, 28), spec["title"], title)
    top = 70
    if len(series) > 1:  # legend
        x = width // 2 - 170 * len(series) // 2
        for i, s in enumerate(series):
            colour = PALETTE[i % len(PALETTE)]
            draw.rectangle([x, top, x + 26, top + 16], fill=colour)
            _text(draw, (x + 34, top + 8), s["name"], small, anchor="lm")
            x += 170
        top += 40
    left, right, bottom = 110, width - 30, height - 80
    values = [v for s in series for v in s["data"] if v is not None]
    peak = _nice_max(max(values, default=0))
    draw.line([left, top, left, bottom], fill="#999999", width=2)
    draw.line([left, bottom, right, bottom], fill="#999999", width=2)
    for i in range(6):
        y = bottom - (bottom - top) * i / 5
        if i:
            draw.line([left, y, right, y], fill="#e5e5e5", width=1)
        label = peak * i / 5
        _text(draw, (left - 10, y), f"{label:g}", tiny, anchor="rm")
    if not categories:
        return _png(image)
    slot = (right - left) / len(categories)

    def y_of(value):
        return bottom - (bottom - top) * (value / peak)

    for c, name in enumerate(categories):
        _text(draw, (left + slot * (c + 0.5), bottom + 24), name, small if len(str(name)) * 20
              < slot else tiny)
    if spec["type"] == "bar":
        width_each = slot * 0.7 / len(series)
        for i, s in enumerate(series):
            for c, value in enumerate(s["data"]):
                if value is None:
                    continue
                colour = (spec["colours"][c] if len(series) == 1 and spec.get("colours")
                          else PALETTE[i % len(PALETTE)])
                x0 = left + slot * c + slot * 0.15 + width_each * i
                if value > 0:
                    draw.rectangle([x0, min(y_of(value), bottom - 2), x0 + width_each - 2,
                                    bottom - 1], fill=colour)
                _text(draw, (x0 + width_each / 2, y_of(value) - 12), f"{value:g}", tiny)
    else:
        for i, s in enumerate(series):
            colour = PALETTE[i % len(PALETTE)]
            points = [(left + slot * (c + 0.5), y_of(v)) if v is not None else None
                      for c, v in enumerate(s["data"])]
            for a, b in zip(points, points[1:], strict=False):
                if a and b:
                    draw.line([a, b], fill=colour, width=4)
            for point, value in zip(points, s["data"], strict=True):
                if point:
                    draw.ellipse([point[0] - 7, point[1] - 7, point[0] + 7, point[1] + 7],
                                 fill=colour)
                    _text(draw, (point[0], point[1] - 20 - 18 * i), f"{value:g}", tiny, fill=colour)
    return _png(image)


def _png(image) -> bytes:
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


# The Word report ---------------------------------------------------------------------------


def _east_asian(style, font: str) -> None:
    style.font.name = font
    rpr = style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _table(document, columns: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)


# Which chart goes with which table (by the start of the table's heading).
_CHART_AFTER = {"年度考核": "scores", "任务完成情况": "rates", "过渡期任务处置情况": "outcomes",
                "衔接资金": "funds", "防返贫动态监测": "households"}


def sections(data: dict, *, children=(), units=()) -> list[dict]:
    """The tables with the chart each is shown with (the page and the report alike)."""
    specs = chart_specs(data)
    found = []
    for title, columns, rows in tables(data, children=children, units=units):
        chart = next((key for prefix, key in _CHART_AFTER.items() if title.startswith(prefix)),
                     None)
        found.append({"title": title, "columns": columns, "rows": rows,
                      "chart_name": f"period-{chart}" if chart in specs else None,
                      "chart": specs.get(chart)})
    return found


def summary_docx(data: dict, *, children=(), units=(), printed_at=None) -> bytes:
    """The report: title, the period and when the figures were computed, one numbered heading
    per table with its chart, and a closing section left for the county to write."""
    document = Document()
    _east_asian(document.styles["Normal"], "宋体")
    document.styles["Normal"].font.size = Pt(11)
    for name in ("Title", "Heading 1", "Heading 2"):
        _east_asian(document.styles[name], "黑体")
    heading = document.add_heading(title_of(data), level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    period = data["period"]
    document.add_paragraph(_(
        "时期：%(name)s（%(start)s至%(end)s）。本报告数据由系统于%(at)s计算并封存，"
        "任务按时报送情况依据%(figures)s的进度汇总。") % {
        "name": period["name"], "start": chinese_date(period["start"]),
        "end": chinese_date(period["end"]), "at": chinese_date(data.get("computed_at")),
        "figures": chinese_date(data.get("figures_at")) or _("最近一次")})
    numbers = "一二三四五六七八九十"
    found = sections(data, children=children, units=units)
    for index, section in enumerate(found):
        document.add_heading(f"{numbers[index % 10]}、{section['title']}", level=1)
        _table(document, section["columns"], section["rows"])
        if section["chart"] is not None:
            document.add_paragraph()
            document.add_picture(io.BytesIO(chart_png(section["chart"])), width=Cm(15.5))
    document.add_heading(f"{numbers[len(found) % 10]}、{_('工作总结与下一步打算')}", level=1)
    document.add_paragraph(_("（请在此填写本地区过渡期工作的主要成效、存在问题和常态化帮扶阶段的打算。）"))
    if printed_at is not None:
        document.add_paragraph(_("导出日期：%(d)s") % {"d": chinese_date(printed_at)})
    document.core_properties.title = title_of(data)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


# The workbook -----------------------------------------------------------------------------


def summary_xlsx(data: dict, *, children=(), units=()) -> bytes:
    """One sheet per table of the report, with an overview sheet first."""
    workbook = Workbook()
    overview = workbook.active
    overview.title = _("概况")
    header_row(overview, [_("项目"), _("内容")], [20, 60])
    period = data["period"]
    for label, value in ((_("名称"), data["name"]), (_("时期"), period["name"]),
                         (_("起止"), f"{chinese_date(period['start'])}至"
                                     f"{chinese_date(period['end'])}"),
                         (_("计算时间"), chinese_date(data.get("computed_at")))):
        append_row(overview, [label, value])  # a name starting with "=" stays text
    used = {overview.title}
    for title, columns, rows in tables(data, children=children, units=units):
        name = "".join("_" if c in '[]:*?/\\' else c for c in title)[:31]
        while name in used:
            name = name[:29] + "_2"
        used.add(name)
        sheet = workbook.create_sheet(name)
        header_row(sheet, columns, [max(10, len(str(c)) * 2 + 2) for c in columns])
        for row in rows:
            append_row(sheet, row)
        sheet.freeze_panes = "B2"
    workbook.properties.title = title_of(data)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
