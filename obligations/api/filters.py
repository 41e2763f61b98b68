"""Filters of the obligation and task lists. Invalid values answer 400 with field errors."""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from obligations.models import Obligation, Period, Region, Task
from obligations.models.schedule import LIGHTS
from obligations.selectors.in_force import obligations_in_force


def _unit_q(prefix: str, value: str) -> Q:
    """A unit by id, name, abbreviation or former name (扶贫办 finds 乡村振兴局)."""
    if value.isdigit():
        return Q(**{f"{prefix}_id": int(value)})
    return (Q(**{f"{prefix}__name": value}) | Q(**{f"{prefix}__aliases__name": value})
            | Q(**{f"{prefix}__renames__old_name": value}))


class StableOrderingFilter(django_filters.OrderingFilter):
    """Orders by the chosen fields, then by id: pages never overlap or skip rows, even for
    ties (two tasks of one unit) or an empty choice (`?ordering=,`), which the plain filter
    turns into no ordering at all."""

    def filter(self, qs, value):
        ordering = [self.get_ordering_value(p) for p in value or [] if p]
        if not ordering:
            return qs
        return qs.order_by(*ordering, "id")


def _period_q(prefix: str, value: str) -> Q:
    """A period by id or kind (transition 过渡期, normalized 常态化帮扶)."""
    if value.isdigit():
        return Q(**{f"{prefix}period_id": int(value)})
    if value in Period.Kind.values:
        return Q(**{f"{prefix}period__kind": value})
    raise ValidationError({"period": [_("时期应为编号，或 transition（过渡期）、normalized（常态化帮扶）。")]})


class InForceMixin(django_filters.FilterSet):
    in_force_for = django_filters.CharFilter(
        method="filter_in_force", label=_("在该区划（代码）有效，与 on 同用"))
    on = django_filters.DateFilter(method="noop", label=_("日期（与 in_force_for 同用），如 2024-06-01"))

    def noop(self, queryset, name, value):
        return queryset

    def filter_in_force(self, queryset, name, value):
        region = Region.objects.filter(code=value).first()
        if region is None:
            raise ValidationError({"in_force_for": [_("区划代码不存在。")]})
        on = self.form.cleaned_data.get("on")
        if on is None:
            raise ValidationError({"on": [_("使用 in_force_for 时须同时给出日期 on。")]})
        ids = [row.obligation.pk for row in obligations_in_force(region=region, on=on)]
        return queryset.filter(**{self.in_force_field: ids})


class ObligationFilter(InForceMixin):
    in_force_field = "pk__in"
    document = django_filters.NumberFilter(field_name="document_id", label=_("文件编号"))
    # unit and role are applied together in filter_queryset: they describe one task.
    unit = django_filters.CharFilter(method="noop", label=_("单位（编号、名称、简称或曾用名）"))
    role = django_filters.ChoiceFilter(choices=[("lead", _("牵头")), ("support", _("配合"))],
                                       method="noop", label=_("与 unit 同用：该单位的角色"))
    region = django_filters.CharFilter(method="filter_region", label=_("区划代码（含下级）的任务所在事项"))
    period = django_filters.CharFilter(method="filter_period",
                                       label=_("时期：编号，或 transition（过渡期）、normalized（常态化帮扶）"))

    def filter_period(self, queryset, name, value):
        return queryset.filter(_period_q("document__", value))

    q = django_filters.CharFilter(method="filter_text", label=_("搜索标题、原文或单位"))
    ordering = StableOrderingFilter(fields=(("position", "position"), ("code", "code"),
                                            ("document", "document")), label=_("排序"))

    class Meta:
        model = Obligation
        fields = []

    def filter_queryset(self, queryset):
        """`unit=X&role=lead` means X leads: both conditions hold for the same task. Two
        `.filter()` calls over the multi-valued `tasks` would each pick any task, so an
        obligation X only supports matched as soon as someone else led it. EXISTS also keeps
        each obligation once without DISTINCT."""
        queryset = super().filter_queryset(queryset)
        unit, role = self.form.cleaned_data.get("unit"), self.form.cleaned_data.get("role")
        task = (_unit_q("unit", unit) if unit else Q()) & (Q(role=role) if role else Q())
        if not task:
            return queryset
        return queryset.filter(Exists(Task.objects.filter(task, obligation=OuterRef("pk"))))

    def filter_region(self, queryset, name, value):
        region = Region.objects.filter(code=value).first()
        if region is None:
            raise ValidationError({"region": [_("区划代码不存在。")]})
        return queryset.filter(tasks__unit__region__path__startswith=region.path).distinct()

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(text__icontains=value)
                               | Q(unit_refs__written_name__icontains=value)).distinct()


class TaskFilter(InForceMixin):
    in_force_field = "obligation_id__in"
    document = django_filters.NumberFilter(field_name="obligation__document_id", label=_("文件编号"))
    unit = django_filters.CharFilter(method="filter_unit", label=_("单位（编号、名称、简称或曾用名）"))
    region = django_filters.CharFilter(method="filter_region", label=_("区划代码（含下级）"))
    role = django_filters.ChoiceFilter(choices=[("lead", _("牵头")), ("support", _("配合"))],
                                       label=_("角色"))
    status = django_filters.ChoiceFilter(choices=Task.Status.choices, label=_("状态"))
    light = django_filters.ChoiceFilter(field_name="current_light", choices=LIGHTS,
                                        label=_("亮灯（与任务列表相同，按当日计算）"))
    due_before = django_filters.DateFilter(field_name="milestones__due_on", lookup_expr="lt",
                                           distinct=True, label=_("有节点早于该日期"))
    due_after = django_filters.DateFilter(field_name="milestones__due_on", lookup_expr="gte",
                                          distinct=True, label=_("有节点不早于该日期"))
    q = django_filters.CharFilter(method="filter_text", label=_("搜索事项标题或单位"))
    period = django_filters.CharFilter(method="filter_period",
                                       label=_("时期：编号，或 transition（过渡期）、normalized（常态化帮扶）"))

    def filter_period(self, queryset, name, value):
        return queryset.filter(_period_q("obligation__document__", value))

    live = django_filters.BooleanFilter(field_name="live", label=_("是否当期任务（所属时期未结束）"))
    disposition = django_filters.ChoiceFilter(
        field_name="disposition__kind", label=_("收尾处置方式"),
        choices=[("continued", _("延续")), ("optimised", _("优化")), ("adjusted", _("调整")),
                 ("ended", _("退出")), ("done", _("已完成"))])
    ordering = StableOrderingFilter(fields=(("id", "id"), ("updated_at", "updated"),
                                            ("unit__name", "unit")), label=_("排序"))

    class Meta:
        model = Task
        fields = []

    def filter_unit(self, queryset, name, value):
        return queryset.filter(_unit_q("unit", value)).distinct()

    def filter_region(self, queryset, name, value):
        region = Region.objects.filter(code=value).first()
        if region is None:
            raise ValidationError({"region": [_("区划代码不存在。")]})
        return queryset.filter(unit__region__path__startswith=region.path)

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(obligation__title__icontains=value) | Q(unit__name__icontains=value))

