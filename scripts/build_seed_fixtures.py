"""Rebuilds fixtures/documents/*.json: the importer's reading of fixtures/sources/, then
the corrections a person made after reading the documents (the review).

    .venv/bin/python scripts/build_seed_fixtures.py

Run it after changing the importer, then read the diff of fixtures/documents/.
tests/obligations/test_seed_fixtures.py imports `reviewed_document` to check that the
committed JSON still equals what this script would write.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "fixtures" / "sources"
DOCS = ROOT / "fixtures" / "documents"
GARBLE = "㝡䍛᭫ඊᡀ᷌"  # one OCR garble, four times in 000: the glyphs of 脱贫攻坚成果


def node(document, code):
    return next(n for n in document["nodes"] if n["code"] == code)


def reviewed(node_or_doc, what):
    node_or_doc["flags"].append({"kind": "ocr", "message": f"人工审核校正：{what}"})


def drop_garble_flags(item):
    item["flags"] = [f for f in item["flags"] if "乱码" not in f["message"]]


def review_000(d):
    d["title"] = "青海省财政厅贯彻落实《省委省政府关于实现巩固拓展脱贫攻坚成果同乡村振兴有效衔接的实施意见》行动方案"
    d["issuer"], d["region_code"], d["level"] = "青海省财政厅", "630000", "department"
    d["attachments"] = [d["title"]]  # the same plan, its 附件 line carrying the same garble
    drop_garble_flags(d)
    reviewed(d, "标题中的OCR乱码“ⴱငǃⴱ᭯ᓌ”为“省委省政府”，发文机关“青I n 省财政厅”为“青海省财政厅”")
    for code in ("三.(二)", "三.(三)", "二.(八)"):
        drop_garble_flags(node(d, code))
    n = node(d, "三.(二)")
    n["title"] = "巩固“两不愁三保障”成果"
    n["text"] = n["text"].replace("й؍䳌ā", "“两不愁").replace(GARBLE, "脱贫攻坚成果")
    reviewed(n, f"标题“巩固产两不愁三保障”成果”为“巩固“两不愁三保障”成果”；正文乱码“й؍䳌ā”为““两不愁”，“{GARBLE}”为“脱贫攻坚成果”")
    n = node(d, "三.(三)")
    n["text"] = n["text"].replace(GARBLE, "脱贫攻坚成果")
    reviewed(n, f"正文乱码“{GARBLE}”为“脱贫攻坚成果”")
    n = node(d, "二.(八)")
    n["text"] = n["text"].replace("ᐙപᤃ", "")
    reviewed(n, "删去正文中夹杂的乱码“ᐙപᤃ”")
    n = node(d, "四.(六)")
    n["title"], n["text"] = "切实加强农牧区基层治理", n["text"].split("。", 1)[1].strip()
    reviewed(n, "标题“切实力。强农牧区基层治理”为“切实加强农牧区基层治理”")
    n = node(d, "二.(四)")
    n["title"] = n["title"].replace("倾料", "倾斜")
    reviewed(n, "标题“倾料”为“倾斜”")
    n = node(d, "一.(二)")
    n["text"] = n["text"].replace("吝项", "各项")


def review_001(d):
    d["issuer"], d["region_code"], d["level"] = "青海省人民政府办公厅", "630000", "province"
    # The 前言 cites the provincial opinion by title only; 000 gives its number.
    if "青发〔2021〕13号" not in d["implements"]:
        d["implements"].append("青发〔2021〕13号")


def review_002(d):
    d["region_code"], d["level"] = "350000", "province"


def review_003(d):
    d["issuer"], d["region_code"], d["level"] = "中共隆德县委、隆德县人民政府", "640423", "county"


def review_004(d):
    d["region_code"], d["level"] = "210400", "city"


REVIEWS = {"000": review_000, "001": review_001, "002": review_002, "003": review_003,
           "004": review_004}


def reviewed_document(source: Path) -> dict:
    """The importer's reading of one source text, then its recorded review (needs Django's
    settings for the importer's messages, nothing else)."""
    from obligations.importers import parse_document

    document = parse_document(source.read_bytes(), source_name=source.name).to_dict()
    REVIEWS[source.name[:3]](document)
    return document


def as_json(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def main():
    for source in sorted(SOURCES.glob("*.txt")):
        document = reviewed_document(source)
        out = DOCS / f"{source.name[:3]}.json"
        out.write_text(as_json(document), encoding="utf-8")
        print(out.relative_to(ROOT), len([n for n in document["nodes"] if n["kind"] == "measure"]))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    main()
