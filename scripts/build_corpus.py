"""Builds source.docx and source.pdf for every document of fixtures/corpus/ from its source.txt.

    .venv/bin/python scripts/build_corpus.py            # all documents
    .venv/bin/python scripts/build_corpus.py 01_minhang # the ones whose folder starts so

The text is the document as published (source.txt); these two files are how an OA system
would hand it round, so that every import format is exercised on real text:

- .docx (python-docx): one paragraph per line; every block of tab-separated lines becomes a
  real Word table, and a blank cell under a filled one in a leading "grouping" column
  (类别, 考核项目, 重点任务 … — a column whose cells are blank on most rows) is merged
  vertically with it, as the source's merged cells were.
- .pdf (system Chromium through Playwright, Noto CJK): A4, a running header with the
  document's title, "第 N 页 共 M 页" page numbers, the tables as HTML tables with rowspan.

Run `bash scripts/ensure_browser.sh` first. The generated files are committed.
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
CHROMIUM = "/usr/bin/chromium"


def blocks(text: str) -> list[tuple[str, object]]:
    """("para", line) and ("table", rows) in reading order."""
    out: list[tuple[str, object]] = []
    table: list[list[str]] = []
    for line in text.splitlines():
        if "\t" in line:
            table.append(line.split("\t"))
            continue
        if table:
            out.append(("table", table))
            table = []
        out.append(("para", line))
    if table:
        out.append(("table", table))
    return out


def merged_columns(rows: list[list[str]]) -> set[int]:
    """Columns whose blank cells continue the cell above (merged in the source)."""
    body = rows[1:]
    columns = set()
    for index in range(len(rows[0])):
        cells = [r[index] if index < len(r) else "" for r in body]
        filled = [c for c in cells if c.strip()]
        if filled and cells[0].strip() and len(filled) < len(cells) / 2 + 1 and len(cells) > 1:
            # A grouping column: few filled cells, the first one filled, and not the 序号 column.
            if not all(c.strip().isdigit() for c in filled):
                columns.add(index)
    return columns


def spans(rows: list[list[str]], column: int) -> list[tuple[int, int]]:
    """(first body row, number of rows) of each merged group in a column (body-relative)."""
    out = []
    body = rows[1:]
    start = None
    for i, row in enumerate(body):
        cell = row[column] if column < len(row) else ""
        if cell.strip():
            if start is not None:
                out.append((start, i - start))
            start = i
    if start is not None:
        out.append((start, len(body) - start))
    return out


def build_docx(meta: dict, text: str, target: Path) -> None:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "宋体"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(12)
    document.core_properties.title = meta.get("title", "")
    document.core_properties.author = meta.get("issuer", "")
    for kind, value in blocks(text):
        if kind == "para":
            document.add_paragraph(value)
            continue
        rows = value
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c in range(width):
                table.cell(r, c).text = row[c] if c < len(row) else ""
        for column in merged_columns(rows):
            for first, count in spans(rows, column):
                if count > 1:
                    top = table.cell(first + 1, column)
                    text_top = top.text
                    top.merge(table.cell(first + count, column))
                    top.text = text_top  # merge() joins the blank cells' paragraphs
    document.save(target)


def build_html(meta: dict, text: str) -> str:
    parts = []
    for kind, value in blocks(text):
        if kind == "para":
            parts.append(f"<p>{html.escape(value) or '&nbsp;'}</p>")
            continue
        rows = value
        width = max(len(r) for r in rows)
        merged = merged_columns(rows)
        rowspan: dict[tuple[int, int], int] = {}
        skip: set[tuple[int, int]] = set()
        for column in merged:
            for first, count in spans(rows, column):
                rowspan[(first + 1, column)] = count
                for k in range(1, count):
                    skip.add((first + 1 + k, column))
        out = ["<table>"]
        for r, row in enumerate(rows):
            cells = []
            for c in range(width):
                if (r, c) in skip:
                    continue
                tag = "th" if r == 0 else "td"
                span = f' rowspan="{rowspan[(r, c)]}"' if rowspan.get((r, c), 1) > 1 else ""
                cell = html.escape(row[c] if c < len(row) else "")
                cells.append(f"<{tag}{span}>{cell}</{tag}>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</table>")
        parts.append("\n".join(out))
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<style>
body {{ font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 12pt; line-height: 1.6; }}
p {{ margin: 0 0 0.3em 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: 10pt; }}
th, td {{ border: 1px solid #000; padding: 2pt 4pt; vertical-align: middle; }}
tr {{ page-break-inside: avoid; }}
thead {{ display: table-header-group; }}
</style></head><body>
{chr(10).join(parts)}
</body></html>"""


def build_pdfs(items: list[tuple[dict, str, Path]]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page()
        for meta, text, target in items:
            page.set_content(build_html(meta, text), wait_until="load")
            title = html.escape(meta.get("title", ""))[:60]
            header = (
                '<div style="font-size:8pt;width:100%;text-align:center;'
                'font-family:Noto Sans CJK SC,sans-serif;color:#444;">'
                f"{title}</div>"
            )
            footer = (
                '<div style="font-size:9pt;width:100%;text-align:center;'
                'font-family:Noto Sans CJK SC,sans-serif;">'
                '第 <span class="pageNumber"></span> 页 共 <span class="totalPages"></span> 页</div>'
            )
            page.pdf(
                path=str(target),
                format="A4",
                display_header_footer=True,
                header_template=header,
                footer_template=footer,
                margin={"top": "25mm", "bottom": "22mm", "left": "20mm", "right": "20mm"},
                print_background=False,
            )
        browser.close()


def main(argv: list[str]) -> int:
    folders = sorted(p for p in CORPUS.iterdir() if (p / "source.txt").exists())
    if argv:
        folders = [p for p in folders if any(p.name.startswith(a) for a in argv)]
    items = []
    for folder in folders:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        text = (folder / "source.txt").read_text(encoding="utf-8")
        build_docx(meta, text, folder / "source.docx")
        items.append((meta, text, folder / "source.pdf"))
        print(f"{folder.name}: source.docx")
    build_pdfs(items)
    for _, _, target in items:
        print(f"{target.parent.name}: source.pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
