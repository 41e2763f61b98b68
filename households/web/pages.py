"""households pages (issue 16): the household list and page, registering a household and its
members, reading a value in full (with a reason), the cases' review queue and case page, and
the public notice.

Thin: parse, call a selector or service, render. Every read starts from households.selectors:
a household out of scope is answered like one that does not exist (404). Personal data is
shown masked; every page that shows it writes one access row (services.members.log_view)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households import checks, dashboards, rounds, selectors
from households.lines import line_for
from households.models import Case, Household, Measure, Member, ScreeningDuty
from households.procedure import moves_for, template_for
from households.services import cases as case_service
from households.services import measures as measure_service
from households.services import members as member_service
from households.services import rounds as round_service
from obligations.models import Region
from obligations.selectors import scope
from obligations.web.refusals import refusal

PER_PAGE = 50


def _require_access(request):
    if not selectors.can_work_with_households(request.user):
        raise PermissionDenied(_("防止返贫监测页面只对村、乡镇、县的填报人和审核人开放。"))


def _household(user, pk) -> Household:
    try:
        return selectors.households_visible_to(user).select_related("region").get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def _case(user, pk) -> Case:
    try:
        return (selectors.cases_visible_to(user).select_related("household__region")
                .get(pk=pk))
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc




def _styled(form):
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput):
            field.widget.attrs["class"] = "form-check-input"
        elif isinstance(field.widget, forms.Select):
            field.widget.attrs["class"] = "form-select form-select-sm"
        else:
            field.widget.attrs["class"] = "form-control form-control-sm"
    return form


class HouseholdFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("户编号或户主姓名"), required=False,
                        max_length=40)
    base_status = forms.ChoiceField(label=gettext_lazy("户类型"), required=False, choices=[
        ("", gettext_lazy("全部"))] + Household.BaseStatus.choices)
    case_status = forms.ChoiceField(label=gettext_lazy("监测状态"), required=False, choices=[
        ("", gettext_lazy("全部")), ("none", gettext_lazy("未纳入"))] + Case.Status.choices)


def _looks_like_id_number(words: str) -> bool:
    return len(words) == 18 and words[:17].isdigit()


@login_required
def household_list(request):
    """A full 身份证号 is searched by POST (so it never stands in a URL, a browser history or
    an access log) and found through its blind index (never by decrypting); the result page
    carries only the index."""
    _require_access(request)
    if request.method == "POST":
        number = request.POST.get("id_number", "").strip().upper()
        if not _looks_like_id_number(number):
            messages.error(request, _("请输入18位身份证号。"))
            return redirect("households:list")
        return redirect(f"{reverse('households:list')}?idx={member_service.index_of(number)}")
    data = request.GET.copy()
    if _looks_like_id_number(data.get("q", "").strip()):
        data.pop("q")  # not echoed back into the page or its links
        messages.warning(request, _("身份证号请在“按身份证号查找”中输入，不要放在网址里。"))
    form = _styled(HouseholdFilter(data or None))
    queryset = selectors.households_visible_to(request.user)
    index = data.get("idx", "")
    if index and not (len(index) == 64 and all(c in "0123456789abcdef" for c in index)):
        index = "0" * 64  # not an index this system wrote: nothing matches
    if index:
        queryset = queryset.filter(members__id_number_index=index[:64]).distinct()
    if form.is_bound and form.is_valid():
        cleaned = form.cleaned_data
        if cleaned["q"]:
            words = cleaned["q"].strip()
            queryset = queryset.filter(Q(code__icontains=words) | Q(head_name__icontains=words))
        if cleaned["base_status"]:
            queryset = queryset.filter(base_status=cleaned["base_status"])
        if cleaned["case_status"] == "none":
            queryset = queryset.filter(cases__isnull=True)
        elif cleaned["case_status"]:
            queryset = queryset.filter(cases__status=cleaned["case_status"]).distinct()
    # the page is counted and cut on the plain rows; its people are counted for its rows only
    queryset = queryset.select_related("region").order_by("region__path", "code")
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    people = dict(Member.objects.filter(household__in=[h.pk for h in page])
                  .values_list("household").annotate(n=Count("pk")))
    for household in page:
        household.people = people.get(household.pk, 0)
    latest = {c.household_id: c for c in Case.objects.filter(
        household__in=[h.pk for h in page]).order_by("household_id", "-opened_on", "-id")
        .distinct("household_id")}
    rows = [(h, latest.get(h.pk)) for h in page]
    member_service.log_view(actor=request.user, what=_("农户列表"), count=len(rows))
    query = data.copy()
    query.pop("page", None)
    return render(request, "households/list.html", {
        "form": form, "page": page, "rows": rows, "query": query.urlencode(),
        "can_register": selectors.registrable_villages(request.user).exists()})


@login_required
def household_detail(request, pk, revealed=None):
    _require_access(request)
    household = _household(request.user, pk)
    members = list(household.members.all())
    cases = list(household.cases.prefetch_related("steps__actor", "measures__unit")
                 .order_by("-opened_on", "-id"))
    income = household.incomes.order_by("-period_end").first()
    line = line_for(household.region, timezone.localdate().year)
    member_service.log_view(actor=request.user, what=_("农户 %(code)s 的家庭成员")
                            % {"code": household.code}, count=len(members),
                            subject=f"household:{household.pk}")
    return render(request, "households/detail.html", {
        "household": household, "members": members, "cases": cases, "income": income,
        "line": line, "below_line": bool(income and line and income.per_capita <= line[0]),
        "can_unmask": selectors.can_unmask(request.user, household),
        "can_register": selectors.can_register(request.user, household.region),
        "open_case": next((c for c in cases if c.status in case_service.ACTIVE), None),
        "flags": checks.flags_for(Household.objects.filter(pk=household.pk)),
        "revealed": revealed, "channels": Case.Channel.choices,
        "categories": Case.Category.choices, "risks": Case.Risk.choices,
        "relations": Member.Relation.choices,
    }, status=400 if revealed and revealed.get("error") else 200)


@login_required
def reveal(request, pk):
    """查看完整: POST a field and a reason; the page shows the value once (not stored)."""
    _require_access(request)
    if request.method != "POST":
        return redirect("households:detail", pk)
    household = _household(request.user, pk)
    try:
        member = household.members.get(pk=int(request.POST.get("member", "")))
    except (Member.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    field = request.POST.get("field", "")
    try:
        value = member_service.reveal(member=member, field=field, actor=request.user,
                                      reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        return household_detail(request, pk, revealed={
            "member": member.pk, "error": refusal(exc)})
    return household_detail(request, pk, revealed={
        "member": member.pk, "field": field, "value": value,
        "label": str(member_service.FIELDS[field][0])})


class HouseholdForm(forms.Form):
    village = forms.ModelChoiceField(label=gettext_lazy("所在村"), queryset=None,
                                     empty_label=None)
    code = forms.CharField(label=gettext_lazy("户编号"), max_length=40)
    base_status = forms.ChoiceField(label=gettext_lazy("户类型"),
                                    choices=Household.BaseStatus.choices)
    relocated = forms.BooleanField(label=gettext_lazy("易地扶贫搬迁户"), required=False)
    group = forms.CharField(label=gettext_lazy("村民小组"), max_length=40, required=False)
    head_name = forms.CharField(label=gettext_lazy("户主姓名"), max_length=40)
    id_number = forms.CharField(label=gettext_lazy("户主身份证号"), max_length=18)
    phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=12, required=False)
    bank = forms.CharField(label=gettext_lazy("银行账号"), max_length=30, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = selectors.registrable_villages(user).order_by("path")
        _styled(self)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if Household.objects.filter(code=code).exists():
            raise ValidationError(_("户编号已存在。"))
        return code


@login_required
def household_new(request):
    _require_access(request)
    if not selectors.registrable_villages(request.user).exists():
        raise PermissionDenied(_("只有村、乡镇填报人和县级审核人可以登记农户。"))
    form = HouseholdForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household = member_service.register_household(actor=request.user, data={
                "region": data["village"], "code": data["code"],
                "base_status": data["base_status"], "relocated": data["relocated"],
                "group": data["group"], "head_name": data["head_name"]}, head={
                "name": data["head_name"], "relation": Member.Relation.HEAD,
                "id_number": data["id_number"], "phone": data["phone"], "bank": data["bank"]})
        except ValidationError as exc:
            form.add_error(None, refusal(exc))
        else:
            messages.success(request, _("已登记农户 %(code)s。") % {"code": household.code})
            return redirect("households:detail", household.pk)
    return render(request, "households/new.html", {"form": form},
                  status=400 if form.errors else 200)


@login_required
def member_new(request, pk):
    _require_access(request)
    household = _household(request.user, pk)
    if request.method != "POST":
        return redirect("households:detail", pk)
    data = {key: request.POST.get(key, "") for key in ("name", "relation", "id_number",
                                                         "phone", "bank")}
    try:
        member_service.add_member(household=household, actor=request.user, data=data)
    except ValidationError as exc:
        messages.error(request, refusal(exc))
    else:
        messages.success(request, _("已登记家庭成员。"))
    return redirect("households:detail", pk)


def _month_end(value: str):
    try:
        first = datetime.datetime.strptime((value or "").strip(), "%Y-%m").date()
    except ValueError:
        return None
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


@login_required
def income_new(request, pk):
    _require_access(request)
    household = _household(request.user, pk)
    if request.method != "POST":
        return redirect("households:detail", pk)
    try:
        member_service.record_income(
            household=household, actor=request.user,
            period_end=_month_end(request.POST.get("period_end", "")),
            net_income=request.POST.get("net_income", ""),
            rigid_spending=request.POST.get("rigid_spending", "0"),
            people=request.POST.get("people", ""))
    except ValidationError as exc:
        messages.error(request, refusal(exc))
    else:
        messages.success(request, _("已登记家庭收支。"))
    return redirect("households:detail", pk)


@login_required
def case_assurances(request, pk):
    _require_access(request)
    case = _case(request.user, pk)
    if request.method != "POST":
        return redirect("households:case", pk)
    try:
        case_service.set_assurances(case=case, actor=request.user,
                                    secured=request.POST.get("secured") == "1")
    except ValidationError as exc:
        messages.error(request, refusal(exc))
    else:
        messages.success(request, _("已更新保障情况。"))
    return redirect("households:case", pk)


@login_required
def case_new(request, pk):
    _require_access(request)
    household = _household(request.user, pk)
    if request.method != "POST":
        return redirect("households:detail", pk)
    try:
        case = case_service.open_case(household=household, actor=request.user,
                                      channel=request.POST.get("channel", ""),
                                      category=request.POST.get("category", ""),
                                      risk=request.POST.get("risk", ""),
                                      comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        messages.error(request, refusal(exc))
        return redirect("households:detail", pk)
    messages.success(request, _("已登记监测线索。"))
    return redirect("households:case", case.pk)


@login_required
def case_list(request):
    """The review queue: cases in scope by status, with their age; the user's own steps first."""
    _require_access(request)
    status = request.GET.get("status", "")
    if status and status not in Case.Status.values:
        status = ""
    mine = request.GET.get("mine", "") == "1"
    queryset = (selectors.cases_visible_to(request.user)
                .select_related("household__region__parent"))  # steps_for reads the township
    counts = dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
    if status:
        queryset = queryset.filter(status=status)
    queryset = queryset.order_by("opened_on", "pk")
    today = timezone.localdate()
    if mine:
        found = [c for c in queryset.filter(status__in=case_service.ACTIVE)[:500]
                 if case_service.steps_for(request.user, c)]
        page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    else:
        page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(c, (today - c.opened_on).days) for c in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "households/cases.html", {
        "page": page, "rows": rows, "status": status, "mine": mine, "query": query.urlencode(),
        "per_status": [(v, label, counts.get(v, 0)) for v, label in Case.Status.choices]})


