from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from monitoring import assessment, models


@admin.register(models.JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["job", "started_at", "seconds", "status", "counts"]
    list_filter = ["job", "status"]
    readonly_fields = [f.name for f in models.JobRun._meta.fields]


class AssessmentWeightForm(forms.ModelForm):
    class Meta:
        model = models.AssessmentWeight
        fields = ["subject", "part", "weight"]

    def clean(self):
        data = super().clean()
        subject, part = data.get("subject"), data.get("part")
        allowed = [*assessment.PARTS.get(subject, []),
                   *([assessment.FUNDS_PART] if subject in assessment.FUNDS_SUBJECTS else []),
                   *([assessment.ROUNDS_PART] if subject == "county" else [])]
        if subject and part and part not in allowed:
            self.add_error("part", _("考核内容须为：%(parts)s。") % {"parts": "、".join(allowed)})
        return data


@admin.register(models.AssessmentWeight)
class AssessmentWeightAdmin(admin.ModelAdmin):
    form = AssessmentWeightForm
    list_display = ["subject", "part", "weight"]
    list_editable = ["weight"]
    list_filter = ["subject"]


class AssessmentEventInline(admin.TabularInline):
    model = models.AssessmentEvent
    extra = 0
    readonly_fields = ["action", "by", "at", "note"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.AssessmentYear)
class AssessmentYearAdmin(admin.ModelAdmin):
    list_display = ["year", "status", "computed_at", "published_at", "digest"]
    readonly_fields = ["status", "computed_at", "published_at", "weights", "digest"]
    exclude = ["seal_parts"]
    inlines = [AssessmentEventInline]
    actions = ["compute", "publish"]

    @admin.action(description=_("计算所选年度（已发布的不变）"))
    def compute(self, request, queryset):
        for record in queryset:
            assessment.compute_assessment(record.year, actor=request.user)
        messages.success(request, _("已计算。"))

    @admin.action(description=_("发布所选年度（冻结结果）"))
    def publish(self, request, queryset):
        for record in queryset:
            try:
                assessment.publish_assessment(record.year, actor=request.user)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))


@admin.register(models.AssessmentResult)
class AssessmentResultAdmin(admin.ModelAdmin):
    list_display = ["year", "subject", "region", "unit", "total", "rank_in_province",
                    "rank_in_city", "interview"]
    list_filter = ["year", "subject", "interview"]
    list_select_related = ["year", "region", "unit"]

    def has_change_permission(self, request, obj=None):
        return False  # results change only by recomputation, never by hand


@admin.register(models.ProgressSummary)
class ProgressSummaryAdmin(admin.ModelAdmin):
    list_display = ["scope", "scope_id", "year", "tasks", "red", "yellow", "green", "done",
                    "milestones_due", "milestones_on_time", "waiting_review"]
    list_filter = ["scope", "year"]

    def has_change_permission(self, request, obj=None):
        return False
