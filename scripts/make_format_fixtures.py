"""Builds the PDF fixtures of tests/obligations/test_formats.py (run once; the files are committed).

    .venv/bin/python scripts/make_format_fixtures.py

- table_two_pages.pdf: a county 实施方案 printed by the system Chromium (Playwright, never its own
  browser download) with a running header, "- N -" page numbers in the footer, a paragraph that
  runs on over a page break and a 任务分工表 table over two pages whose header repeats (thead);
- radicals.pdf: text typed in Kangxi / CJK-radical code points ("⻘⼭县⼈⺠政府"), as PDF text
  layers often carry them;
- scanned.pdf: one page that is only an image of text (Pillow), as a scanner makes it;
- encrypted.pdf: table_two_pages.pdf with an open password (qpdf; `apt-get install -y qpdf`).

Needs /usr/bin/chromium and a CJK font (scripts/ensure_browser.sh installs both).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "obligations" / "fixtures" / "formats"
CHROMIUM = "/usr/bin/chromium"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

STYLE = """
@page { size: A5; margin: 22mm 16mm 20mm 16mm; }
body { font-family: 'Noto Serif CJK SC', serif; font-size: 13px; line-height: 22px; margin: 0; }
h1 { font-size: 18px; text-align: center; margin: 0 0 10px; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.center { text-indent: 0; text-align: center; }
table { border-collapse: collapse; width: 100%; font-size: 11px; line-height: 16px; margin-top: 8px; }
th, td { border: 0.8px solid #000; padding: 2px 3px; vertical-align: top; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
"""

HEADER = (
    "<div style=\"font-family:'Noto Sans CJK SC';font-size:9px;width:100%;text-align:center;"
    'margin:0 16mm;border-bottom:0.5px solid #000">青山县巩固拓展脱贫攻坚成果实施方案</div>'
)
FOOTER = (
    "<div style=\"font-family:'Noto Sans CJK SC';font-size:10px;width:100%;text-align:center\">"
    '- <span class="pageNumber"></span> -</div>'
)

LONG_PARAGRAPH = (
    "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，"
    "坚决守住不发生规模性返贫的底线，把巩固拓展脱贫攻坚成果同乡村振兴有效衔接起来，"
    "健全防止返贫动态监测和帮扶机制，持续增强脱贫地区和脱贫群众内生发展动力，"
    "推动脱贫群众生活更加美好，为全面推进乡村振兴、加快农业农村现代化奠定坚实基础。"
)

ROWS = [
    ("1", "健全防止返贫动态监测和帮扶机制", "县乡村振兴局", "县民政局、县医保局", "2023年6月底前"),
    ("2", "落实产业帮扶政策，发展壮大特色产业", "县农业农村局", "县财政局", "长期坚持"),
    ("3", "加强脱贫人口稳岗就业，开发公益性岗位", "县人社局", "各乡镇人民政府", "每年12月底前"),
    ("4", "巩固义务教育控辍保学成果", "县教育局", "各乡镇人民政府", "每学期"),
    ("5", "落实基本医疗保险和大病保险待遇", "县医保局", "县卫生健康局", "长期坚持"),
    ("6", "开展农村危房动态监测和改造", "县住建局", "县财政局、各乡镇人民政府", "2023年底前"),
    ("7", "保障农村饮水安全，巩固供水工程", "县水务局", "各乡镇人民政府", "2024年6月底前"),
    ("8", "加强易地扶贫搬迁后续扶持", "县发展改革局", "县人社局、县农业农村局", "长期坚持"),
    ("9", "用好衔接推进乡村振兴补助资金", "县财政局", "县乡村振兴局", "每年3月底前"),
    ("10", "做好农村低收入人口常态化帮扶", "县民政局", "县乡村振兴局", "长期坚持"),
    ("11", "推进消费帮扶，拓宽农产品销售渠道", "县商务局", "县农业农村局", "2023年12月底前"),
    ("12", "加强乡村人才队伍建设", "县委组织部", "县人社局、县农业农村局", "2025年底前"),
    (
        "13",
        "改善农村人居环境，推进厕所革命",
        "县农业农村局",
        "县卫生健康局、各乡镇人民政府",
        "2025年底前",
    ),
    ("14", "完善农村公共文化服务体系", "县文化旅游局", "各乡镇人民政府", "2024年底前"),
    ("15", "加强农村基层党组织建设", "县委组织部", "各乡镇党委", "长期坚持"),
    ("16", "健全驻村帮扶工作机制", "县委组织部", "县乡村振兴局", "长期坚持"),
    ("17", "开展东西部协作和定点帮扶", "县乡村振兴局", "县发展改革局", "每年12月底前"),
    (
        "18",
        "完善金融帮扶政策，落实小额信贷",
        "县金融服务中心",
        "县乡村振兴局、人行青山支行",
        "长期坚持",
    ),
    ("19", "加强脱贫地区基础设施建设", "县交通运输局", "县发展改革局", "2025年底前"),
    ("20", "健全巩固成果考核评估机制", "县乡村振兴局", "县委督查室", "每年12月底前"),
]


def table_html() -> str:
    head = "".join(
        f"<th>{h}</th>" for h in ("序号", "具体内容", "责任单位", "配合单位", "完成时限")
    )
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in ROWS)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def two_page_html() -> str:
    return f"""<html><head><meta charset="utf-8"><style>{STYLE}</style></head><body>
<h1>青山县巩固拓展脱贫攻坚成果实施方案</h1>
<p class="center">青政办发〔2023〕12号</p>
<p>为巩固拓展脱贫攻坚成果，结合我县实际，制定本方案。</p>
<div id="spacer"></div>
<p>一、总体要求</p>
<p id="long">{LONG_PARAGRAPH}</p>
<p>二、重点任务</p>
<p>（一）健全监测帮扶机制。对易返贫致贫人口及时发现、及时帮扶。（责任单位：县乡村振兴局）</p>
<p>（二）促进稳定就业。加强劳务输出，稳定务工规模。（责任单位：县人社局）</p>
<p>三、任务分工</p>
{table_html()}
<p>四、保障措施</p>
<p>各乡镇、各部门要加强组织领导，确保各项任务落到实处。</p>
</body></html>"""


RADICAL_TEXT = "⻘⼭县⼈⺠政府关于⻓效⻢上⻔⼾⻛险⻜速⻋辆⻅⾯⻆⾊⻝品⻚⾯⻰⻬⻩⾦⾼"


def radicals_html() -> str:
    return f"""<html><head><meta charset="utf-8"><style>{STYLE}</style></head><body>
<h1>{RADICAL_TEXT}</h1>
<p>⼀、总体要求</p>
<p>（⼀）健全监测机制。（责任单位：县⺠政局）</p>
<p>（⼆）加强产业帮扶，发展特⾊产业，带动脱贫群众增收致富。（责任单位：县农业农村局）</p>
</body></html>"""


def print_pdfs() -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.set_content(two_page_html(), wait_until="load")
        # The spacer puts the long paragraph's third line at the foot of page 1, so that the
        # paragraph runs on over the page break (A5 less the margins: 168 mm of text).
        page.evaluate(
            """() => {
                const pageHeight = 168 * 96 / 25.4, line = 22;
                const top = document.getElementById('long').offsetTop;
                document.getElementById('spacer').style.height = (pageHeight - top - 3 * line + 4) + 'px';
            }"""
        )
        page.pdf(
            path=str(OUT / "table_two_pages.pdf"),
            prefer_css_page_size=True,
            display_header_footer=True,
            header_template=HEADER,
            footer_template=FOOTER,
        )
        page.set_content(radicals_html(), wait_until="load")
        page.pdf(path=str(OUT / "radicals.pdf"), prefer_css_page_size=True)
        browser.close()


def scanned_pdf() -> None:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1240, 1754), "white")  # A4 at 150 dpi
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 40)
    lines = [
        "青山县人民政府办公室文件",
        "",
        "一、总体要求",
        "（一）健全监测机制。（责任单位：县民政局）",
    ]
    for n, line in enumerate(lines):
        draw.text((120, 160 + 70 * n), line, fill="black", font=font)
    image.save(OUT / "scanned.pdf", "PDF", resolution=150)


def qpdf() -> str:
    path = shutil.which("qpdf")
    if not path:
        sys.exit("qpdf is missing: apt-get install -y qpdf")
    return path


def compact(name: str) -> None:
    """Chromium's PDFs recompressed (fonts are most of their size): about half as large."""
    path = OUT / name
    packed = path.with_suffix(".packed.pdf")
    subprocess.run(
        [
            qpdf(),
            "--recompress-flate",
            "--compression-level=9",
            "--object-streams=generate",
            str(path),
            str(packed),
        ],
        check=True,
    )
    packed.replace(path)


def encrypted_pdf() -> None:
    subprocess.run(
        [
            qpdf(),
            "--encrypt",
            "open-sesame",
            "owner-pw",
            "256",
            "--",
            str(OUT / "radicals.pdf"),
            str(OUT / "encrypted.pdf"),
        ],
        check=True,
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    print_pdfs()
    compact("table_two_pages.pdf")
    compact("radicals.pdf")
    scanned_pdf()
    encrypted_pdf()
    for path in sorted(OUT.glob("*.pdf")):
        print(
            f"{path.relative_to(OUT.parent.parent.parent.parent)}  {path.stat().st_size // 1024} KB"
        )


if __name__ == "__main__":
    main()
