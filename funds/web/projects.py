"""funds pages: the project library, a project (targets, funding, spending, history, the next
steps), declaring a project, spending, the public notice, and the asset ledger (issue 15).

Thin: parse, call a selector or service, render. Every read starts from funds.selectors
(projects_visible_to, assets_visible_to): a project out of scope is answered like one that
does not exist (404); a step the user may not take is refused (403)."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from funds import selectors
from funds.models import Asset, AssetIncome, FundSource, PerformanceTarget, Project
from funds.services import assets as asset_service
from funds.services import projects as service
from obligations.models import Unit
from obligations.selectors import scope
from obligations.web.refusals import refusal

PER_PAGE = getattr(settings, "TASKS_PER_PAGE", 50)
SORTS = {
    "code": ["code", "pk"], "-code": ["-code", "-pk"],
    "year": ["year", "code", "pk"], "-year": ["-year", "code", "pk"],
    "name": ["name", "pk"], "status": ["status", "code", "pk"],
    "region": ["region__path", "code", "pk"], "-created": ["-created_at", "-pk"],
}


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _project(user, pk) -> Project:
    try:
        return (selectors.projects_visible_to(user)
                .select_related("region", "implementing_unit", "rolled_over_from").get(pk=pk))
    except (Project.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def _asset(user, pk) -> Asset:
    try:
        return selectors.assets_visible_to(user).select_related("region", "project").get(pk=pk)
    except (Asset.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc




class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("编号或名称"), required=False, max_length=100)
    year = forms.IntegerField(label=gettext_lazy("年度"), required=False, min_value=2000,
                              max_value=2100)
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False,
                               choices=[("", gettext_lazy("全部"))] + Project.Status.choices)
    category = forms.ChoiceField(label=gettext_lazy("类别"), required=False,
                                 choices=[("", gettext_lazy("全部"))] + Project.Category.choices)
    region = forms.CharField(label=gettext_lazy("区划代码"), required=False, max_length=20)
    sort = forms.ChoiceField(label=gettext_lazy("排序"), required=False, choices=[
        ("", gettext_lazy("默认")), ("code", gettext_lazy("编号")),
        ("-year", gettext_lazy("年度（新→旧）")), ("year", gettext_lazy("年度（旧→新）")),
        ("name", gettext_lazy("名称")), ("status", gettext_lazy("状态")),
        ("region", gettext_lazy("实施地点")), ("-created", gettext_lazy("最近申报"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select form-select-sm" if isinstance(field, forms.ChoiceField) \
                else "form-control form-control-sm"
            field.widget.attrs["class"] = css


@login_required
def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    queryset = selectors.projects_visible_to(request.user)
    sort = "-year"
    status = ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        queryset = selectors.filter_projects(queryset, q=data["q"], year=data["year"],
                                             category=data["category"], region=data["region"])
        status = data["status"]
        sort = data["sort"] or sort
    counts = dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
    per_status = [(value, label, counts.get(value, 0)) for value, label in Project.Status.choices]
    if status:
        queryset = queryset.filter(status=status)
    queryset = (queryset.select_related("region", "implementing_unit")
                .annotate(funded=Sum("fundings__amount")).order_by(*SORTS[sort]))
    return render(request, "funds/projects.html", {
        "form": form, "page": _page(request, queryset), "query": _query(request),
        "per_status": per_status, "total": sum(counts.values()),
        "can_declare": selectors.can_declare(request.user),
        "can_roll_over": selectors.can_roll_over(request.user),
    })


@login_required
def project_detail(request, pk):
    project = _project(request.user, pk)
    return render(request, "funds/project_detail.html", _detail(request, project))


def _detail(request, project, **extra) -> dict:
    """The project page's context (`extra`: a refused form's values, to show them again)."""
    fundings = list(project.fundings.order_by("source"))
    spendings = list(project.spendings.order_by("month", "source"))
    spent = {}
    for row in spendings:
        spent[row.source] = spent.get(row.source, 0) + row.amount
    funding_rows = [(f, spent.get(f.source, 0), f.amount - spent.get(f.source, 0))
                    for f in fundings]
    steps = service.steps_for(request.user, project)
    return {
        "project": project,
        "targets": list(project.targets.all()),
        "funding_rows": funding_rows,
        "spendings": spendings,
        "transitions": list(project.transitions.select_related("actor").order_by("at", "id")),
        "assets": list(project.assets.order_by("code")),
        "forward_steps": [(s, Project.Status(s).label) for s in steps
                          if s not in (Project.Status.RETURNED, Project.Status.EVALUATED)],
        "can_evaluate": Project.Status.EVALUATED in steps,
        "can_achieve": (selectors.can_record_spending(request.user, project)
                        and project.status in service.ACHIEVABLE),
        "can_return": Project.Status.RETURNED in steps,
        "can_fund": (selectors.can_fund(request.user, project)
                     and project.status in service.FUNDABLE),
        "can_spend": (selectors.can_record_spending(request.user, project)
                      and project.status in service.SPENDABLE),
        "can_register_assets": (selectors.can_manage_assets(request.user, project.region)
                                and project.status in asset_service.REGISTRABLE),
        "sources": FundSource.choices,
        "asset_kinds": Asset.Kind.choices,
        "this_month": timezone.localdate().strftime("%Y-%m"),
        **extra,
    }


class DeclareForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["name", "year", "region", "category", "counts_as_industry", "content",
                  "implementing_unit", "responsible_person", "supervision_phone", "households",
                  "households_poverty_exit", "households_monitored"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.declarable_regions(user).order_by("path")
        self.fields["implementing_unit"].queryset = (
            scope.units_visible_to(user).select_related("region").order_by("region__path",
                                                                            "name")
            if not scope.is_admin(user) else Unit.objects.none())
        self.fields["year"].initial = timezone.localdate().year
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"
            else:
                field.widget.attrs["class"] = "form-control"


class TargetForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类别"), required=False,
                             choices=[("", "—")] + PerformanceTarget.Kind.choices)
    indicator = forms.CharField(label=gettext_lazy("指标"), required=False, max_length=200)
    target_value = forms.CharField(label=gettext_lazy("目标值"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "form-select form-select-sm"
        for name in ("indicator", "target_value"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"

    def clean(self):
        data = super().clean()
        filled = [bool(data.get(k)) for k in ("kind", "indicator", "target_value")]
        if any(filled) and not all(filled):
            raise ValidationError(_("绩效目标须填写类别、指标和目标值。"))
        return data


TargetFormSet = forms.formset_factory(TargetForm, extra=3, max_num=20, validate_max=True)


@login_required
def project_declare(request):
    if not selectors.can_declare(request.user):
        raise PermissionDenied(_("只有填报人可以申报项目。"))
    form = DeclareForm(request.POST or None, user=request.user)
    targets = TargetFormSet(request.POST or None, prefix="targets")
    if request.method == "POST" and form.is_valid() and targets.is_valid():
        rows = [t.cleaned_data for t in targets if t.cleaned_data.get("indicator")]
        try:
            project = service.declare(actor=request.user, data=form.cleaned_data, targets=rows)
        except ValidationError as exc:
            form.add_error(None, refusal(exc) if getattr(exc, "code", None) != "forbidden"
                           else exc.messages[0])
        else:
            messages.success(request, _("已申报项目 %(code)s。") % {"code": project.code})
            return redirect("funds:project", project.pk)
    return render(request, "funds/project_form.html", {"form": form, "targets": targets})


@login_required
@require_POST
def project_transition(request, pk):
    project = _project(request.user, pk)
    to = request.POST.get("to", "")
    if to not in service.next_steps(project) or not selectors.can_take(request.user, project, to):
        raise PermissionDenied(_("您无权对该项目执行这一步。"))
    try:
        version = int(request.POST.get("version") or project.version)
    except ValueError:
        version = -1
    try:
        service.transition(project, to, request.user, request.POST.get("comment", ""),
                           expected_version=version)
    except ValidationError as exc:
        messages.error(request, refusal(exc))
    else:
        messages.success(request, _("项目已转为“%(to)s”。") % {"to": Project.Status(to).label})
    return redirect("funds:project", project.pk)


def _month(value: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return None


@login_required
@require_POST
def project_funding(request, pk):
    project = _project(request.user, pk)
    if not selectors.can_fund(request.user, project):
        raise PermissionDenied(_("只有县级审核人可以安排项目资金。"))
    try:
        service.arrange_funding(project=project, source=request.POST.get("source", ""),
                                amount=request.POST.get("amount", ""), actor=request.user)
    except ValidationError as exc:
        messages.error(request, refusal(exc))
    else:
        messages.success(request, _("已安排资金。"))
    return redirect("funds:project", project.pk)


@login_required
@require_POST
def project_spending(request, pk):
    project = _project(request.user, pk)
    if not selectors.can_record_spending(request.user, project):
        raise PermissionDenied(_("您无权填报该项目的支出。"))
    month = _month(request.POST.get("month", ""))
    try:
        if month is None:
            raise ValidationError(_("请按“2021-06”的格式填写支出月份。"))
        service.record_spending(project=project, source=request.POST.get("source", ""),
                                month=month, amount=request.POST.get("amount", ""),
                                actor=request.user)
    except ValidationError as exc:
        messages.error(request, refusal(exc))
    else:
        messages.success(request, _("已记录支出。"))
    return redirect("funds:project", project.pk)


@login_required
@require_POST
def project_achieved(request, pk):
    project = _project(request.user, pk)
    if not selectors.can_record_spending(request.user, project):
        raise PermissionDenied(_("您无权填报该项目的绩效完成值。"))
    values = {key.removeprefix("achieved-"): value for key, value in request.POST.items()
              if key.startswith("achieved-")}
    try:
        service.record_achieved(project=project, actor=request.user, values=values)
    except ValidationError as exc:
        messages.error(request, refusal(exc))
    else:
        messages.success(request, _("已保存绩效完成值。"))
    return redirect("funds:project", project.pk)


@login_required
@require_POST
def project_evaluate(request, pk):
    project = _project(request.user, pk)
    if not selectors.can_take(request.user, project, Project.Status.EVALUATED):
        raise PermissionDenied(_("只有县级审核人可以进行绩效评价。"))
    try:
        version = int(request.POST.get("version") or project.version)
    except ValueError:
        version = -1
    try:
        service.evaluate(project=project, actor=request.user,
                         score=request.POST.get("score", ""),
                         note=request.POST.get("note", ""), expected_version=version)
    except ValidationError as exc:
        messages.error(request, refusal(exc))
    else:
        messages.success(request, _("已完成绩效评价。"))
    return redirect("funds:project", project.pk)


@login_required
def rollover(request):
    """结转: a supervisor carries the unfunded library projects of a year in the places they
    supervise into the next year's library (a confirmation first; a second run adds none)."""
    if not selectors.can_roll_over(request.user):
        raise PermissionDenied(_("只有审核人可以结转项目。"))
    regions = selectors.supervised_regions(request.user)
    this_year = timezone.localdate().year
    raw = (request.POST if request.method == "POST" else request.GET).get("year", "")
    error = ""
    try:
        year = int(raw) if raw else this_year - 1
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        year, error = this_year - 1, _("年度须为 2000—2100 之间的整数。")
    if request.method == "POST" and not error:
        created = service.roll_over(year, actor=request.user, regions=regions)
        messages.success(request, _("已将 %(n)s 个项目结转到%(next)s年项目库。")
                         % {"n": len(created), "next": year + 1})
        return redirect(f"{reverse('funds:projects')}?year={year + 1}")
    candidates = (service.rollover_candidates(year, regions)
                  .select_related("region").order_by("region__path", "code"))
    return render(request, "funds/rollover.html", {
        "year": year, "next_year": year + 1, "error": error,
        "page": _page(request, candidates), "total": candidates.count(),
        "query": f"year={year}"}, status=400 if error else 200)


