"""Zip-based uploads (.xlsx, .docx) checked before any library parses them.

An Office file is a zip of XML parts, and both the zip and the XML can be made to cost far
more than the bytes uploaded: a member of 200 MB of zeros compresses to 200 KB; a sheet can
declare `<dimension ref="A1:XFD1048576"/>`, and openpyxl's read-only reader then pads every
row to 16,384 cells and yields a million rows; a shared-strings table can claim billions of
entries. `check_archive` reads only the zip's central directory and the first bytes of a few
parts, so a refusal comes within milliseconds, with a Chinese message naming the problem,
before openpyxl or python-docx has seen the file.

What is checked (limits from the settings named in `Limits.from_settings`, defaults in
brackets): number of members [1,000]; total unpacked size [50 MB]; the compression ratio of
each member larger than 1 MB [100]; no DTD in any XML part (Office never writes one; a DTD is
how entity-expansion "billion laughs" and XXE work); for a workbook, each sheet's declared
dimension [20,000 rows, 100 columns] and the shared strings, declared and counted [2,000,000].

The sizes in the central directory can lie; they hold anyway because every reader here goes
through Python's zipfile, which stops a member at its declared size and then fails its CRC.
What the declarations cannot bound (a sheet without a dimension, rows that run past it) is
bounded by the reader: `excel.read_workbook` asks openpyxl for at most the capped rows and
columns and stops at `Limits.parse_seconds` [30 s].

Used by every place that opens a zip upload: the 责任清单 import (excel.read_workbook),
document intake (formats.read_document, services.intake) and evidence (services.reporting).
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string

from .errors import DocumentError

MB = 1024 * 1024
RATIO_CHECKED_ABOVE = 1 * MB  # smaller members cannot hurt on their own; the total caps many
HEAD_BYTES = 64 * 1024  # how much of a part is read for its declarations
SMALL_PART_BYTES = 4 * MB  # workbook.xml and its relationships are read whole up to this

_DIMENSION_RE = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']{1,40})[\"']")
_CELL_RE = re.compile(r"\$?([A-Z]{1,3})\$?(\d{1,9})")
_SST_RE = re.compile(rb"<(?:\w+:)?sst\b([^>]*)>")
_COUNT_RE = re.compile(rb"\b(count|uniqueCount)\s*=\s*[\"'](\d+)[\"']")
_SI_RE = re.compile(rb"<(?:\w+:)?si[\s>/]")
_DTD_RE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class Limits:
    max_members: int = 1000
    max_unpacked_bytes: int = 50 * MB
    max_ratio: int = 100
    max_rows: int = 20_000
    max_columns: int = 100
    max_shared_strings: int = 2_000_000
    parse_seconds: float = 30.0

    @classmethod
    def from_settings(cls) -> Limits:
        """The configured limits (config/settings/base.py, `UPLOAD_*`), the defaults otherwise."""
        from django.conf import settings

        default = cls()
        return cls(
            max_members=int(getattr(settings, "UPLOAD_MAX_ZIP_MEMBERS", default.max_members)),
            max_unpacked_bytes=int(getattr(settings, "UPLOAD_MAX_UNPACKED_MB", 50) * MB),
            max_ratio=int(getattr(settings, "UPLOAD_MAX_COMPRESSION_RATIO", default.max_ratio)),
            max_rows=int(getattr(settings, "UPLOAD_XLSX_MAX_ROWS", default.max_rows)),
            max_columns=int(getattr(settings, "UPLOAD_XLSX_MAX_COLUMNS", default.max_columns)),
            max_shared_strings=int(getattr(settings, "UPLOAD_XLSX_MAX_SHARED_STRINGS",
                                           default.max_shared_strings)),
            parse_seconds=float(getattr(settings, "UPLOAD_PARSE_SECONDS", default.parse_seconds)),
        )

    def deadline(self) -> Deadline:
        return Deadline(self.parse_seconds)


class Deadline:
    """A parse's time limit, checked between rows (each step between checks is bounded by the
    unpacked-size cap, so a check comes within a fraction of a second)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def check(self, source_name: str) -> None:
        if time.monotonic() > self.ends:
            raise DocumentError(
                _("%(source)s：读取超过 %(seconds)s 秒，已停止，未导入任何内容；"
                  "请删去多余的工作表和空行空列，或拆分成几个文件后再上传。")
                % {"source": source_name, "seconds": _seconds(self.seconds)})


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def check_archive(data: bytes, *, source_name: str, limits: Limits | None = None) -> None:
    """Refuses (DocumentError) a zip upload that would cost more to read than it should.
    A workbook (xl/workbook.xml present) also has its sheets and shared strings checked."""
    limits = limits or Limits.from_settings()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise DocumentError(
            _("%(source)s：文件已损坏（压缩包无法打开）；请用 Office 或 WPS 打开后重新另存再上传。")
            % {"source": source_name}) from exc
    with archive:
        _check_members(members, source_name=source_name, limits=limits)
        try:
            names = {m.filename for m in members}
            for member in members:
                if member.filename.lower().endswith((".xml", ".rels")):
                    _check_no_dtd(archive, member, source_name=source_name)
            if "xl/workbook.xml" in names:
                _check_workbook(archive, names, source_name=source_name, limits=limits)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError,
                NotImplementedError, ElementTree.ParseError) as exc:  # a broken or encrypted part
            raise DocumentError(
                _("%(source)s：文件已损坏（压缩包中的部分内容无法读取）；"
                  "请用 Office 或 WPS 打开后重新另存再上传。") % {"source": source_name}) from exc