@login_required
def case_detail(request, pk):
    _require_access(request)
    case = _case(request.user, pk)
    today = timezone.localdate()
    steps = case_service.steps_for(request.user, case)
    notice_ends = (case.notice_from + datetime.timedelta(days=case.notice_days)
                   if case.notice_from else None)
    return render(request, "households/case.html", {
        "case": case, "household": case.household,
        "history": list(case.steps.select_related("actor")),
        "measures": list(case.measures.select_related("unit")),
        "forward": [(s, Case.Status(s).label) for s in steps
                    if s not in case_service.NEEDS_REASON],
        "backward": [(s, Case.Status(s).label) for s in steps if s in case_service.NEEDS_REASON],
        "needs_comparison": Case.Status.COMPARED in steps,
        "unmet": (case_service.unmet_for_elimination(case, today)
                  if Case.Status.ELIMINATED in steps else []),
        "notice_ends": notice_ends, "age": (today - case.opened_on).days,
        "template": template_for(case.household.region),
        "departments": ["民政局", "人社局", "医保局", "教育局", "住建局", "残联"],
        "flags": checks.flags_for(Household.objects.filter(pk=case.household_id)),
        "can_plan": (selectors.can_plan_measures(request.user, case)
                     and case.status in measure_service.PLANNABLE),
        "measure_kinds": Measure.Kind.choices, "measure_statuses": Measure.Status.choices,
        "subsidies": Measure.Subsidy.choices,
        "units": selectors.units_for_measures(request.user, case), "today": today,
        "can_assure": case.status in (Case.Status.MONITORING, Case.Status.PROPOSED_ELIMINATION)
        and (selectors.can_take(request.user, case, Case.Status.PROPOSED_ELIMINATION)
             or selectors.can_take(request.user, case, Case.Status.ELIMINATED)),
    })


