"""Browser pages for officials and supervisors. Thin: parse, call a selector or service, render.
Scope is decided in obligations.selectors.scope, never here or in templates."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from obligations.lights import task_light_now, with_milestone_lights
from obligations.models import (
    AuditEntry,
    Disposition,
    Evidence,
    IndicatorValue,
    Notification,
    ObligationPerson,
    ObligationUnit,
    PolicyDocument,
    ProgressReport,
)
from obligations.selectors import scope
from obligations.selectors.register import task_list
from obligations.services import audit, reporting
from obligations.web.forms import SORT_FIELDS, ReportForm, ReturnForm, TaskFilterForm


def _page(request, queryset, per_page=None):
    paginator = Paginator(queryset, per_page or settings.TASKS_PER_PAGE)
    return paginator.get_page(request.GET.get("page"))


@login_required
def home(request):
    if scope.LEADER in scope.roles(request.user):
        return redirect("monitoring:overview")
    return redirect("obligations:tasks")


@login_required
def tasks(request):
    visible = scope.tasks_visible_to(request.user)
    documents = PolicyDocument.objects.filter(
        pk__in=visible.values("obligation__document")).select_related("period").order_by(
        "issued_year", "id")
    form = TaskFilterForm(request.GET or None, documents=documents)
    queryset = task_list(user=request.user, today=timezone.localdate())
    sort = "next_due"
    archive = form.is_bound and form.is_valid() and (
        form.cleaned_data["period"] == "archive"
        # One document of an ended period: its tasks are in that period's archive.
        or (not form.cleaned_data["period"] and form.cleaned_data["document"] is not None
            and form.cleaned_data["document"].period.ended(timezone.localdate())))
    queryset = queryset.filter(live=not archive)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            words = data["q"]
            queryset = queryset.filter(
                Q(obligation__title__icontains=words) | Q(obligation__text__icontains=words)
                | Q(obligation__code__icontains=words) | Q(unit__name__icontains=words))
        for field, column in (("status", "status"), ("light", "current_light"), ("role", "role")):
            if data[field]:
                queryset = queryset.filter(**{column: data[field]})
        if data["document"]:
            queryset = queryset.filter(obligation__document=data["document"])
        if data["due_before"]:
            queryset = queryset.filter(next_due__lt=data["due_before"])
        if data["region"]:  # the region and its subtree: its code is one segment of the path
            code = data["region"]
            queryset = queryset.filter(Q(unit__region__path__startswith=f"{code}/")
                                       | Q(unit__region__path__contains=f"/{code}/"))
        if data["unit"]:
            queryset = queryset.filter(unit_id=data["unit"])
        if data["waiting"]:
            queryset = queryset.filter(waiting=True)
        sort = data["sort"] or sort
    page = _page(request, queryset.order_by(*SORT_FIELDS[sort]))
    query = request.GET.copy()
    query.pop("page", None)
    title = _("我的任务") if scope.OFFICIAL in scope.roles(request.user) else _("辖区任务")
    return render(request, "obligations/tasks.html", {
        "form": form, "page": page, "query": query.urlencode(), "title": title,
        "today": timezone.localdate(),
    })


@login_required
def task_detail(request, pk):
    task = scope.get_task_for(request.user, pk)
    obligation = task.obligation
    viewer_leads = task.role == "lead" and scope.can_report_on(request.user, task)
    siblings = (
        scope.peer_tasks_of(task)
        .select_related("unit").order_by("role", "unit__name")
        .prefetch_related(Prefetch("reports", to_attr="latest_reports",
                                   queryset=ProgressReport.objects.order_by("-submitted_at", "-id")[:1]))
    )
    show_sibling_reports = viewer_leads or scope.can_review(request.user) or \
        scope.LEADER in scope.roles(request.user)
    reports = (task.reports.select_related("submitted_by", "reviewed_by", "milestone")
               .prefetch_related("evidence"))
    targets = list(obligation.targets.all())
    values = list(IndicatorValue.objects.filter(target__in=targets, region=task.unit.region)
                  .select_related("target", "region").order_by("target_id", "year"))
    today = timezone.localdate()
    return render(request, "obligations/task_detail.html", {
        "task": task,
        "obligation": obligation,
        "unit_refs": ObligationUnit.objects.filter(obligation=obligation).order_by("role", "position"),
        "people": ObligationPerson.objects.filter(obligation=obligation).order_by("role", "position"),
        "milestones": with_milestone_lights(task.milestones.order_by("due_on"), today=today),
        "light": task_light_now(task, today=today),
        "siblings": siblings,
        "show_sibling_reports": show_sibling_reports,
        "reports": reports,
        "targets": targets,
        "values": values,
        "audit": AuditEntry.objects.filter(task=task).select_related("actor")[:50],
        "can_report": scope.can_report_on(request.user, task) and task.live,
        "today": today,
        "period": obligation.document.period,
        "disposition": None if task.live else Disposition.objects.filter(task=task).select_related(
            "successor__document", "decided_by").first(),
        "predecessors": _predecessors(request.user, task),
        "can_dispose": not task.live and scope.tasks_disposable_by(request.user).filter(
            pk=task.pk).exists(),
    })


def _predecessors(user, task):
    """The ended period's tasks this task's measure continues, of the same unit (else of the
    units the viewer may see in the task's county), with their reports: read-only history."""
    carried = (Disposition.objects.filter(successor=task.obligation_id)
               .filter(task__in=scope.tasks_visible_to(user))
               .select_related("task__unit", "task__obligation__document", "decided_by"))
    carried = list(carried)
    own = [d for d in carried if d.task.unit_id == task.unit_id]
    chosen = own or carried[:5]
    reports = [] if not chosen else (
        ProgressReport.objects.filter(task__in=[d.task_id for d in chosen],
                                      review=ProgressReport.Review.APPROVED)
        .select_related("milestone").order_by("-submitted_at")[:30])
    return {"dispositions": chosen, "reports": reports}


def _prefill(task) -> dict:
    """基层减负: the form starts from what the unit said last time."""
    last = task.reports.order_by("-submitted_at", "-id").first()
    initial = {"version": task.version, "status": task.status, "percent": 0}
    if last:
        initial.update(status=last.status, percent=last.percent, narrative=last.narrative)
    return initial


@login_required
def report(request, pk):
    task = scope.get_task_for(request.user, pk)
    if not scope.can_report_on(request.user, task):
        raise PermissionDenied(_("只有本单位的填报人可以填报该任务。"))
    targets = list(task.obligation.targets.all())
    max_mb = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
    years = reporting.indicator_years()
    conflict = None
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, task=task, targets=targets, max_mb=max_mb,
                          years=years)
        if form.is_valid():
            data = form.cleaned_data
            try:
                reporting.report_progress(
                    task=task, by=request.user, expected_version=data["version"],
                    status=data["status"], percent=data["percent"], narrative=data["narrative"],
                    uploads=data["uploads"], reuse_evidence=[e.pk for e in data["reuse_evidence"]],
                    milestone=data["milestone"], indicator_values=form.indicator_values(),
                    indicator_year=form.cleaned_data.get("indicator_year"))
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except reporting.Conflict as exc:
                conflict = exc
                # Keep what the user typed; the new version lets them save it knowingly.
                data = request.POST.copy()
                data["version"] = exc.task.version
                form = ReportForm(data, task=exc.task, targets=targets, max_mb=max_mb, years=years)
                form.is_valid()
            else:
                messages.success(request, _("已提交，等待审核。"))
                return redirect("obligations:task", pk=task.pk)
    else:
        form = ReportForm(initial=_prefill(task), task=task, targets=targets, max_mb=max_mb,
                          years=years)
    return render(request, "obligations/report_form.html", {
        "task": task, "form": form, "conflict": conflict,
    }, status=409 if conflict else 200)


