"""Reading a document's own particulars from its first lines: 文号, title, issuer, date."""

from __future__ import annotations

import re

from .parsed import Flag, ParsedDocument
from .text import CN_DIGITS, GARBLE_RE, clean_line, cn_to_int, squeeze

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
# 二〇二一年七月十二日, 二○二一年 (a circle for the zero), 二零二一年十二月三十一日
_CN_DATE_RE = re.compile(
    r"([〇○零０一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
    r"\s*([一二三四五六七八九十]{1,3})\s*日"
)
# A line that is only a date: the 落款 of a document ("2021年7月12日", "（二〇二一年七月十二日）").
_DATE_LINE_RE = re.compile(r"^[（(]?\s*(?P<date>.{8,16}日)\s*[）)]?\s*(印发)?$")
# Two issuers on one line: "中共XX县委办公室 XX县人民政府办公室".
_ISSUER_SPLIT_RE = re.compile(
    r"(?<=[委府办厅局室部组])\s+(?=[\u4e00-\u9fff])|(?<=办公室)(?=[\u4e00-\u9fff]{2,}(?:人民政府|县委|市委))"
)
_ISSUER_LINE_RE = re.compile(r"^[\u4e00-\u9fff\s]{4,40}(委|府|办公室|办公厅|厅|局|领导小组)$")
_ATTACHMENT_END_RE = re.compile(r"(清单|方案|解释|通知|意见|表|办法|细则|目录|名单|规划|计划|要点|图)$")
_ATTACHMENT_RE = re.compile(r"^附\s*件\s*[:：]?\s*(?P<rest>.*)$")
_ISO_RE = re.compile(r"(?:发布日期|印发日期|日期)\s*[:：]\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_PAPER_RE = re.compile(r"日报\s*(\d{4})-(\d{1,2})-(\d{1,2})")


def find_date(text: str) -> str | None:
    """The first full date (Arabic or Chinese numerals) in the text, ISO."""
    dates = []
    if match := _DATE_RE.search(text):
        dates.append((match.start(), tuple(int(g) for g in match.groups())))
    if match := _CN_DATE_RE.search(text):
        year = int("".join(str(CN_DIGITS.get(ch, 0)) for ch in match.group(1).replace("○", "〇")))
        dates.append((match.start(), (year, cn_to_int(match.group(2)), cn_to_int(match.group(3)))))
    if not dates:
        return None
    year, month, day = min(dates)[1]
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None


def _closing_date(full_text: str) -> str | None:
    """The 落款 date: the first line that is a date and nothing else."""
    for line in full_text.splitlines():
        match = _DATE_LINE_RE.match(squeeze(line.strip().strip("*# ")))
        if match and (date := find_date(match.group("date"))):
            return date
    return None


def split_issuers(head: str) -> str:
    """ "中共XX县委办公室 XX县人民政府办公室" → "中共XX县委办公室、XX县人民政府办公室"."""
    parts = [p for p in _ISSUER_SPLIT_RE.split(head.strip()) if p and p.strip()]
    return "、".join(re.sub(r"\s", "", p) for p in parts)


def attachments(lines: list[str]) -> list[str]:
    """ "附件：1. 《实施意见》相关名词解释" and the numbered lines under it → their titles; a title
    wrapped over lines is joined until it ends (…清单, …方案, …解释)."""
    lines = [squeeze(clean_line(line)) for line in lines]
    lines = [line for line in lines if line]
    for index, line in enumerate(lines):
        match = _ATTACHMENT_RE.match(line)
        if not match:
            continue
        items: list[str] = [match.group("rest")] if match.group("rest") else []
        for following in lines[index + 1 : index + 12]:
            if re.match(r"^\d{1,2}\s*[.．、]", following):
                items.append(following)
            elif items and not _ATTACHMENT_END_RE.search(items[-1]) and len(items[-1]) < 60:
                items[-1] += following  # a title wrapped onto the next line
            else:
                break
        titles = []
        for item in items:
            title = re.sub(r"^\d{1,2}\s*[.．、]\s*", "", item)
            title = re.sub(r"\.(pdf|docx?|xlsx?|wps)\b.*$", "", title).strip()
            if title.startswith("《") and title.endswith("》"):
                title = title[1:-1]
            if title:
                titles.append(title)
        return titles
    return []


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
        issuer = split_issuers(head) if sep else ""
        if sep and not issuer and index and _ISSUER_LINE_RE.match(squeeze(preamble[index - 1])):
            issuer = split_issuers(preamble[index - 1])  # the issuers on the line above
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
    candidates = list(preamble[:12])
    # A 文号 split over two lines: "XX政办发〔2021〕" / "18号".
    candidates += [a + b for a, b in zip(preamble[:12], preamble[1:13], strict=False)]
    for line in candidates:
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
    issued_on = find_date(head)
    if issued_on:
        pass
    elif match := _ISO_RE.search(head):
        issued_on = "{:04d}-{:02d}-{:02d}".format(*(int(g) for g in match.groups()))
    elif issued_on := _closing_date(full_text):
        flags.append(Flag("metadata", "印发日期取自文末落款"))
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
        attachments=attachments(full_text.splitlines()),
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
