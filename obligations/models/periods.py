"""Periods follow each other (DESIGN.md §3.8): the 2021–2025 过渡期, then 常态化帮扶 from 2026.
A document belongs to one; when a period has ended, each of its unfinished tasks gets a
disposition (延续, 优化, 调整, 退出, 已完成) and, when it goes on, a successor measure."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .register import Obligation, Region, Task

NATIONAL = [
    ("巩固拓展脱贫攻坚成果同乡村振兴有效衔接过渡期", "过渡期", "transition",
     datetime.date(2021, 1, 1), datetime.date(2025, 12, 31)),
    ("常态化防止返贫致贫帮扶", "常态化帮扶", "normalized", datetime.date(2026, 1, 1), None),
]


class Period(models.Model):
    """A policy period as data: a province may record its own dates (`region`)."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("过渡期")
        NORMALIZED = "normalized", _("常态化帮扶")

    name = models.CharField(_("名称"), max_length=60, unique=True)
    short_name = models.CharField(_("简称"), max_length=20)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("不填表示尚未确定结束日期"))
    region = models.ForeignKey(
        Region, verbose_name=_("适用区划"), null=True, blank=True, on_delete=models.PROTECT,
        help_text=_("不填为全国通用；某省另定起止日期时填该省"),
    )

    class Meta:
        verbose_name = _("政策时期")
        verbose_name_plural = _("政策时期")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                                   name="period_end_after_start"),
        ]

    def __str__(self):
        end = f"{self.end.year}年" if self.end else ""
        return f"{self.short_name}（{self.start.year}年—{end}）"

    @property
    def years_label(self) -> str:
        return f"{self.start.year}—{self.end.year}" if self.end else f"{self.start.year}—"

    def ended(self, today: datetime.date) -> bool:
        """Ended: its last day is before today (an open-ended period never has)."""
        return self.end is not None and self.end < today

    @classmethod
    def for_date(cls, day: datetime.date, region: Region | None = None) -> "Period":
        """The period `day` falls in, for `region`: a province's own row wins over the national
        one; before the first period, the first; after the last, the last."""
        rows = list(cls.objects.select_related("region"))
        if not any(p.region_id is None for p in rows):  # the national rows were removed
            rows = cls.ensure_national()
        paths = region.path if region else ""

        def applies(p):
            return p.region_id is None or (p.region is not None and paths.startswith(p.region.path))

        mine = [p for p in rows if applies(p)]
        regional = {p.kind for p in mine if p.region_id}
        mine = [p for p in mine if p.region_id or p.kind not in regional]
        for p in mine:
            if p.start <= day and (p.end is None or day <= p.end):
                return p
        return mine[0] if day < mine[0].start else mine[-1]

    @classmethod
    def ensure_national(cls) -> list["Period"]:
        """The national rows the migration writes (DESIGN.md §3.8), made again when an
        administrator (or a test's flush) removed every period."""
        for name, short, kind, start, end in NATIONAL:
            cls.objects.get_or_create(name=name, defaults={
                "short_name": short, "kind": kind, "start": start, "end": end})
        return list(cls.objects.select_related("region"))

    @classmethod
    def for_document(cls, document) -> "Period":
        """By the issue date (or year); without either, by the title's wording (常态化帮扶 or
        过渡期), else today's."""
        return cls.for_issue(issued_on=document.issued_on, issued_year=document.issued_year,
                             title=document.title, region=document.region)

    @classmethod
    def for_issue(cls, *, issued_on=None, issued_year=None, title="", region=None) -> "Period":
        if issued_on or issued_year:
            return cls.for_date(issued_on or datetime.date(issued_year, 7, 1), region)
        rows = list(cls.objects.select_related("region"))
        if not any(p.region_id is None for p in rows):
            rows = cls.ensure_national()
        words = title or ""
        kind = (cls.Kind.NORMALIZED if "常态化" in words
                else cls.Kind.TRANSITION if ("过渡期" in words or "有效衔接" in words) else None)
        found = [p for p in rows if p.kind == kind and (
            p.region_id is None or (region is not None and region.path.startswith(p.region.path)))]
        if found:
            return sorted(found, key=lambda p: p.region_id is None)[0]
        return cls.for_date(timezone.localdate(), region)


class Disposition(models.Model):
    """What became of a task still open when its period ended (过渡期收尾)."""

    class Kind(models.TextChoices):
        CONTINUED = "continued", _("延续")
        OPTIMISED = "optimised", _("优化")
        ADJUSTED = "adjusted", _("调整")
        ENDED = "ended", _("退出")
        DONE = "done", _("已完成")

    # Kinds that go on in the new period (and may link a successor measure).
    GOES_ON = (Kind.CONTINUED, Kind.OPTIMISED, Kind.ADJUSTED)

    task = models.OneToOneField(Task, verbose_name=_("任务"), on_delete=models.CASCADE,
                                related_name="disposition")
    kind = models.CharField(_("处置方式"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("说明"), blank=True, help_text=_("退出须写明理由"))
    successor = models.ForeignKey(
        Obligation, verbose_name=_("新时期对应措施"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="predecessors",
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处置人"), null=True,
                                   blank=True, on_delete=models.PROTECT)
    decided_at = models.DateTimeField(_("处置时间"))
    corrections = models.PositiveSmallIntegerField(_("更正次数"), default=0)

    class Meta:
        verbose_name = _("收尾处置")
        verbose_name_plural = _("收尾处置")
        ordering = ["task"]
        constraints = [
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(kind__in=["continued", "optimised", "adjusted"]),
                name="successor_only_when_going_on"),
            models.CheckConstraint(condition=~Q(kind="ended") | ~Q(reason=""),
                                   name="ended_needs_reason"),
        ]

    def __str__(self):
        return f"{self.task}：{self.get_kind_display()}"