@login_required
def review_queue(request):
    if not scope.can_review(request.user):
        raise PermissionDenied(_("只有审核人可以查看审核队列。"))
    queryset = (
        scope.reports_reviewable_by(request.user)
        .filter(review=ProgressReport.Review.SUBMITTED, task__live=True)
        .select_related("task__unit", "task__obligation__document", "submitted_by", "milestone")
        .prefetch_related("evidence")
        .order_by("submitted_at", "id")
    )
    return render(request, "obligations/review_queue.html", {
        "page": _page(request, queryset), "return_form": ReturnForm(),
    })


def _reviewable(request, pk) -> ProgressReport:
    if not scope.can_review(request.user):
        raise PermissionDenied(_("只有审核人可以审核。"))
    try:
        return scope.reports_reviewable_by(request.user).get(pk=pk)
    except (ProgressReport.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@login_required
@require_POST
def approve(request, pk):
    report = _reviewable(request, pk)
    try:
        reporting.approve_report(report=report, by=request.user)
        messages.success(request, _("已通过。"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("obligations:review")


@login_required
@require_POST
def approve_selected(request):
    if not scope.can_review(request.user):
        raise PermissionDenied(_("只有审核人可以审核。"))
    ids = [i for i in request.POST.getlist("reports") if i.isdigit()]
    reports = list(scope.reports_reviewable_by(request.user).filter(
        pk__in=ids, review=ProgressReport.Review.SUBMITTED))
    if not ids:
        messages.error(request, _("请先勾选要通过的报告。"))
    elif len(reports) != len(set(ids)):
        messages.error(request, _("所选报告中有的已审核或不在您的审核范围内，未做任何修改。"))
    else:
        count = reporting.approve_reports(reports=reports, by=request.user)
        messages.success(request, _("已通过 %(n)s 份报告。") % {"n": count})
    return redirect("obligations:review")


@login_required
@require_POST
def return_(request, pk):
    report = _reviewable(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("退回须填写退回意见。"))
        return redirect("obligations:review")
    try:
        reporting.return_report(report=report, by=request.user, comment=form.cleaned_data["comment"])
        messages.success(request, _("已退回，填报人会收到通知。"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("obligations:review")


@login_required
def notifications(request):
    if request.method == "POST":
        ids = [i for i in request.POST.getlist("ids") if i.isdigit()]
        reporting.mark_read(user=request.user, notification_ids=ids or None)
        return redirect("obligations:notifications")
    queryset = Notification.objects.filter(user=request.user)
    return render(request, "obligations/notifications.html", {"page": _page(request, queryset)})


@login_required
def evidence(request, pk):
    """A file, to those who may see a report it backs or who belong to its unit."""
    try:
        item = scope.evidence_visible_to(request.user).get(pk=pk)
    except (Evidence.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    audit.record(actor=request.user, action=audit.Action.EVIDENCE_DOWNLOAD,
                 subject=audit.subject("evidence", item.pk), summary=item.original_name)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)

