from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from obligations import models
from obligations.services import api_clients, audit, units

admin.site.site_header = _("过渡期政策责任落实系统")
admin.site.site_title = _("责任落实系统管理")
admin.site.index_title = _("系统管理")


class RegionCategoryInline(admin.TabularInline):
    model = models.RegionCategory
    extra = 0


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    inlines = [RegionCategoryInline]
    list_select_related = ["parent"]


@admin.register(models.RegionCategory)
class RegionCategoryAdmin(admin.ModelAdmin):
    list_display = ["region", "year", "category"]
    list_filter = ["category", "year"]
    search_fields = ["region__name"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]


class UnitAliasInline(admin.TabularInline):
    model = models.UnitAlias
    extra = 0


class UnitRenameInline(admin.TabularInline):
    model = models.UnitRename
    extra = 0
    readonly_fields = ["old_name", "new_name", "renamed_on", "note"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # renames go through the rename action, which keeps the alias too


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "kind", "parent", "needs_review", "task_count"]
    list_filter = ["kind", "needs_review", "region__level"]
    search_fields = ["name", "aliases__name", "region__name"]
    autocomplete_fields = ["region", "parent", "members"]
    inlines = [UnitAliasInline, UnitRenameInline]
    list_select_related = ["region", "parent"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_tasks=Count("tasks", distinct=True))

    @admin.display(description=_("任务数"), ordering="_tasks")
    def task_count(self, obj):
        return obj._tasks


@admin.register(models.UnitRename)
class UnitRenameAdmin(admin.ModelAdmin):
    """Renaming here goes through units.rename_unit, so the old name stays an alias."""

    list_display = ["unit", "old_name", "new_name", "renamed_on"]
    search_fields = ["old_name", "new_name", "unit__name"]
    autocomplete_fields = ["unit"]
    fields = ["unit", "new_name", "renamed_on", "note"]
    list_select_related = ["unit__region"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            units.rename_unit(
                unit=obj.unit, new_name=obj.new_name, renamed_on=obj.renamed_on, note=obj.note,
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))


@admin.register(models.CollectiveUnit)
class CollectiveUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "mode", "group", "parent_unit"]
    list_filter = ["mode"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region", "group", "parent_unit"]
    list_select_related = ["region", "group", "parent_unit"]


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "position", "region"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit", "region"]
    list_select_related = ["unit", "region"]


@admin.register(models.PolicyDocument)
class PolicyDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "doc_number", "issuer", "level", "issued_on", "measure_count"]
    list_filter = ["level", "issued_year"]
    search_fields = ["title", "doc_number", "issuer"]
    autocomplete_fields = ["region", "implements"]
    readonly_fields = ["imported_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_measures=Count("obligations", filter=Q(obligations__kind="measure")))
        )

    @admin.display(description=_("措施数"), ordering="_measures")
    def measure_count(self, obj):
        return obj._measures

    # A document whose tasks carry history cannot be deleted (the audit rows PROTECT them; the
    # admin lists what blocks it). One without history may go, and the audit says who did it.
    def delete_model(self, request, obj):
        _record_document_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            _record_document_delete(request, obj)
        super().delete_queryset(request, queryset)


def _record_document_delete(request, document):
    audit.record(actor=request.user, action=audit.Action.DOCUMENT_DELETE,
                 subject=audit.subject("document", document.pk),
                 summary=f"删除政策文件 {document.doc_number or ''} {document.title}"[:300],
                 before={"title": document.title, "doc_number": document.doc_number,
                         "measures": document.obligations.count()})


class ObligationUnitInline(admin.TabularInline):
    model = models.ObligationUnit
    extra = 0
    autocomplete_fields = ["unit", "collective"]


class ObligationPersonInline(admin.TabularInline):
    model = models.ObligationPerson
    extra = 0
    autocomplete_fields = ["person"]


class DataFlagInline(admin.TabularInline):
    model = models.DataFlag
    extra = 0
    fields = ["kind", "message", "resolved"]


@admin.register(models.Obligation)
class ObligationAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "document", "kind", "deadline_text"]
    list_filter = ["kind", "document"]
    search_fields = ["code", "title", "text", "unit_refs__written_name"]
    autocomplete_fields = ["document", "parent"]
    inlines = [ObligationUnitInline, ObligationPersonInline, DataFlagInline]
    list_select_related = ["document"]


@admin.register(models.DataFlag)
class DataFlagAdmin(admin.ModelAdmin):
    list_display = ["message", "kind", "document", "obligation", "resolved"]
    list_filter = ["kind", "resolved", "document"]
    search_fields = ["message", "obligation__title"]
    list_editable = ["resolved"]
    raw_id_fields = ["obligation"]
    list_select_related = ["document", "obligation"]