def _check_members(members, *, source_name: str, limits: Limits) -> None:
    if len(members) > limits.max_members:
        raise DocumentError(
            _("%(source)s：压缩包中有 %(n)s 个文件，超过上限 %(max)s 个，不像正常的 Office 文件，"
              "未读取。") % {"source": source_name, "n": len(members), "max": limits.max_members})
    total = sum(m.file_size for m in members)
    if total > limits.max_unpacked_bytes:
        raise DocumentError(
            _("%(source)s：解压后共 %(size)s MB，超过上限 %(max)s MB，未读取；"
              "请删去图片等内容或拆分成几个文件后再上传。")
            % {"source": source_name, "size": _mb(total),
               "max": _mb(limits.max_unpacked_bytes)})
    for member in members:
        if member.file_size <= RATIO_CHECKED_ABOVE:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.max_ratio:
            raise DocumentError(
                _("%(source)s：其中的“%(member)s”压缩比为 %(ratio)s 倍（超过上限 %(max)s 倍），"
                  "是异常构造的文件（“压缩炸弹”），未读取。")
                % {"source": source_name, "member": member.filename[:100],
                   "ratio": int(ratio), "max": limits.max_ratio})


def _mb(size: int) -> str:
    return f"{size / MB:.0f}" if size >= 10 * MB else f"{size / MB:.1f}"


def _head(archive, name: str, size: int = HEAD_BYTES) -> bytes:
    with archive.open(name) as handle:
        return handle.read(size)


def _check_no_dtd(archive, member, *, source_name: str) -> None:
    # A DTD comes before the root element, so in the first bytes of the part.
    if _DTD_RE.search(_head(archive, member.filename, 4096)):
        raise DocumentError(
            _("%(source)s：其中的“%(member)s”含有 DTD 声明（正常的 Office 文件没有），未读取。")
            % {"source": source_name, "member": member.filename[:100]})


def _sheet_names(archive, names: set[str]) -> dict[str, str]:
    """Worksheet part → the sheet's name as Excel shows it (best effort; {} if unreadable)."""
    rels_name = "xl/_rels/workbook.xml.rels"
    if rels_name not in names:
        return {}
    parts = {}
    for name in ("xl/workbook.xml", rels_name):
        if archive.getinfo(name).file_size > SMALL_PART_BYTES:
            return {}
        parts[name] = ElementTree.fromstring(archive.read(name))
    targets = {}
    for rel in parts[rels_name].iter(f"{_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[rel.get("Id")] = target
    return {targets.get(sheet.get(f"{_REL}id"), ""): sheet.get("name", "")
            for sheet in parts["xl/workbook.xml"].iter(f"{_MAIN}sheet")}


def _check_workbook(archive, names: set[str], *, source_name: str, limits: Limits) -> None:
    sheet_names = _sheet_names(archive, names)
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    for number, part in enumerate(sheets, start=1):
        found = _DIMENSION_RE.search(_head(archive, part))
        if not found:
            continue  # no declaration: the reader's own row and column caps hold
        ref = found.group(1).decode("ascii", "replace").strip()
        corners = [_CELL_RE.fullmatch(c.strip()) for c in ref.upper().split(":")]
        if not all(corners):
            continue  # not a cell range openpyxl would use; the reader's caps hold
        columns = [column_index_from_string(c.group(1)) for c in corners]
        rows = [int(c.group(2)) for c in corners]
        if max(rows) > limits.max_rows or max(columns) > limits.max_columns:
            sheet = sheet_names.get(part) or _("第%(n)s个工作表") % {"n": number}
            raise DocumentError(
                _("%(source)s：工作表“%(sheet)s”声明的范围是 %(ref)s（%(rows)s 行 × %(columns)s 列），"
                  "超过上限 %(max_rows)s 行、%(max_columns)s 列，未读取；请删去多余的空行和空列"
                  "（或拆分成几个工作表）后另存再上传。")
                % {"source": source_name, "sheet": sheet, "ref": ref,
                   "rows": max(rows) - min(rows) + 1, "columns": max(columns) - min(columns) + 1,
                   "max_rows": limits.max_rows, "max_columns": limits.max_columns})
    _check_shared_strings(archive, names, source_name=source_name, limits=limits)


def _check_shared_strings(archive, names: set[str], *, source_name: str, limits: Limits) -> None:
    part = next((n for n in names if n.lower() == "xl/sharedstrings.xml"), None)
    if part is None:
        return
    declared = 0
    found = _SST_RE.search(_head(archive, part, 4096))
    if found:
        declared = max((int(v) for _k, v in _COUNT_RE.findall(found.group(1))), default=0)
    counted = 0
    if declared <= limits.max_shared_strings:
        # The declaration can understate: count the entries (a scan in C, bounded by the
        # unpacked-size cap checked above). An entry is counted in the chunk where it starts.
        buffer = b""
        with archive.open(part) as handle:
            while counted <= limits.max_shared_strings and (chunk := handle.read(MB)):
                buffer += chunk
                safe = max(len(buffer) - 64, 0)
                counted += sum(1 for m in _SI_RE.finditer(buffer) if m.start() < safe)
                buffer = buffer[safe:]
            counted += len(_SI_RE.findall(buffer))
    n = max(declared, counted)
    if n > limits.max_shared_strings:
        raise DocumentError(
            _("%(source)s：共享字符串表有 %(n)s 项，超过上限 %(max)s 项，是异常构造的文件，未读取。")
            % {"source": source_name, "n": n, "max": limits.max_shared_strings})
