"""The assessment of a year as an Excel workbook: the rankings, then one sheet per part.

Built from the same sections the assessment page shows (monitoring.dashboards), so the
file and the page cannot disagree; each part's sheet carries the formula and its inputs.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from monitoring.dashboards import Section
from obligations.selectors.exports import append_row, header_row


def _formula(part) -> str:
    if part.score is None:
        return _("无考核内容，本项不计，按其余各项权重计算")
    (top_label, _top), (bottom_label, _bottom) = part.numerator, part.denominator
    text = _("%(top)s ÷ %(bottom)s × 100") % {"top": top_label, "bottom": bottom_label}
    if part.component is None:
        return text
    (top_label2, top2), (bottom_label2, bottom2) = part.component.numerator, part.component.denominator
    return _("（%(text)s × 1 + %(top_label)s %(top)s ÷ %(bottom_label)s %(bottom)s × 100"
             " × %(w)s）÷（1 + %(w)s）") % {
        "text": text, "top_label": top_label2, "top": top2, "bottom_label": bottom_label2,
        "bottom": bottom2, "w": part.component.weight}


def _score(value) -> float | None:
    return None if value is None else round(float(value), 2)


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list], widths: list[int]):
    sheet = workbook.create_sheet(title[:31])
    header_row(sheet, header, widths)
    for row in rows:
        append_row(sheet, row)  # a name starting with "=" stays text
    sheet.freeze_panes = "C2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = "1:1"
    return sheet


def assessment_xlsx(*, record, sections: list[Section], values) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    part_names = list(dict.fromkeys(name for s in sections for name in s.part_names))
    ranking = []
    for section in sections:
        for row in section.rows:
            result = row.result
            scores = {p.name: _score(p.score) for p in row.parts}
            ranking.append([
                str(section.label), row.name, _score(result.total), result.rank_in_province,
                result.rank_in_city, _("约谈") if result.interview else "",
                _score(row.change), row.rank_change,
                *[scores.get(name) for name in part_names],
            ])
    _sheet(workbook, _("排名"), [
        _("考核对象类别"), _("名称"), _("总分"), _("全省排名"), _("全市排名"), _("约谈"),
        _("总分较上年"), _("名次较上年（上升为正）"),
        *part_names,
    ], ranking, [12, 24, 8, 9, 9, 7, 11, 12] + [10] * len(part_names))
    for name in part_names:
        rows = []
        for section in sections:
            for row in section.rows:
                part = next((p for p in row.parts if p.name == name), None)
                if part is None:
                    continue
                (top_label, top), (bottom_label, bottom) = part.numerator, part.denominator
                rows.append([
                    str(section.label), row.name, _score(part.score), float(part.weight),
                    str(top_label), top, str(bottom_label), bottom,
                    _formula(part),
                ])
        _sheet(workbook, name, [
            _("考核对象类别"), _("名称"), _("得分"), _("权重"), _("分子"), _("分子数值"),
            _("分母"), _("分母数值"), _("计算公式"),
        ], rows, [12, 24, 8, 7, 20, 10, 20, 10, 44])
    _sheet(workbook, _("指标目标"), [
        _("区划"), _("指标"), _("目标"), _("报送值"), _("是否达标"), _("文件"),
    ], [[v.region.name, v.target.name, _target_text(v.target), float(v.value),
         _("达标") if v.attained else _("本年度不考核") if v.attained is None else _("未达标"),
         v.target.obligation.document.doc_number or v.target.obligation.document.title]
        for v in values], [14, 30, 18, 10, 10, 30])
    workbook.properties.title = _("%(year)s年度考核结果") % {"year": record.year}
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _target_text(target) -> str:
    comparator = {">=": "≥", "<=": "≤", "=": ""}.get(target.comparator, target.comparator)
    return f"{comparator}{target.value_text}{target.unit}"
