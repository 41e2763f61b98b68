"""The project library's workflow (000 六(三); 003 五(一)): declaring, the reviews up to the
county, the library, the annual plan, implementation, acceptance, asset hand-over and the
performance evaluation; funding by source, monthly spending and the yearly rollover of
unfunded library projects.

Every change is one transaction with its ProjectTransition row (for moves) and one audit row;
a refusal raises ValidationError with a Chinese message and writes nothing. Who may take a
step is decided in funds.selectors.can_take; which moves exist is MOVES below.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from funds import selectors
from funds.models import (
    FundSource,
    PerformanceTarget,
    Project,
    ProjectFunding,
    ProjectTransition,
    Spending,
)
from obligations.services import audit

Status = Project.Status

# The allowed moves: status → the statuses it may go to. 退回 (from each review step) goes
# back to the declarer, who declares again (RETURNED → DECLARED).
MOVES: dict[str, tuple[str, ...]] = {
    Status.DECLARED: (Status.TOWNSHIP_REVIEWED, Status.RETURNED),
    Status.TOWNSHIP_REVIEWED: (Status.COUNTY_APPROVED, Status.RETURNED),
    Status.COUNTY_APPROVED: (Status.IN_LIBRARY, Status.RETURNED),
    Status.IN_LIBRARY: (Status.PLANNED,),
    Status.PLANNED: (Status.IMPLEMENTING,),
    Status.IMPLEMENTING: (Status.ACCEPTED,),
    Status.ACCEPTED: (Status.HANDED_OVER,),
    Status.HANDED_OVER: (Status.EVALUATED,),
    Status.RETURNED: (Status.DECLARED,),
    Status.EVALUATED: (),
}
# In the library or later: funding may be arranged (000 六(三): funds only from the library).
FUNDABLE = {Status.IN_LIBRARY, Status.PLANNED, Status.IMPLEMENTING, Status.ACCEPTED,
            Status.HANDED_OVER, Status.EVALUATED}
SPENDABLE = {Status.PLANNED, Status.IMPLEMENTING, Status.ACCEPTED, Status.HANDED_OVER,
             Status.EVALUATED}


def next_steps(project: Project) -> tuple[str, ...]:
    return MOVES.get(project.status, ())


def steps_for(user, project: Project) -> list[str]:
    """The moves the user may take on the project now (the buttons of its page)."""
    return [step for step in next_steps(project) if selectors.can_take(user, project, step)]


def parse_amount(value, label) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValidationError(_("%(label)s不是有效的金额。") % {"label": label}) from exc
    if not amount.is_finite():
        raise ValidationError(_("%(label)s不是有效的金额。") % {"label": label})
    if amount <= 0:
        raise ValidationError(_("%(label)s须大于零（填写的是 %(amount)s 元）。")
                              % {"label": label, "amount": amount})
    return amount


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("region").get(pk=project.pk)


def _snapshot(project: Project) -> dict:
    return {"status": project.status, "version": project.version}


def transition(project: Project, to: str, actor, comment: str = "",
               expected_version: int | None = None) -> Project:
    """Moves the project to `to` if the move exists, the actor may take it and its conditions
    hold (退回 needs a reason; 纳入年度计划 needs a 绩效目标 and funding)."""
    comment = (comment or "").strip()
    if to not in Status.values:
        raise ValidationError(_("未知的项目状态。"))
    with transaction.atomic():
        project = _locked(project)
        if expected_version is not None and project.version != expected_version:
            raise ValidationError(_("项目已被他人更新，请刷新页面后重试。"))
        label = Status(to).label
        if to not in MOVES.get(project.status, ()):
            raise ValidationError(_("项目当前为“%(now)s”，不能转为“%(to)s”。")
                                  % {"now": project.get_status_display(), "to": label})
        if not selectors.can_take(actor, project, to):
            raise ValidationError(_("您无权对该项目执行“%(to)s”。") % {"to": label}, code="forbidden")
        if to == Status.RETURNED and not comment:
            raise ValidationError(_("退回须填写退回理由。"))
        if to == Status.EVALUATED and project.evaluation_score is None:
            raise ValidationError(_("绩效评价须填写评价得分，请在“绩效评价”中提交。"))
        if to == Status.PLANNED:
            if not project.targets.exists():
                raise ValidationError(_("纳入年度计划的项目须有绩效目标，请先填写绩效目标。"))
            if not project.fundings.exists():
                raise ValidationError(_("纳入年度计划的项目须安排资金，请先安排资金。"))
        before = _snapshot(project)
        from_status = project.status
        project.returned_from = from_status if to == Status.RETURNED else project.returned_from
        project.status = to
        project.version = F("version") + 1
        project.save(update_fields=["status", "returned_from", "version"])
        project.refresh_from_db(fields=["version"])
        ProjectTransition.objects.create(project=project, from_status=from_status,
                                         to_status=to, actor=actor, comment=comment[:500])
        audit.record(actor=actor, action=audit.Action.FUNDS_PROJECT,
                     subject=audit.subject("project", project.pk),
                     summary=_("项目 %(code)s：%(from)s → %(to)s") % {
                         "code": project.code, "from": Status(from_status).label, "to": label},
                     before=before, after={**_snapshot(project), "comment": comment})
    return project


def _next_code(year: int, region) -> str:
    prefix = f"{year}-{region.code}-"
    taken = set(Project.objects.filter(year=year, code__startswith=prefix)
                .values_list("code", flat=True))
    n = len(taken) + 1
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"


PROJECT_FIELDS = ("name", "year", "region", "category", "counts_as_industry", "content",
                  "implementing_unit", "responsible_person", "supervision_phone", "households",
                  "households_poverty_exit", "households_monitored")


def declare(*, actor, data: dict, targets: list[dict]) -> Project:
    """申报: a new project of the place with its 绩效目标 rows ({kind, indicator,
    target_value}); the first transition row ("" → 申报)."""
    project = Project(**{field: data[field] for field in PROJECT_FIELDS if field in data})
    if not project.name or not project.name.strip():
        raise ValidationError(_("请填写项目名称。"))
    if project.households_poverty_exit + project.households_monitored > project.households:
        raise ValidationError(_("其中脱贫户、监测户之和不能超过受益户数。"))
    if not selectors.can_take(actor, project, Status.DECLARED):
        raise ValidationError(_("只有项目所在地的填报人可以申报项目。"), code="forbidden")
    for row in targets:
        if row.get("kind") not in PerformanceTarget.Kind.values or not row.get("indicator") \
                or not row.get("target_value"):
            raise ValidationError(_("绩效目标须填写类别、指标和目标值。"))
    with transaction.atomic():
        project.code = data.get("code") or _next_code(project.year, project.region)
        if Project.objects.filter(year=project.year, code=project.code).exists():
            raise ValidationError(_("%(year)s年已有编号为 %(code)s 的项目。")
                                  % {"year": project.year, "code": project.code})
        project.status = Status.DECLARED
        project.save()
        PerformanceTarget.objects.bulk_create([
            PerformanceTarget(project=project, kind=row["kind"], indicator=row["indicator"],
                              target_value=row["target_value"]) for row in targets])
        ProjectTransition.objects.create(project=project, from_status="",
                                         to_status=Status.DECLARED, actor=actor)
        audit.record(actor=actor, action=audit.Action.FUNDS_PROJECT,
                     subject=audit.subject("project", project.pk),
                     summary=_("申报项目 %(code)s %(name)s") % {"code": project.code,
                                                          "name": project.name},
                     after={"status": project.status, "region": project.region.code,
                            "targets": len(targets)})
    return project


def arrange_funding(*, project: Project, source: str, amount, actor,
                    on: datetime.date | None = None) -> ProjectFunding:
    """资金安排: only for projects in the library or later, and only with 绩效目标. A second
    arrangement from the same source adds to the first."""
    if source not in FundSource.values:
        raise ValidationError(_("未知的资金来源。"))
    amount = parse_amount(amount, _("安排金额"))
    with transaction.atomic():
        project = _locked(project)
        if not selectors.can_fund(actor, project):
            raise ValidationError(_("只有县级审核人可以安排项目资金。"), code="forbidden")
        if project.status not in FUNDABLE:
            raise ValidationError(_("项目入库后才能安排资金（当前为“%(status)s”）。")
                                  % {"status": project.get_status_display()})
        if not project.targets.exists():
            raise ValidationError(_("项目没有绩效目标，不能安排资金。"))
        funding = ProjectFunding.objects.filter(project=project, source=source).first()
        before = {"amount": str(funding.amount)} if funding else None
        if funding:
            funding.amount += amount
            funding.save(update_fields=["amount"])
        else:
            funding = ProjectFunding.objects.create(project=project, source=source,
                                                    amount=amount, allocated_on=on or
                                                    timezone.localdate())
        audit.record(actor=actor, action=audit.Action.FUNDS_PROJECT,
                     subject=audit.subject("project", project.pk),
                     summary=_("项目 %(code)s 安排%(source)s %(amount)s 元") % {
                         "code": project.code, "source": FundSource(source).label,
                         "amount": amount},
                     before=before, after={"source": source, "amount": str(funding.amount)})
    return funding


def record_spending(*, project: Project, source: str, month: datetime.date, amount,
                    actor) -> Spending:
    """支出 of a month from one source (added to what the month already has). Refused when
    the project's spending from the source would exceed its funding from that source."""
    if source not in FundSource.values:
        raise ValidationError(_("未知的资金来源。"))
    if not isinstance(month, datetime.date):
        raise ValidationError(_("请填写支出月份。"))
    month = month.replace(day=1)
    amount = parse_amount(amount, _("支出金额"))
    with transaction.atomic():
        project = _locked(project)
        if not selectors.can_record_spending(actor, project):
            raise ValidationError(_("您无权填报该项目的支出。"), code="forbidden")
        if project.status not in SPENDABLE:
            raise ValidationError(_("项目纳入年度计划后才能填报支出（当前为“%(status)s”）。")
                                  % {"status": project.get_status_display()})
        funded = (ProjectFunding.objects.filter(project=project, source=source)
                  .values_list("amount", flat=True).first()) or Decimal("0")
        spent = Spending.objects.filter(project=project, source=source).aggregate(
            s=Sum("amount"))["s"] or Decimal("0")
        if spent + amount > funded:
            raise ValidationError(_(
                "支出超过资金安排：%(source)s安排 %(funded)s 元，已支出 %(spent)s 元，"
                "本次 %(amount)s 元，合计 %(total)s 元。") % {
                    "source": FundSource(source).label, "funded": funded, "spent": spent,
                    "amount": amount, "total": spent + amount})
        row, created = Spending.objects.get_or_create(
            project=project, source=source, month=month, defaults={"amount": amount})
        if not created:
            row.amount += amount
            row.save(update_fields=["amount"])
        audit.record(actor=actor, action=audit.Action.FUNDS_PROJECT,
                     subject=audit.subject("project", project.pk),
                     summary=_("项目 %(code)s %(month)s 支出%(source)s %(amount)s 元") % {
                         "code": project.code, "month": f"{month:%Y年%-m月}",
                         "source": FundSource(source).label, "amount": amount},
                     after={"source": source, "month": month.isoformat(),
                            "amount": str(row.amount)})
    return row