@login_required
def case_step(request, pk):
    _require_access(request)
    case = _case(request.user, pk)
    if request.method != "POST":
        return redirect("households:case", pk)
    to = request.POST.get("to", "")
    if to not in moves_for(case) or not selectors.can_take(
            request.user, case, to):
        raise PermissionDenied(_("您无权对该认定执行这一步。"))
    # the departments whose result was filled in (the form lists the usual ones)
    comparison = {request.POST.get(f"dept-{i}", ""): request.POST.get(f"result-{i}", "")
                  for i in range(8) if request.POST.get(f"dept-{i}", "").strip()
                  and request.POST.get(f"result-{i}", "").strip()}
    try:
        version = int(request.POST.get("version") or case.version)
    except ValueError:
        version = -1
    try:
        case_service.transition(case, to, request.user, request.POST.get("comment", ""),
                                expected_version=version, comparison=comparison)
    except ValidationError as exc:
        messages.error(request, refusal(exc))
    else:
        messages.success(request, _("已转为“%(to)s”。") % {"to": Case.Status(to).label})
    return redirect("households:case", pk)


def _date(value: str):
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


@login_required
def measure_new(request, pk):
    _require_access(request)
    case = _case(request.user, pk)
    if request.method != "POST":
        return redirect("households:case", pk)
    unit = None
    if request.POST.get("unit", "").isdigit():
        unit = selectors.units_for_measures(request.user, case).filter(
            pk=int(request.POST["unit"])).first()
    try:
        measure_service.add_measure(case=case, actor=request.user,
                                    kind=request.POST.get("kind", ""),
                                    description=request.POST.get("description", ""),
                                    starts_on=_date(request.POST.get("starts_on", "")),
                                    ends_on=_date(request.POST.get("ends_on", "")), unit=unit,
                                    subsidy=request.POST.get("subsidy", ""))
    except ValidationError as exc:
        messages.error(request, refusal(exc))
    else:
        messages.success(request, _("已制定帮扶措施。"))
    return redirect("households:case", pk)


