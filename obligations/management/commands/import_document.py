import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from obligations.importers import DocumentError, parse_text, summary
from obligations.importers.formats import read_document
from obligations.models import Region, Task
from obligations.services.documents import save_parsed_document


class Command(BaseCommand):
    help = "导入一份政策文件（.txt、.docx 或文字版 .pdf），解析出措施、责任单位、责任人与完成时限"

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="文件路径：.txt（UTF-8、UTF-16 或 GB18030）、.docx 或文字版 .pdf"
        )
        parser.add_argument("--dry-run", action="store_true", help="只解析并显示结果，不写入数据库")
        parser.add_argument("--region", help="适用区划代码；不填则按发文机关推断")
        parser.add_argument(
            "--emit-json", metavar="OUT", help="把解析结果写成 JSON（用于审核后的种子数据）"
        )

    def handle(self, *args, path, dry_run, region, emit_json, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            limit = settings.DOCUMENT_MAX_BYTES
            with source.open("rb") as stream:  # one byte past the limit is enough to refuse
                text = read_document(
                    stream.read(limit + 1), source_name=source.name, max_bytes=limit
                )
            parsed = parse_text(text, source_name=source.name)
        except DocumentError as exc:
            raise CommandError(str(exc)) from exc
        if region:
            if not Region.objects.filter(code=region).exists():
                raise CommandError(f"区划代码 {region} 不存在")
            parsed.region_code = region
        if emit_json:
            Path(emit_json).write_text(
                json.dumps(parsed.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8"
            )
        self.stdout.write(summary(parsed))
        if dry_run:
            self.stdout.write(self.style.WARNING("试运行：未写入数据库。"))
            return
        try:
            with transaction.atomic():
                document = save_parsed_document(parsed=parsed, source_text=text, actor=None)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        measures = document.obligations.filter(kind="measure").count()
        tasks = Task.objects.filter(obligation__document=document).count()
        self.stdout.write(
            self.style.SUCCESS(f"已导入：{document}（措施 {measures} 项，任务 {tasks} 个）")
        )
