"""Celery tasks of the register: a few lines each, calling a service."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils.translation import gettext as _

from obligations.services import intake

PARSE_SECONDS = 120


@shared_task(name="obligations.parse_upload", soft_time_limit=PARSE_SECONDS,
             time_limit=PARSE_SECONDS + 30, acks_late=True)
def parse_upload(upload_id: int) -> dict:
    try:
        upload = intake.parse_upload(upload_id=upload_id)
    except SoftTimeLimitExceeded:
        intake.fail_upload(upload_id=upload_id, message=_(
            "解析超过 %(s)s 秒仍未完成，已停止；请拆分文件或改为上传 .docx 后重试。")
            % {"s": PARSE_SECONDS})
        return {"upload": upload_id, "status": "failed"}
    return {"upload": upload.pk, "status": upload.status}


@shared_task(name="obligations.extend_milestones", soft_time_limit=1800, time_limit=1900,
             acks_late=True)
def extend_milestones() -> dict:
    """Each January: the milestones of open-ended periods' measures, a year further."""
    from obligations.services.schedule import extend_open_periods

    return {"milestones": extend_open_periods()}