@login_required
def measure_status(request, pk, measure_pk):
    _require_access(request)
    case = _case(request.user, pk)
    if request.method != "POST":
        return redirect("households:case", pk)
    measure = case.measures.filter(pk=measure_pk).first()
    if measure is None:
        raise Http404
    try:
        measure_service.set_status(measure=measure, actor=request.user,
                                   status=request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, refusal(exc))
    else:
        messages.success(request, _("已更新措施状态。"))
    return redirect("households:case", pk)


@login_required
def flags(request):
    """The checks over the households in the user's scope (households/checks.py)."""
    _require_access(request)
    check = request.GET.get("check", "")
    if check and check not in checks.CHECKS:
        check = ""
    found = checks.flags_for(selectors.households_visible_to(request.user))
    counts = {code: sum(1 for f in found if f.check == code) for code in checks.CHECKS}
    if check:
        found = [f for f in found if f.check == check]
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "households/flags.html", {
        "page": page, "check": check, "query": f"check={check}" if check else "",
        "per_check": [(code, c.title, c.clause, counts[code]) for code, c in checks.CHECKS.items()]})


@login_required
def round_list(request):
    """The screening rounds of the places in the user's reach: done of those due, the missed
    periods (red), this period's round and, for whoever keeps it, the form to record it."""
    _require_access(request)
    today = timezone.localdate()
    found = rounds.rounds_for(selectors.round_paths(request.user), today)
    only_red = request.GET.get("red") == "1"
    if only_red:
        found = [r for r in found if r.missed]
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    places = {r.pk: r for r in Region.objects.filter(pk__in=[r.place_id for r in page])}
    rows = [(r, selectors.can_record_round(request.user, r.kind, places[r.place_id])
             and not r.current_done) for r in page]
    return render(request, "households/rounds.html", {
        "page": page, "rows": rows, "red": only_red, "query": "red=1" if only_red else "",
        "missed_places": sum(1 for r in found if r.missed)})


