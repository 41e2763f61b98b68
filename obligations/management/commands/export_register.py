import json

from django.core.management.base import BaseCommand

from obligations.selectors.register import export_register


class Command(BaseCommand):
    help = "导出责任事项总表（DESIGN.md §5 格式）"

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json"], default="json", help="输出格式")
        parser.add_argument("--output", "-o", help="输出文件；不填则写到标准输出")

    def handle(self, *args, format, output, **options):
        text = json.dumps(export_register(), ensure_ascii=False, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(f"已写入 {output}")
        else:
            self.stdout.write(text)
