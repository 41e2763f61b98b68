"""The monitoring lines are an administrator's setting (with the document and clause). The
households themselves are kept in the pages, where personal data is masked and every full
read is logged — not in the admin, which would show ciphertext fields to anyone with access."""

from django.contrib import admin

from households.models import EliminationRule, MonitoringLine, ScreeningDuty


@admin.register(MonitoringLine)
class MonitoringLineAdmin(admin.ModelAdmin):
    list_display = ["region", "base_year", "base_amount", "yearly_rise", "compound", "document",
                    "clause", "set_by"]
    readonly_fields = ["set_by", "set_at"]

    def save_model(self, request, obj, form, change):
        obj.set_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ScreeningDuty)
class ScreeningDutyAdmin(admin.ModelAdmin):
    list_display = ["region", "kind", "starts_on", "clause", "obligation"]
    list_filter = ["kind"]
    raw_id_fields = ["obligation"]


@admin.register(EliminationRule)
class EliminationRuleAdmin(admin.ModelAdmin):
    list_display = ["region", "months_stable", "needs_assurances", "min_measures_done", "clause",
                    "set_by", "set_at"]
    readonly_fields = ["set_by", "set_at"]

    def save_model(self, request, obj, form, change):
        obj.set_by = request.user
        super().save_model(request, obj, form, change)
