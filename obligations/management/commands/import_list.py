from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from obligations.importers import DocumentError
from obligations.models import PolicyDocument, Region
from obligations.services.list_import import apply_import, plan_import


class Command(BaseCommand):
    help = "导入 Excel 责任清单（.xlsx）：默认只显示预览，加 --confirm 才写入"

    def add_arguments(self, parser):
        parser.add_argument("path", help="Excel 文件路径（.xlsx）")
        parser.add_argument("--document", help="目标文件的文号（不填则按工作表名匹配）")
        parser.add_argument("--new-title", help="清单自成一份新文件时，新文件的标题")
        parser.add_argument("--new-number", default="", help="新文件的文号")
        parser.add_argument("--region", help="新文件适用区划代码")
        parser.add_argument("--confirm", action="store_true", help="没有问题时写入")

    def handle(self, *args, path, document, new_title, new_number, region, confirm, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"找不到文件：{path}")
        target = new_document = None
        if document:
            target = PolicyDocument.objects.filter(doc_number=document).first()
            if target is None:
                raise CommandError(f"文号为 {document} 的文件不存在")
        if new_title:
            found = Region.objects.filter(code=region).first() if region else None
            if found is None:
                raise CommandError("新文件须用 --region 指定存在的区划代码")
            new_document = {"title": new_title, "doc_number": new_number, "region": found}
        try:
            plan = plan_import(source.read_bytes(), file_name=source.name,
                               documents=PolicyDocument.objects.all(), document=target,
                               new_document=new_document)
        except DocumentError as exc:
            raise CommandError(str(exc)) from exc
        for row in plan.rows:
            if row.action != "unchanged":
                changes = "；".join(f"{c.label}：{c.before} → {c.after}" for c in row.changes)
                self.stdout.write(f"{row.sheet} 第{row.row}行 {row.action_label} {row.title} {changes}")
        for problem in plan.problems:
            self.stdout.write(f"{'问题' if problem.blocking else '提示'}：{problem.where} {problem.message}")
        summary = plan.summary()
        self.stdout.write(f"新增 {summary['create']}，修改 {summary['change']}，"
                          f"不变 {summary['unchanged']}，须修改的问题 {summary['problems']}")
        if plan.new_units:
            self.stdout.write("将新建单位（待核实）：" + "、".join(plan.new_units))
        if not plan.valid:
            raise CommandError("清单中有问题，未写入任何内容")
        if confirm and plan.has_changes:
            try:
                result = apply_import(plan, actor=None, file_name=source.name)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stdout.write(self.style.SUCCESS(
                f"已导入：新增 {result['create']} 项，修改 {result['change']} 项"))
        elif plan.has_changes:
            self.stdout.write("这是预览；加 --confirm 写入")
