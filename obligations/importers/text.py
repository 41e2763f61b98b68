"""Reading a document's bytes into clean lines, and small helpers on Chinese text."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .errors import DocumentError

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_NUMERAL = "零〇一二三四五六七八九十百"
CJK = r"\u3400-\u9fff"
_CJK_RE = re.compile(f"[{CJK}]")
# Letters of scripts a Chinese government document never uses: what OCR makes of
# glyphs it could not read (000: "ⴱငǃⴱ᭯ᓌ" for 省委省政府).
GARBLE_RE = re.compile(
    r"[\u0180-\u024f\u0370-\u03ff\u0400-\u052f\u0590-\u08ff\u0980-\u0dff\u1000-\u109f"
    r"\u1100-\u11ff\u1400-\u167f\u1780-\u18af\u1950-\u1aff\u1b00-\u1bff\u1c00-\u1cff"
    r"\u2c00-\u2dff\ua000-\ua4cf\ua500-\ua6ff\uac00-\ud7af]+"
)


def cn_to_int(numeral: str) -> int:
    """一 → 1, 十三 → 13, 三十一 → 31, 一百零二 → 102."""
    if numeral.isdigit():
        return int(numeral)
    total, current = 0, 0
    for ch in numeral:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = CN_DIGITS[ch]
    return total + current


def int_to_cn(number: int) -> str:
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    if number < 20:
        return "十" + (digits[number % 10] if number % 10 else "")
    if number < 100:
        return digits[number // 10] + "十" + (digits[number % 10] if number % 10 else "")
    return str(number)


def decode(data: bytes, *, source: str) -> str:
    """Bytes → text (UTF-8 with or without BOM, UTF-16, GB18030); refuses what is not a text
    document, naming the file."""
    if not data.strip():
        raise DocumentError(_("%(source)s：文件为空。") % {"source": source})
    text = _utf16(data)
    if text is None:
        text = _decode_bytes(data, source=source)
    if len(_CJK_RE.findall(text)) < 20:
        raise DocumentError(
            _("%(source)s：文件中几乎没有中文内容，不像是一份政策文件。") % {"source": source}
        )
    return text


def _decode_bytes(data: bytes, *, source: str) -> str:
    if b"\x00" in data[:4096]:
        raise DocumentError(
            _(
                "%(source)s：不是文本文件（含二进制内容），请提供 UTF-8、UTF-16 或 GB18030 编码的"
                "文本，或 .docx / 文字版 PDF。"
            )
            % {"source": source}
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            position = exc.start
    raise DocumentError(
        _("%(source)s：无法识别文件编码（第 %(pos)s 字节处无法按 UTF-8 或 GB18030 解码）。")
        % {"source": source, "pos": position}
    )


def _utf16(data: bytes) -> str | None:
    """UTF-16 text (Windows Notepad's "Unicode"), with a BOM or without one; None when the
    bytes do not read as Chinese or ASCII text in UTF-16 (binary data that has NULs, or
    merely starts like a BOM)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    elif b"\x00" in data[:4096] and len(data) % 2 == 0:
        encodings = ("utf-16-le", "utf-16-be")
    else:
        return None
    for encoding in encodings:
        try:
            text = data.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError:
            continue
        if text and len(_TEXT_CHAR_RE.findall(text)) >= len(text) * 0.95:
            return text
    return None


# What a Chinese document in UTF-16 consists of: ASCII, general punctuation, radicals, CJK
# punctuation and ideographs, fullwidth forms.
_TEXT_CHAR_RE = re.compile(
    "[\t\r\n\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u2460-\u24ff\u2e80-\u2fdf"
    "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
)


_MARKUP_RE = re.compile(r"</?p>|<br\s*/?>|\*\*", re.IGNORECASE)


def clean_line(line: str) -> str:
    """Drops Markdown/HTML decoration and odd spaces; keeps the words."""
    line = line.replace("\u00a0", " ").replace("\u3000", " ").replace("\ufeff", "")
    line = _MARKUP_RE.sub("", line)
    line = re.sub(r"^#{1,6}\s*", "", line.strip())
    return line.strip()


def squeeze(text: str) -> str:
    """Removes the spaces OCR and typesetting put between Chinese characters."""
    text = re.sub(
        f"(?<=[{CJK}，。、；：（）《》“”])[ \t]+(?=[{CJK}，。、；：（）《》“”(])", "", text
    )
    text = re.sub(f"(?<=[{CJK}])[ \t]+(?=[（(])", "", text)
    return text.strip()


def fullwidth_parens(text: str) -> str:
    return text.replace("(", "（").replace(")", "）")


def ends_sentence(text: str) -> bool:
    return bool(text) and text[-1] in "。！？；”）)】"