@login_required
def project_notice(request, pk):
    """The public notice (公示): only what a notice carries — no reviewers, comments,
    spending rows or beneficiaries' names."""
    project = _project(request.user, pk)
    return render(request, "funds/project_notice.html", {
        "project": project,
        "fundings": list(project.fundings.order_by("source")),
        "total": project.fundings.aggregate(s=Sum("amount"))["s"] or 0,
        "targets": list(project.targets.all()),
        "today": timezone.localdate(),
    })


@login_required
@require_POST
def project_asset(request, pk):
    project = _project(request.user, pk)
    if not selectors.can_manage_assets(request.user, project.region):
        raise PermissionDenied(_("只有县级审核人可以登记资产。"))
    data = {field: request.POST.get(field, "") for field in asset_service.ASSET_FIELDS}
    try:
        asset = asset_service.register(project=project, actor=request.user, data=data)
    except ValidationError as exc:
        # shown again with what was typed, not lost behind a redirect
        return render(request, "funds/project_detail.html", _detail(
            request, project, asset_form=data, asset_error=refusal(exc)), status=400)
    messages.success(request, _("已登记资产 %(code)s。") % {"code": asset.code})
    return redirect("funds:asset", asset.pk)


class AssetFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("编号或名称"), required=False, max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("类别"), required=False,
                             choices=[("", gettext_lazy("全部"))] + Asset.Kind.choices)
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False,
                               choices=[("", gettext_lazy("全部"))] + Asset.Status.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = ("form-select form-select-sm"
                                           if isinstance(field, forms.ChoiceField)
                                           else "form-control form-control-sm")


