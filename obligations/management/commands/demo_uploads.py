"""`make run`: one real county task list (the corpus' 嵊泗 PDF) uploaded and parsed, waiting to
be published, so the document intake page has something to show. Local demo only."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand

from obligations.models import DocumentUpload
from obligations.services import intake

DEMO_FILE = (Path(settings.BASE_DIR) / "fixtures" / "corpus"
             / "02_shengsi_xiangcun_zhenxing_qingdan" / "source.pdf")


class Command(BaseCommand):
    help = "仅本地演示：上传并解析一份真实的县级任务清单（PDF），等待管理员核对后发布"

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_ACCOUNTS", False):
            self.stdout.write("当前环境未启用演示数据。")
            return
        if DocumentUpload.objects.exists():
            self.stdout.write("已有上传的文件，未重复创建。")
            return
        admin = get_user_model().objects.filter(username="admin").first()
        upload = intake.upload_document(
            upload_file=SimpleUploadedFile("2021年嵊泗县乡村振兴任务清单.pdf",
                                           DEMO_FILE.read_bytes()),
            region=None, actor=admin)
        upload = intake.parse_upload(upload_id=upload.pk)
        self.stdout.write(self.style.SUCCESS(
            f"已上传并解析演示文件：{upload.file_name}（{upload.get_status_display()}）"))