@login_required
def round_record(request):
    _require_access(request)
    if request.method != "POST":
        return redirect("households:rounds")
    try:
        duty = ScreeningDuty.objects.select_related("region").get(
            pk=int(request.POST.get("duty", "")))
        place = Region.objects.get(pk=int(request.POST.get("place", "")))
    except (ScreeningDuty.DoesNotExist, Region.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    try:
        round_service.record_round(duty=duty, place=place, actor=request.user,
                                   households_checked=request.POST.get("checked", ""),
                                   clues=request.POST.get("clues", "0"),
                                   note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, refusal(exc))
    else:
        messages.success(request, _("已填报%(place)s的%(kind)s。") % {
            "place": place.name, "kind": duty.get_kind_display()})
    return redirect("households:rounds")


@login_required
def dashboard(request, code=""):
    """Counts only (no person): for leaders, supervisors and administrators over their
    dashboard regions (obligations.selectors.scope), drilling down region by region."""
    if not scope.can_see_dashboards(request.user):
        raise PermissionDenied(_("监测看板只对领导、审核人和管理员开放。"))
    if code:
        region = scope.get_dashboard_region_for(request.user, code[:20])
    else:
        region = scope.dashboard_roots(request.user).first()
        if region is None:
            raise Http404
    return render(request, "households/dashboard.html", {
        "f": dashboards.summary(region, today=timezone.localdate()), "region": region})


ROSTER_KEEP_SECONDS = 3600


class RosterForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("花名册（.xlsx）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 30 * 1024 * 1024:
            raise ValidationError(_("文件超过 30 MB，请分村导入。"))
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("请上传 Excel 工作簿（.xlsx）；.xls 请先另存为 .xlsx。"))
        return upload


def _roster_key(token: str) -> str:
    return f"households-roster:{token}"


def _stored_roster(request, token):
    from django.core.cache import cache

    stored = cache.get(_roster_key(token[:64]))
    if not stored or stored["user"] != request.user.pk:
        raise Http404
    return stored


@login_required
def roster_upload(request):
    """花名册导入: the file waits in the cache encrypted (SM4-GCM, like the members' fields),
    never as plaintext; the preview and the confirmation read it from there."""
    import secrets

    from django.core.cache import cache

    from households import crypto
    from households.services.roster import TEMPLATE, plan_roster
    from obligations.importers.errors import DocumentError

    _require_access(request)
    if not selectors.registrable_villages(request.user).exists():
        raise PermissionDenied(_("只有村、乡镇填报人和县级审核人可以导入花名册。"))
    form = _styled(RosterForm(request.POST or None, request.FILES or None))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            plan_roster(data, file_name=upload.name, user=request.user)
        except DocumentError as error:
            form.add_error("file", str(error))
        else:
            token = secrets.token_urlsafe(24)
            cache.set(_roster_key(token), {
                "user": request.user.pk, "file_name": upload.name[:200],
                "data": crypto.encrypt_bytes(data, "roster")}, ROSTER_KEEP_SECONDS)
            return redirect("households:roster_preview", token)
    return render(request, "households/roster_upload.html", {"form": form, "columns": TEMPLATE},
                  status=400 if form.errors else 200)


@login_required
def roster_preview(request, token):
    from households import crypto
    from households.services.roster import plan_roster

    _require_access(request)
    stored = _stored_roster(request, token)
    plan = plan_roster(crypto.decrypt_bytes(stored["data"], "roster"),
                       file_name=stored["file_name"], user=request.user)
    return render(request, "households/roster_preview.html", {
        "plan": plan, "token": token, "stored": stored, "digest": plan.digest(),
        "problems": plan.problems[:500]})


@login_required
def roster_confirm(request, token):
    from django.core.cache import cache

    from households import crypto
    from households.services.roster import apply_roster, plan_roster

    _require_access(request)
    if request.method != "POST":
        return redirect("households:roster_preview", token)
    stored = _stored_roster(request, token)
    if stored.get("done"):
        messages.info(request, _("此花名册已导入，未重复写入。"))
        return redirect("households:list")
    plan = plan_roster(crypto.decrypt_bytes(stored["data"], "roster"),
                       file_name=stored["file_name"], user=request.user)
    if plan.problems or request.POST.get("digest") != plan.digest():
        messages.error(request, _("预览之后数据已有变化或仍有问题，未导入；请核对最新预览。"))
        return redirect("households:roster_preview", token)
    result = apply_roster(plan, actor=request.user)
    cache.set(_roster_key(token), {**stored, "done": True, "data": ""}, ROSTER_KEEP_SECONDS)
    messages.success(request, _("已导入 %(households)s 户、%(members)s 人。") % result)
    return redirect("households:list")


@login_required
def case_notice(request, pk):
    """民主评议和公示: the household head's name, the village and the category — no 身份证号,
    no illness or other reason, no income."""
    _require_access(request)
    case = _case(request.user, pk)
    return render(request, "households/notice.html", {
        "case": case, "household": case.household,
        "ends": (case.notice_from + datetime.timedelta(days=case.notice_days)
                 if case.notice_from else None),
        "today": timezone.localdate(), "place": case.household.region,
        "township": case.household.region.parent})


urlpatterns = [
    path("", household_list, name="list"),
    path("new/", household_new, name="new"),
    path("<int:pk>/", household_detail, name="detail"),
    path("<int:pk>/reveal/", reveal, name="reveal"),
    path("<int:pk>/members/", member_new, name="member_new"),
    path("<int:pk>/cases/", case_new, name="case_new"),
    path("<int:pk>/income/", income_new, name="income_new"),
    path("cases/<int:pk>/assurances/", case_assurances, name="case_assurances"),
    path("cases/", case_list, name="cases"),
    path("cases/<int:pk>/", case_detail, name="case"),
    path("cases/<int:pk>/step/", case_step, name="case_step"),
    path("cases/<int:pk>/notice/", case_notice, name="case_notice"),
    path("cases/<int:pk>/measures/", measure_new, name="measure_new"),
    path("cases/<int:pk>/measures/<int:measure_pk>/", measure_status, name="measure_status"),
    path("flags/", flags, name="flags"),
    path("rounds/", round_list, name="rounds"),
    path("import/", roster_upload, name="roster_upload"),
    path("import/<str:token>/", roster_preview, name="roster_preview"),
    path("import/<str:token>/confirm/", roster_confirm, name="roster_confirm"),
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/<str:code>/", dashboard, name="dashboard_region"),
    path("rounds/record/", round_record, name="round_record"),
]