@admin.register(models.Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["obligation", "unit", "role", "status"]
    list_filter = ["role", "status", "obligation__document"]
    search_fields = ["unit__name", "obligation__title", "obligation__code"]
    autocomplete_fields = ["obligation", "unit"]
    raw_id_fields = ["source"]
    list_select_related = ["obligation", "unit"]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "region"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name"]
    autocomplete_fields = ["unit", "region"]
    list_select_related = ["user", "unit", "region"]

    # Who may see and approve what follows from memberships: each change is audited.
    def save_model(self, request, obj, form, change):
        before = _membership_dict(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        audit.record(actor=request.user, action=audit.Action.MEMBERSHIP_CHANGE,
                     subject=audit.subject("user", obj.user_id),
                     summary=f"{'修改' if change else '新增'}岗位：{obj}"[:300],
                     before=before, after=_membership_dict(obj))

    def delete_model(self, request, obj):
        _record_membership_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            _record_membership_delete(request, obj)
        super().delete_queryset(request, queryset)


def _membership_dict(membership) -> dict:
    return {"unit": membership.unit_id, "role": membership.role, "region": membership.region_id}


def _record_membership_delete(request, membership):
    audit.record(actor=request.user, action=audit.Action.MEMBERSHIP_CHANGE,
                 subject=audit.subject("user", membership.user_id),
                 summary=f"删除岗位：{membership}"[:300], before=_membership_dict(membership))


@admin.register(models.Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "start", "end", "region"]


@admin.register(models.Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["task", "due_on", "kind", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["task__unit__name", "task__obligation__title"]
    date_hierarchy = "due_on"
    raw_id_fields = ["task"]
    list_select_related = ["task__unit", "task__obligation"]


@admin.register(models.TransitionRule)
class TransitionRuleAdmin(admin.ModelAdmin):
    list_display = ["policy", "obligation", "kind", "scope", "phases_text"]
    list_filter = ["kind", "scope"]
    search_fields = ["policy", "clause_text"]
    raw_id_fields = ["obligation"]
    list_select_related = ["obligation__document"]

    @admin.display(description=_("适用范围"))
    def phases_text(self, obj):
        from obligations.rules import describe_phases

        return describe_phases(obj.phases)


class IndicatorValueInline(admin.TabularInline):
    model = models.IndicatorValue
    extra = 0
    autocomplete_fields = ["region"]
    readonly_fields = ["reported_at"]


@admin.register(models.IndicatorTarget)
class IndicatorTargetAdmin(admin.ModelAdmin):
    list_display = ["name", "comparator", "value", "unit", "due_year", "per_year", "obligation"]
    list_filter = ["per_year", "due_year"]
    search_fields = ["name", "obligation__title"]
    raw_id_fields = ["obligation"]
    inlines = [IndicatorValueInline]
    list_select_related = ["obligation"]


@admin.register(models.IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["target", "region", "year", "value", "attained", "reported_by"]
    list_filter = ["year"]
    search_fields = ["target__name", "region__name"]
    autocomplete_fields = ["region"]
    raw_id_fields = ["target", "reported_by"]
    list_select_related = ["target", "region", "reported_by"]

    @admin.display(description=_("是否达标"), boolean=True)
    def attained(self, obj):
        return obj.attained


class ApiClientForm(forms.ModelForm):
    class Meta:
        model = models.ApiClient
        fields = ["name", "region", "can_write", "units", "expires_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].required = False
        self.fields["expires_on"].help_text = _("不填则为 %(days)s 天后") % {
            "days": settings.API_TOKEN_DAYS}

    def clean(self):
        data = super().clean()
        errors = api_clients.api_client_errors(
            name=(data.get("name") or "").strip(), region=data.get("region"),
            can_write=data.get("can_write", False), units=list(data.get("units") or []),
            expires_on=data.get("expires_on"))
        for field, messages_ in errors.items():
            for message in messages_:
                self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(models.ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Creating a client shows its token once, on the page that answers the form (never in a
    message, which would travel in a cookie); revoking is an action, never a delete."""

    form = ApiClientForm
    list_display = ["name", "region", "can_write", "expires_on", "last_used_at", "key_prefix",
                    "created_at", "revoked_at"]
    list_filter = ["can_write"]
    search_fields = ["name"]
    autocomplete_fields = ["region", "units"]
    fields = ["name", "region", "can_write", "units", "expires_on"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return obj is None

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        client, key = api_clients.create_api_client(
            name=data["name"], region=data["region"], can_write=data["can_write"],
            units=data.get("units") or [], expires_on=data.get("expires_on"), actor=request.user)
        obj.pk = client.pk
        request._new_api_key = (client, key)

    def save_related(self, request, form, formsets, change):
        pass  # create_api_client set the units

    def response_add(self, request, obj, post_url_continue=None):
        client, key = request._new_api_key
        return TemplateResponse(request, "admin/obligations/apiclient/key_once.html", {
            **self.admin_site.each_context(request), "client": client, "key": key,
            "opts": self.model._meta, "title": _("接口客户端已创建")})

    @admin.action(description=_("吊销所选客户端的令牌"))
    def revoke(self, request, queryset):
        revoked = sum(api_clients.revoke_api_client(client=client, actor=request.user)
                      for client in queryset)
        messages.success(request, _("已吊销 %(count)s 个客户端的令牌。") % {"count": revoked})


@admin.register(models.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit is written by the services, never by hand."""

    list_display = ["at", "action", "result", "actor", "ip", "subject", "summary", "task"]
    list_filter = ["action", "result", "at"]
    search_fields = ["subject", "summary", "actor__username", "actor__first_name"]
    date_hierarchy = "at"
    list_select_related = ["actor", "task__obligation", "task__unit"]
    fields = ["at", "action", "result", "actor", "ip", "subject", "summary", "task", "report",
              "before", "after", "prev_mac", "mac"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
