"""What officials report and supervisors decide: reports, evidence, reviews, notifications,
and the audit trail of every change (DESIGN.md §2 ProgressReport)."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .register import Task, Unit
from .schedule import IndicatorValue, Milestone


class Evidence(models.Model):
    """A file a unit uploaded once; it can back any number of the unit's reports (基层减负)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=255)
    kind = models.CharField(_("类型"), max_length=10)  # pdf jpg png docx xlsx, by content
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["-uploaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "sha256"], name="one_copy_per_unit")
        ]

    def __str__(self):
        return self.original_name


class ProgressReport(models.Model):
    class Review(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已通过")
        RETURNED = "returned", _("已退回")

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="reports"
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("节点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    status = models.CharField(_("进展状态"), max_length=12, choices=Task.Status.choices)
    percent = models.PositiveSmallIntegerField(_("完成百分比"))
    narrative = models.TextField(_("进展情况"), blank=True)
    evidence = models.ManyToManyField(
        Evidence, verbose_name=_("佐证材料"), blank=True, related_name="reports"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    submitted_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    review = models.CharField(
        _("审核状态"), max_length=10, choices=Review.choices, default=Review.SUBMITTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_max_100"),
            models.CheckConstraint(
                condition=~Q(review="returned") | ~Q(review_comment=""),
                name="returned_report_has_comment",
            ),
        ]
        indexes = [
            models.Index(fields=["review", "submitted_at"], name="report_review_queue"),
            # "待审核" on each row of the task list (an EXISTS per task): the planner hashes
            # every waiting report's task; this keeps that an index-only scan (issue 17).
            models.Index(fields=["task"], condition=Q(review="submitted"),
                         name="report_waiting_task"),
        ]

    def __str__(self):
        return f"{self.task}（{self.get_review_display()}）"


class ReportedValue(models.Model):
    """Links an indicator value to the report that carried it."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="indicator_values"
    )
    value = models.ForeignKey(IndicatorValue, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("报告中的指标值")
        verbose_name_plural = _("报告中的指标值")

    def __str__(self):
        return f"{self.report_id} · {self.value_id}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        RETURNED = "returned", _("报告被退回")
        APPROVED = "approved", _("报告已通过")
        REMINDER = "reminder", _("到期提醒")
        ESCALATION = "escalation", _("逾期督办")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title


class AuditEntry(models.Model):
    """Who changed what, when, from what to what. Written by the service that made the change,
    in its transaction, through `obligations.services.audit.record`: one row per state change.

    `subject` names what changed as "<kind>:<key>" ("unit:12", "document:3",
    "assessment:2023", "api_client:4", "list_import:7", "report:9", "job_run:5"), so the
    history of anything can be found with one indexed lookup, also when it is neither a task
    nor a report; `summary` says it in a sentence for people.

    Append-only (等保 8.1.4.3): a database trigger refuses UPDATE and DELETE of any row, so
    the application cannot rewrite its own history; the objects a row points to (actor, task,
    report) are PROTECTed, so deleting an audited object fails instead of taking its history
    with it. Each row carries the client IP and the result, and `mac` = HMAC-SM3 (key outside
    the database, obligations/keys.py) over the row and the previous row's mac: a row edited
    or removed with the trigger dropped breaks the chain, which `manage.py verify_audit`
    reports. Only the retention purge (services.audit.purge, never younger than
    AUDIT_RETENTION_DAYS) deletes, oldest first, and leaves a row saying so.

    Jobs: the nightly sweep changes lights and writes reminders and escalations, so each run
    that did its work leaves one row (actor empty, action "sweep", subject its JobRun, the
    counts in `after`), beside the JobRun that records timing. A run skipped for the lock
    changed nothing and leaves none. Rebuilding summaries and emailing digests derive or
    deliver what is already recorded and leave no row; marking notifications read is not
    a change of the record either.
    """

    class Action(models.TextChoices):
        # The first three values predate the choices and are kept as they were stored.
        REPORT = "report", _("提交进展报告")
        APPROVED = "approved", _("审核通过报告")
        RETURNED = "returned", _("退回报告")
        DOCUMENT_IMPORT = "document_import", _("导入政策文件")
        UPLOAD_CORRECT = "upload_correct", _("修改待发布文件的措施")
        DOCUMENT_REVISE = "document_revise", _("按修订版修改措施")
        LIST_IMPORT = "list_import", _("确认导入责任清单")
        UNIT_RENAME = "unit_rename", _("单位更名")
        API_CLIENT_CREATE = "api_client_create", _("创建接口客户端")
        API_CLIENT_REVOKE = "api_client_revoke", _("吊销接口客户端")
        ASSESSMENT_COMPUTE = "assessment_compute", _("计算年度考核")
        ASSESSMENT_PUBLISH = "assessment_publish", _("发布年度考核")
        ASSESSMENT_REOPEN = "assessment_reopen", _("重新打开年度考核")
        SWEEP = "sweep", _("每日巡检（亮灯、提醒、督办）")
        # Security events (等保 8.1.4.3 安全审计)
        LOGIN = "login", _("登录成功")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOCKOUT = "lockout", _("账号锁定")
        LOGOUT = "logout", _("退出登录")
        MFA_ENROL = "mfa_enrol", _("绑定双因素设备")
        MFA_FAILED = "mfa_failed", _("双因素验证失败")
        MFA_RESET = "mfa_reset", _("重置双因素设备")
        PASSWORD_CHANGE = "password_change", _("修改密码")
        USER_CHANGE = "user_change", _("修改账号或权限")
        MEMBERSHIP_CHANGE = "membership_change", _("修改用户岗位")
        EXPORT = "export", _("导出数据")
        EVIDENCE_DOWNLOAD = "evidence_download", _("下载佐证材料")
        DOCUMENT_DELETE = "document_delete", _("删除政策文件")
        AUDIT_PURGE = "audit_purge", _("清理过期操作记录")
        # 衔接资金 (funds/): each service that changes the funds records writes one of these
        FUNDS_PROJECT = "funds_project", _("项目流转（申报、审核、入库、实施、验收……）")
        FUNDS_CHANGE = "funds_change", _("修改资金、支出或资产数据")
        FUNDS_IMPORT = "funds_import", _("导入项目库或资产台账")
        # 防止返贫动态监测 (households/): personal data read in full, lists of it viewed, changes
        HOUSEHOLD_VIEW = "household_view", _("查看农户个人信息（已脱敏）")
        HOUSEHOLD_UNMASK = "household_unmask", _("查看完整个人信息")
        HOUSEHOLD_CHANGE = "household_change", _("登记或修改农户信息")
        HOUSEHOLD_CASE = "household_case", _("监测对象认定流转")
        # Periods (issue 23): close-out dispositions and the five-year summary
        DISPOSITION = "disposition", _("过渡期收尾处置")
        PERIOD_SUMMARY = "period_summary", _("计算过渡期考核评估")

    class Result(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.PROTECT
    )
    action = models.CharField(_("操作"), max_length=30, choices=Action.choices)
    result = models.CharField(_("结果"), max_length=10, choices=Result.choices,
                              default=Result.SUCCESS)
    ip = models.GenericIPAddressField(_("客户端地址"), null=True, blank=True)
    subject = models.CharField(_("对象"), max_length=60, blank=True)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    task = models.ForeignKey(
        Task,
        verbose_name=_("任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit",
    )
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("报告"), null=True, blank=True, on_delete=models.PROTECT
    )
    before = models.JSONField(_("修改前"), default=dict, blank=True)
    after = models.JSONField(_("修改后"), default=dict, blank=True)
    # set by services.audit.record before the mac is computed (not auto_now_add, which would
    # overwrite it on save)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    prev_mac = models.CharField(_("上一条校验码"), max_length=64, blank=True, editable=False)
    mac = models.CharField(_("校验码（HMAC-SM3）"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["subject", "-at"], name="audit_subject_history"),
            models.Index(fields=["action", "-at"], name="audit_action_history"),
        ]
        triggers = [
            pgtrigger.Protect(name="audit_append_only",
                              operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.subject} {self.at:%Y-%m-%d %H:%M}"
