"""项目库 and 资产台账 in Excel: upload → preview → confirm, and the exports (project library,
asset ledger, allocation table).

Who imports: an administrator, or an official or supervisor of the county (or of a region
above it) — funds.services.imports.importable_counties. The uploaded workbook waits for its
confirmation in the cache (an hour, under a random key, only for the person who uploaded it);
the preview and the confirmation both re-read it against the data as it is then, and the
confirmation is refused when what it would write has moved since the preview.
"""

from __future__ import annotations

import secrets
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from funds import exports
from funds.selectors import allocations_visible_to, assets_visible_to, projects_visible_to
from funds.services.imports import KIND_LABEL, apply_plan, importable_counties, plan_for
from obligations.importers.errors import DocumentError
from obligations.models import Region
from obligations.selectors import scope
from obligations.services import audit

MAX_BYTES = 10 * 1024 * 1024
KEEP_SECONDS = 3600
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FundsImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("导入内容"), choices=[
        ("projects", gettext_lazy("项目库")), ("assets", gettext_lazy("资产台账"))])
    county = forms.ModelChoiceField(label=gettext_lazy("县（区）"), queryset=Region.objects.none(),
                                    to_field_name="code", empty_label=None)
    year = forms.IntegerField(label=gettext_lazy("入库年度"), min_value=2000, max_value=2100,
                              help_text=gettext_lazy("表中没有“年度”列或该列为空的项目按此年度"))
    file = forms.FileField(label=gettext_lazy("Excel 文件（.xlsx）"))

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        self.fields["county"].widget.attrs["class"] = "form-select"
        self.fields["kind"].widget.attrs["class"] = "form-select"
        self.fields["year"].widget.attrs["class"] = "form-control"
        self.fields["year"].initial = timezone.localdate().year

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("文件超过 10 MB，请拆分后再导入。"))
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("请上传 Excel 工作簿（.xlsx）；.xls 请先另存为 .xlsx。"))
        return upload


def _key(token: str) -> str:
    return f"funds-import:{token}"


def _require_importer(request):
    if not importable_counties(request.user).exists():
        raise PermissionDenied(_("只有管理员和县级填报人、审核人可以导入项目库和资产台账。"))


def _stored(request, token: str) -> tuple[dict, Region]:
    stored = cache.get(_key(token)) if len(token) <= 64 else None
    if not stored or stored["user"] != request.user.pk:
        raise Http404
    county = importable_counties(request.user).filter(code=stored["county"]).first()
    if county is None:
        raise Http404
    return stored, county


def _plan(request, stored, county):
    return plan_for(stored["kind"], stored["data"], file_name=stored["file_name"],
                    county=county, year=stored["year"], user=request.user)


@login_required
def upload(request):
    _require_importer(request)
    counties = importable_counties(request.user).order_by("path")
    form = FundsImportForm(request.POST or None, request.FILES or None, counties=counties)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content = data["file"].read()
        try:
            plan_for(data["kind"], content, file_name=data["file"].name, county=data["county"],
                     year=data["year"], user=request.user)
        except DocumentError as error:
            form.add_error("file", str(error))
        else:
            token = secrets.token_urlsafe(24)
            cache.set(_key(token), {
                "user": request.user.pk, "kind": data["kind"], "county": data["county"].code,
                "year": data["year"], "file_name": data["file"].name[:200], "data": content,
            }, KEEP_SECONDS)
            return redirect("funds:import_preview", token)
    return render(request, "funds/import_upload.html", {"form": form, "counties": counties})


@login_required
def preview(request, token):
    _require_importer(request)
    stored, county = _stored(request, token)
    plan = _plan(request, stored, county)
    return render(request, "funds/import_preview.html", {
        "token": token, "stored": stored, "county": county, "plan": plan,
        "summary": plan.summary(), "kind_label": KIND_LABEL[plan.kind],
        "digest": plan.digest(), "result": stored.get("result")})


@login_required
@require_POST
def confirm(request, token):
    _require_importer(request)
    stored, county = _stored(request, token)
    if stored.get("result"):
        messages.info(request, _("此文件已导入，未重复写入。"))
        return redirect("funds:import_preview", token)
    plan = _plan(request, stored, county)
    if request.POST.get("digest") != plan.digest():
        messages.error(request, _("预览之后数据已有变化，未导入；请核对下面的最新预览后再确认。"))
        return redirect("funds:import_preview", token)
    try:
        result = apply_plan(plan, actor=request.user, file_name=stored["file_name"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        now = timezone.localtime()
        stored["result"] = {**result, "at": f"{now.year}年{now.month}月{now.day}日 {now:%H:%M}"}
        cache.set(_key(token), stored, KEEP_SECONDS)
        messages.success(request, _("已导入：新增 %(create)s 条，修改 %(change)s 条。") % result)
    return redirect("funds:import_preview", token)


# ---------------------------------------------------------------- exports

def _county(request, queryset_regions) -> Region:
    """The county asked for (?county=code) among the user's, else the user's first county."""
    counties = Region.objects.filter(level=Region.Level.COUNTY, pk__in=queryset_regions)
    code = request.GET.get("county", "")
    county = counties.filter(code=code).first() if code else counties.order_by("path").first()
    if county is None:
        raise Http404
    return county


def _xlsx(request, data: bytes, name: str, subject: str) -> HttpResponse:
    audit.record(actor=request.user, action=audit.Action.EXPORT, subject=subject,
                 summary=_("导出%(name)s") % {"name": name})
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _year(request) -> int | None:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


@login_required
def export_projects(request):
    county = _county(request, scope.work_regions_of(request.user).values("pk"))
    projects = projects_visible_to(request.user).filter(region__path__startswith=county.path)
    year = _year(request)
    if year:
        projects = projects.filter(year=year)
    name = _("%(county)s%(year)s项目库.xlsx") % {"county": county.name,
                                              "year": f"{year}年" if year else ""}
    return _xlsx(request, exports.projects_xlsx(projects, county), name,
                 audit.subject("region", county.code))


@login_required
def export_assets(request):
    county = _county(request, scope.work_regions_of(request.user).values("pk"))
    assets = assets_visible_to(request.user).filter(region__path__startswith=county.path)
    name = _("%(county)s资产台账.xlsx") % {"county": county.name}
    return _xlsx(request, exports.assets_xlsx(assets, county), name,
                 audit.subject("region", county.code))


@login_required
def export_allocations(request):
    allocations = allocations_visible_to(request.user)
    year = _year(request)
    if year:
        allocations = allocations.filter(year=year)
    name = _("资金分配表%(year)s.xlsx") % {"year": f"（{year}年）" if year else ""}
    return _xlsx(request, exports.allocations_xlsx(allocations), name,
                 audit.subject("allocations", year or "all"))


urlpatterns = [
    path("import/", upload, name="import"),
    path("import/<str:token>/", preview, name="import_preview"),
    path("import/<str:token>/confirm/", confirm, name="import_confirm"),
    path("export/projects.xlsx", export_projects, name="export_projects"),
    path("export/assets.xlsx", export_assets, name="export_assets"),
    path("export/allocations.xlsx", export_allocations, name="export_allocations"),
]
