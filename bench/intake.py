"""Document intake (issue 13): parsing each corpus document in each format (target < 2 s), and
publishing a 200-measure document with its tasks and milestones (target < 5 s)."""

from __future__ import annotations

from django.db import transaction

from obligations.importers import parse_document, parse_text
from obligations.importers.formats import read_document
from obligations.models import Milestone, PolicyDocument, Region, Task, Unit
from obligations.services.documents import save_parsed_document
from tests.corpus import CORPUS, documents

UNITS = ["农业农村局", "财政局", "人社局", "民政局", "乡村振兴局", "教育局", "卫生健康局",
         "住房城乡建设局", "水务局", "交通运输局"]


def parse_rows(*, repeat: int, timed) -> list[tuple]:
    rows = []
    for folder in documents():
        for fmt in ("txt", "docx", "pdf"):
            path = folder / f"source.{fmt}"
            if not path.exists():
                continue
            data = path.read_bytes()
            samples = timed(lambda d=data, n=path.name: parse_document(d, source_name=n),
                            repeat=repeat)
            baseline = timed(lambda d=data, n=path.name: read_document(d, source_name=n),
                             repeat=repeat)
            rows.append((f"解析语料 {folder.name[:24]}.{fmt}", f"{len(data) // 1024} KB",
                         samples, baseline, "目标 <2 秒；基线：只读出文字（不解析）"))
    return rows


def _document_text(measures: int) -> str:
    """A county 分工方案 with `measures` numbered measures, 20 under each of its headings."""
    lines = ["基准县人民政府办公室关于印发《基准县重点任务分工方案》的通知", "基准政办发〔2022〕8号",
             "基准县人民政府办公室", "2022年3月1日"]
    for i in range(measures):
        if i % 20 == 0:
            lines.append(f"{'一二三四五六七八九十'[i // 20 % 10]}、第{i // 20 + 1}部分")
        lead, support = UNITS[i % len(UNITS)], UNITS[(i + 3) % len(UNITS)]
        deadline = "长期坚持" if i % 2 else "2022年12月31日"
        lines.append(f"{i % 20 + 1}. 措施{i}。落实第{i}项任务。（牵头单位：县{lead}；"
                     f"配合单位：县{support}；完成时限：{deadline}）")
    return "\n".join(lines)


def publish_rows(*, repeat: int, timed) -> list[tuple]:
    county, _created = Region.objects.get_or_create(code="990009",
                                                    defaults={"name": "基准县", "level": "county"})
    for name in UNITS:
        Unit.objects.get_or_create(name=f"基准县{name}", region=county)
    text = _document_text(200)
    parsed = parse_text(text, source_name="基准分工方案.txt")
    measures = len(parsed.measures)

    class Rollback(Exception):
        pass

    def publish():
        try:
            with transaction.atomic():
                document = save_parsed_document(parsed=parse_text(text, source_name="b.txt"),
                                                source_text=text, region=county)
                publish.tasks = Task.objects.filter(obligation__document=document).count()
                publish.milestones = Milestone.objects.filter(
                    task__obligation__document=document).count()
                raise Rollback
        except Rollback:
            pass

    samples = timed(publish, repeat=repeat)
    baseline = timed(lambda: parse_text(text, source_name="b.txt"), repeat=repeat)
    assert not PolicyDocument.objects.filter(region=county).exists()
    size = f"{measures}项措施/{publish.tasks}任务/{publish.milestones}节点"
    return [("发布一份文件（含任务和节点）", size, samples, baseline,
             "目标 <5 秒；基线：解析同一文件")]


def run(*, repeat: int, timed) -> list[tuple]:
    assert CORPUS.exists()
    return parse_rows(repeat=repeat, timed=timed) + publish_rows(repeat=repeat, timed=timed)