@login_required
def asset_list(request):
    form = AssetFilterForm(request.GET or None)
    queryset = selectors.assets_visible_to(request.user)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        queryset = selectors.filter_assets(queryset, q=data["q"], kind=data["kind"],
                                           status=data["status"])
    queryset = (queryset.select_related("region", "project")
                .annotate(income=Sum("incomes__amount")).order_by("region__path", "code"))
    return render(request, "funds/assets.html", {
        "form": form, "page": _page(request, queryset), "query": _query(request)})


@login_required
def asset_detail(request, pk):
    asset = _asset(request.user, pk)
    in_use = asset.status == Asset.Status.IN_USE
    return render(request, "funds/asset_detail.html", {
        "asset": asset,
        "incomes": list(asset.incomes.order_by("-year", "use")),
        "uses": AssetIncome.Use.choices,
        "can_income": in_use and selectors.can_record_income(request.user, asset.region),
        "can_dispose": in_use and selectors.can_manage_assets(request.user, asset.region),
        "this_year": timezone.localdate().year,
    })


@login_required
@require_POST
def asset_income(request, pk):
    asset = _asset(request.user, pk)
    if not selectors.can_record_income(request.user, asset.region):
        raise PermissionDenied(_("您无权填报该资产的收益。"))
    try:
        try:
            year = int(request.POST.get("year", ""))
        except ValueError as exc:
            raise ValidationError(_("请填写有效的年度。")) from exc
        asset_service.record_income(asset=asset, actor=request.user, year=year,
                                    use=request.POST.get("use", ""),
                                    amount=request.POST.get("amount", ""))
    except ValidationError as exc:
        messages.error(request, refusal(exc))
    else:
        messages.success(request, _("已记录收益。"))
    return redirect("funds:asset", asset.pk)