# While a project is carried out and accepted, its 绩效目标 get their 完成值.
ACHIEVABLE = {Status.IMPLEMENTING, Status.ACCEPTED, Status.HANDED_OVER}


def record_achieved(*, project: Project, actor, values: dict) -> Project:
    """完成值 of the project's 绩效目标: {target id: text}; a blank value clears one. Each
    value ≤ 100 characters; a target of another project is refused."""
    if not selectors.can_record_spending(actor, project):
        raise ValidationError(_("您无权填报该项目的绩效完成值。"), code="forbidden")
    with transaction.atomic():
        project = _locked(project)
        if project.status not in ACHIEVABLE:
            raise ValidationError(_("项目当前为“%(now)s”，实施、验收或资产移交阶段才能填报完成值。")
                                  % {"now": project.get_status_display()})
        targets = {t.pk: t for t in project.targets.all()}
        changed = []
        for key, value in values.items():
            try:
                target = targets[int(key)]
            except (KeyError, TypeError, ValueError) as exc:
                raise ValidationError(_("绩效目标不属于该项目。")) from exc
            value = (value or "").strip()
            if len(value) > 100:
                raise ValidationError(_("“%(name)s”的完成值不能超过100个字。")
                                      % {"name": target.indicator})
            if value != target.achieved_value:
                changed.append((target, target.achieved_value, value))
                target.achieved_value = value
        PerformanceTarget.objects.bulk_update([t for t, _old, _new in changed],
                                              ["achieved_value"])
        if changed:
            audit.record(actor=actor, action=audit.Action.FUNDS_CHANGE,
                         subject=audit.subject("project", project.pk),
                         summary=_("项目 %(code)s：填报绩效完成值 %(n)s 项")
                         % {"code": project.code, "n": len(changed)},
                         before={str(t.pk): old for t, old, _new in changed},
                         after={str(t.pk): new for t, _old, new in changed})
    return project


