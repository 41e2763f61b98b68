"""衔接资金 in the admin: the reference data an administrator keeps (revenue bases for the 2‰
rule, thresholds where a document gives only a direction); the rest has its pages."""

from django.contrib import admin

from funds import models


@admin.register(models.RevenueBase)
class RevenueBaseAdmin(admin.ModelAdmin):
    list_display = ["region", "year", "general_budget_revenue", "entered_by", "entered_at"]
    list_filter = ["year"]
    autocomplete_fields = ["region"]
    exclude = ["entered_by"]

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(models.RuleThreshold)
class RuleThresholdAdmin(admin.ModelAdmin):
    list_display = ["rule", "region", "year", "value", "note", "set_by", "set_at"]
    autocomplete_fields = ["region"]
    exclude = ["set_by"]

    def save_model(self, request, obj, form, change):
        obj.set_by = request.user
        super().save_model(request, obj, form, change)
