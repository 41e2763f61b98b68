"""Reading a document's own particulars from its first lines: 文号, title, issuer, date."""

from __future__ import annotations

import re

from .parsed import Flag, ParsedDocument
from .text import GARBLE_RE, squeeze

# 文号: 隆党发〔2021〕2号, 抚委农领发[2021]3号; OCR: 青财农字〔2021J 818 号, 青发〔2021113 号.
DOC_NUMBER_RE = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{1,10}?)\s*[〔\[［【(（]\s*(?P<year>(19|20)\d{2})\s*"
    r"(?:[〕\]］】)）J]|(?=1\d{1,3}\s*号)1)\s*(?P<no>\d{1,4})\s*号"
)
# Central documents often cited by title only.
KNOWN_TITLES = {
    "关于实现巩固拓展脱贫攻坚成果同乡村振兴有效衔接的意见": "中发〔2020〕30号",
}
_TITLE_END_RE = re.compile(r"(通知|意见|方案|规划|办法|决定|细则|清单|要点|计划)》?$")
_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO_RE = re.compile(r"(?:发布日期|印发日期|日期)\s*[:：]\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_PAPER_RE = re.compile(r"日报\s*(\d{4})-(\d{1,2})-(\d{1,2})")


def normalize_doc_number(match: re.Match) -> str:
    return f"{match.group('org')}〔{match.group('year')}〕{match.group('no')}号"


def _doc_numbers(text: str) -> list[tuple[str, str]]:
    """(normalized, as written) for every 文号 in the text."""
    return [(normalize_doc_number(m), m.group(0)) for m in DOC_NUMBER_RE.finditer(text)]


def read_title(preamble: list[str]) -> tuple[str, str]:
    """(title, issuer) from the first heading that says 关于…的通知/意见/方案."""
    for index, line in enumerate(preamble[:30]):
        if "关于" not in line and "印发" not in line:
            continue
        joined = line
        for following in preamble[index + 1 : index + 5]:
            if _TITLE_END_RE.search(squeeze(joined)):
                break
            joined += following
        joined = squeeze(joined).strip("《》")
        if not _TITLE_END_RE.search(joined):
            continue
        head, sep, tail = joined.partition("关于")
        issuer = re.sub(r"\s", "", head) if sep else ""
        title = "关于" + tail if sep else joined
        issuer = re.sub(r"(.+?)印发$", r"\1", issuer)
        inner = re.match(r"^关于印发[《＜<]?(.+?)[》＞>]?的通知$", title)
        return (inner.group(1) if inner else title), issuer
    return "", ""


def read_metadata(preamble: list[str], full_text: str, *, source_name: str) -> ParsedDocument:
    head = "\n".join(preamble)
    flags: list[Flag] = []
    title, issuer = read_title(preamble)
    if not title:
        title = next((squeeze(line) for line in preamble if len(line) > 6), source_name)
        flags.append(Flag("metadata", "未能识别文件标题，已取首行"))
    published = re.search(r"^\s*(?:近日，)?([^关，。]+?)印发《", head, re.MULTILINE)
    if not issuer:
        if published:
            issuer = published.group(1)
        else:
            header = next((line for line in preamble[:5] if line.endswith("文件")), "")
            issuer = header.removesuffix("文件")
    doc_number = ""
    for line in preamble[:12]:
        numbers = _doc_numbers(line)
        if numbers and len(re.sub(r"\s", "", line)) <= len(re.sub(r"\s", "", numbers[0][1])) + 2:
            doc_number, written = numbers[0]
            if re.sub(r"\s", "", written) != doc_number:
                flags.append(Flag("ocr", f"文号“{written}”识别有误，已校正为“{doc_number}”"))
            break
    implements = []
    for number, _written in _doc_numbers(head):
        if number != doc_number and number not in implements:
            implements.append(number)
    for known_title, number in KNOWN_TITLES.items():
        if known_title in re.sub(r"[\s、]|中共中央|国务院", "", head) and number not in implements:
            implements.append(number)
    issued_on = None
    if match := (_DATE_RE.search(head) or _ISO_RE.search(head)):
        issued_on = "{:04d}-{:02d}-{:02d}".format(*(int(g) for g in match.groups()))
    elif match := _PAPER_RE.search(full_text):
        issued_on = "{:04d}-{:02d}-{:02d}".format(*(int(g) for g in match.groups()))
        flags.append(Flag("metadata", "原文未载印发日期，取自报纸刊登日期"))
    else:
        flags.append(Flag("metadata", "原文未载印发日期"))
    year = int(issued_on[:4]) if issued_on else None
    if year is None and doc_number:
        year = int(re.search(r"〔(\d{4})〕", doc_number).group(1))
    for field, value in (("标题", title), ("发文机关", issuer)):
        for garble in GARBLE_RE.findall(value):
            flags.append(Flag("ocr", f"{field}含OCR乱码“{garble}”"))
    return ParsedDocument(
        title=title,
        doc_number=doc_number,
        issuer=issuer,
        level=guess_level(issuer),
        issued_on=issued_on,
        issued_year=year,
        implements=implements,
        source_name=source_name,
        flags=flags,
    )


def guess_level(issuer: str) -> str:
    if re.search(r"(厅|局|委员会)$", issuer) and not re.search(r"领导小组|办公厅$", issuer):
        return "department"
    if "县" in issuer or "区委" in issuer:
        return "county"
    if re.search(r"市|州", issuer) and "省" not in issuer:
        return "city"
    if re.search(r"省|自治区", issuer):
        return "province"
    if "中共中央" in issuer or "国务院" in issuer:
        return "central"
    return "unknown"  # PolicyDocument.Level.UNKNOWN (未识别): never ""
