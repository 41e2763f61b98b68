"""Scores the document importer on the real documents of fixtures/corpus/ against their answer keys.

Each corpus document is a folder with source.txt / .docx / .pdf, meta.json and key.json (the
measures written by a person reading the document). A parsed measure is matched to a key
measure by code, else by title similarity; it is **right** when

- its lead units equal the key's (as sets, after normalising whitespace and full/half-width),
- every supporting unit of the key is among its supporting units,
- the key's deadline text is contained in its deadline text (or both are empty).

`python scripts/score_corpus.py [-v]` prints the table; tests/test_corpus_score.py uses the total.
The .docx and .pdf files are scored through `obligations.importers.formats.read_document` when
that module exists; until then those columns say so.
"""

from __future__ import annotations

import json
import time
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
FORMATS = ("txt", "docx", "pdf")
TITLE_MATCH = 0.6


def norm(text: str) -> str:
    """Whitespace dropped, full-width folded to half-width (（）→(), ，→, …)."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def documents() -> list[Path]:
    return (
        sorted(p for p in CORPUS.iterdir() if (p / "key.json").exists()) if CORPUS.exists() else []
    )


def load_key(folder: Path) -> list[dict]:
    return json.loads((folder / "key.json").read_text(encoding="utf-8"))


def load_meta(folder: Path) -> dict:
    return json.loads((folder / "meta.json").read_text(encoding="utf-8"))


def read_document_available() -> bool:
    try:
        from obligations.importers import formats  # noqa: F401
    except ImportError:
        return False
    return hasattr(formats, "read_document")


def parse(folder: Path, fmt: str):
    """The ParsedDocument of one format of a corpus document."""
    from obligations.importers import parse_text

    path = folder / f"source.{fmt}"
    name = f"{folder.name}.{fmt}"
    if fmt == "txt":
        return parse_text(path.read_text(encoding="utf-8"), source_name=name)
    from obligations.importers.formats import read_document

    result = read_document(path.read_bytes(), source_name=name)
    if isinstance(result, str):
        return parse_text(result, source_name=name)
    if hasattr(result, "measures"):
        return result
    text = getattr(result, "text", None)
    if isinstance(text, str):
        return parse_text(text, source_name=name)
    raise TypeError(f"read_document returned {type(result).__name__}")


@dataclass
class Wrong:
    code: str
    title: str
    problems: list[str]


@dataclass
class Score:
    document: str
    fmt: str
    in_key: int
    found: int = 0
    right: int = 0
    seconds: float = 0.0
    error: str = ""
    wrong: list[Wrong] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100.0 * self.right / self.in_key if self.in_key else 0.0


def _match(key: list[dict], measures: list) -> list:
    """For each key measure, the parsed measure it corresponds to (or None)."""
    by_code = {norm(m.code): m for m in measures}
    used: set[int] = set()
    out: list = [None] * len(key)
    for i, k in enumerate(key):
        m = by_code.get(norm(k["code"]))
        if m is not None and id(m) not in used:
            out[i] = m
            used.add(id(m))
    for i, k in enumerate(key):
        if out[i] is not None:
            continue
        best, score = None, 0.0
        for m in measures:
            if id(m) in used:
                continue
            ratio = SequenceMatcher(
                None, norm(k["title"]), norm(m.title)[: len(norm(k["title"])) + 10]
            ).ratio()
            if ratio > score:
                best, score = m, ratio
        if best is not None and score >= TITLE_MATCH:
            out[i] = best
            used.add(id(best))
    return out


def check(k: dict, m) -> list[str]:
    """What is wrong with a parsed measure against its key measure (empty: right)."""
    problems = []
    lead_key = {norm(u) for u in k["lead_units"]}
    lead_got = {norm(u) for u in m.lead_units}
    if lead_key != lead_got:
        problems.append(f"牵头 应为 {sorted(lead_key)}，得到 {sorted(lead_got)}")
    support_got = {norm(u) for u in m.supporting_units}
    missing = [u for u in k["supporting_units"] if norm(u) not in support_got]
    if missing:
        problems.append(f"配合 缺 {missing}，得到 {sorted(support_got)}")
    deadline_key, deadline_got = norm(k.get("deadline_text", "")), norm(m.deadline_text)
    if deadline_key and deadline_key not in deadline_got or not deadline_key and deadline_got:
        problems.append(f"时限 应为 “{k.get('deadline_text', '')}”，得到 “{m.deadline_text}”")
    return problems


def score_one(folder: Path, fmt: str) -> Score:
    key = load_key(folder)
    result = Score(folder.name, fmt, len(key))
    start = time.perf_counter()
    try:
        document = parse(folder, fmt)
    except Exception as error:  # a parse failure scores nothing right, and says why
        result.error = f"{type(error).__name__}: {error}"[:200]
        result.wrong = [Wrong(k["code"], k["title"], ["未解析"]) for k in key]
        return result
    result.seconds = time.perf_counter() - start
    matched = _match(key, document.measures)
    for k, m in zip(key, matched, strict=True):
        if m is None:
            result.wrong.append(Wrong(k["code"], k["title"], ["未找到该措施"]))
            continue
        result.found += 1
        problems = check(k, m)
        if problems:
            result.wrong.append(Wrong(k["code"], k["title"], [f"(解析为 {m.code})", *problems]))
        else:
            result.right += 1
    return result


def score_all(formats: tuple[str, ...] | None = None) -> dict[str, list[Score]]:
    """Scores per format; the formats read_document cannot read yet are left out."""
    if formats is None:
        formats = FORMATS if read_document_available() else ("txt",)
    return {fmt: [score_one(folder, fmt) for folder in documents()] for fmt in formats}


def totals(scores: list[Score]) -> tuple[int, int, int]:
    return (
        sum(s.in_key for s in scores),
        sum(s.found for s in scores),
        sum(s.right for s in scores),
    )


def report(results: dict[str, list[Score]], verbose: bool = False) -> str:
    lines = []
    if not read_document_available():
        lines.append(
            "注：obligations.importers.formats.read_document 尚不存在，只评 .txt；"
            ".docx/.pdf 待其完成后自动计入。"
        )
    for fmt, scores in results.items():
        lines.append(f"\n== .{fmt} ==")
        lines.append(f"{'文件':<44}{'措施':>6}{'找到':>6}{'正确':>6}{'正确率':>9}{'耗时s':>8}")
        for s in scores:
            note = f"  错误：{s.error}" if s.error else ""
            lines.append(
                f"{s.document:<44}{s.in_key:>6}{s.found:>6}{s.right:>6}{s.percent:>8.1f}%{s.seconds:>8.2f}{note}"
            )
        n, found, right = totals(scores)
        lines.append(
            f"{'合计':<44}{n:>6}{found:>6}{right:>6}{(100.0 * right / n if n else 0):>8.1f}%"
        )
        if verbose:
            for s in scores:
                for w in s.wrong:
                    lines.append(
                        f"  ✗ {s.document} {w.code} {w.title[:20]}：" + "；".join(w.problems)
                    )
    return "\n".join(lines)