@login_required
@require_POST
def asset_dispose(request, pk):
    asset = _asset(request.user, pk)
    if not selectors.can_manage_assets(request.user, asset.region):
        raise PermissionDenied(_("只有县级审核人可以处置资产。"))
    try:
        asset_service.dispose(asset=asset, actor=request.user,
                              approval=request.POST.get("approval", ""))
    except ValidationError as exc:
        messages.error(request, refusal(exc))
    else:
        messages.success(request, _("资产已处置。"))
    return redirect("funds:asset", asset.pk)


urlpatterns = [
    path("projects/", project_list, name="projects"),
    path("projects/new/", project_declare, name="project_declare"),
    path("projects/<int:pk>/", project_detail, name="project"),
    path("projects/<int:pk>/transition/", project_transition, name="project_transition"),
    path("projects/<int:pk>/funding/", project_funding, name="project_funding"),
    path("projects/<int:pk>/spending/", project_spending, name="project_spending"),
    path("projects/<int:pk>/assets/", project_asset, name="project_asset"),
    path("projects/<int:pk>/notice/", project_notice, name="project_notice"),
    path("projects/<int:pk>/achieved/", project_achieved, name="project_achieved"),
    path("projects/<int:pk>/evaluate/", project_evaluate, name="project_evaluate"),
    path("projects/rollover/", rollover, name="rollover"),
    path("assets/", asset_list, name="assets"),
    path("assets/<int:pk>/", asset_detail, name="asset"),
    path("assets/<int:pk>/income/", asset_income, name="asset_income"),
    path("assets/<int:pk>/dispose/", asset_dispose, name="asset_dispose"),
]