def evaluate(*, project: Project, actor, score, note: str = "",
             expected_version: int | None = None) -> Project:
    """绩效评价: the county's score (0–100) and opinion, then the move to EVALUATED. Every
    绩效目标 must have its 完成值 first."""
    try:
        score = Decimal(str(score).strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValidationError(_("评价得分须为 0—100 之间的数。")) from exc
    if not score.is_finite() or not 0 <= score <= 100:
        raise ValidationError(_("评价得分须为 0—100 之间的数。"))
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError(_("评价意见不能超过500个字。"))
    with transaction.atomic():
        project = _locked(project)
        if not selectors.can_take(actor, project, Status.EVALUATED):
            raise ValidationError(_("只有县级审核人可以进行绩效评价。"), code="forbidden")
        if Status.EVALUATED not in MOVES.get(project.status, ()):
            raise ValidationError(_("项目当前为“%(now)s”，资产移交后才能进行绩效评价。")
                                  % {"now": project.get_status_display()})
        missing = [t.indicator for t in project.targets.all() if not t.achieved_value]
        if missing:
            raise ValidationError(_("以下绩效目标尚无完成值：%(names)s。")
                                  % {"names": "、".join(missing)})
        project.evaluation_score = score
        project.evaluation_note = note
        project.save(update_fields=["evaluation_score", "evaluation_note"])
        return transition(project, Status.EVALUATED, actor,
                          _("评价得分 %(score)s（%(grade)s）%(note)s") % {
                              "score": score, "grade": project.evaluation_grade,
                              "note": f"：{note}" if note else ""},
                          expected_version=expected_version)


def _rolled_code(code: str, year: int) -> str:
    nxt = str(year + 1)
    return nxt + code[4:] if code.startswith(str(year)) else f"{code}-{nxt}"


def rollover_candidates(year: int, regions=None):
    """The library projects of `year` without funding and not yet carried over (in the
    `regions` queryset's places, when given)."""
    candidates = (Project.objects.filter(year=year, status=Status.IN_LIBRARY,
                                         fundings__isnull=True)
                  .exclude(rolled_over_to__year=year + 1))
    if regions is not None:
        candidates = candidates.filter(region__in=regions)
    return candidates.order_by("pk")


def roll_over(year: int, actor=None, regions=None) -> list[Project]:
    """结转: the library projects of `year` that got no funding are copied into the next
    year's library (new code, `rolled_over_from`, their 绩效目标). Idempotent: a project
    already carried over is not copied again. `regions`: only projects in these places (a
    county's supervisor rolls over the county's)."""
    created = []
    with transaction.atomic():
        candidates = rollover_candidates(year, regions).select_for_update(of=("self",))
        for old in candidates:
            targets = list(old.targets.all())
            new = Project.objects.get(pk=old.pk)
            new.pk = None
            new.year = year + 1
            new.code = _rolled_code(old.code, year)
            while Project.objects.filter(year=new.year, code=new.code).exists():
                new.code += "R"
            new.rolled_over_from = old
            new.status = Status.IN_LIBRARY
            new.returned_from = ""
            new.version = 1
            new.save()
            new.obligations.set(old.obligations.all())
            PerformanceTarget.objects.bulk_create([
                PerformanceTarget(project=new, kind=t.kind, indicator=t.indicator,
                                  target_value=t.target_value) for t in targets])
            comment = _("由%(year)s年项目 %(code)s 结转") % {"year": year, "code": old.code}
            ProjectTransition.objects.create(project=new, from_status="",
                                             to_status=Status.IN_LIBRARY, actor=actor,
                                             comment=comment)
            audit.record(actor=actor, action=audit.Action.FUNDS_PROJECT,
                         subject=audit.subject("project", new.pk),
                         summary=_("项目 %(new)s：%(comment)s") % {"new": new.code,
                                                                  "comment": comment},
                         after={"year": new.year, "rolled_over_from": old.pk})
            created.append(new)
    return created
