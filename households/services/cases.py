"""The procedure (001 第三章第一节 and note ①, 003 附件1, 004 二(一)2): 线索 → 入户核实 (village)
→ 部门信息比对 (county) → 民主评议和公示 (village; the notice runs `notice_days`, default 5) →
乡镇审核 → 县级审定 (→ 监测帮扶中) → 拟消除风险 (village) → 已消除风险 (county), with 退回 (to
the village, which verifies again) and 不予纳入 at each review, with a reason. A case is never
deleted: an eliminated household stays for tracking.

Every step is one transaction with its CaseStep row and one audit row; a refusal raises
ValidationError with a Chinese message and writes nothing. Who may take a step is
households.selectors.can_take; which steps exist is the region's template
(households/procedure.py).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from households import selectors
from households.lines import line_for
from households.models import Case, CaseStep, EliminationRule, Household, Measure
from households.procedure import DEFAULT, moves_for, template_for
from obligations.services import audit

Status = Case.Status
MOVES = DEFAULT.moves  # the default template's table (households/procedure.py has them all)
NEEDS_REASON = {Status.RETURNED, Status.REJECTED}
ACTIVE = {Status.CLUE, Status.VERIFIED, Status.COMPARED, Status.PUBLICIZED,
          Status.TOWNSHIP_REVIEWED, Status.MONITORING, Status.PROPOSED_ELIMINATION,
          Status.RETURNED}


def elimination_rules(region=None) -> dict:
    """The conditions of 风险消除 where the household lives: the nearest region's
    EliminationRule (admin "风险消除条件"), else HOUSEHOLD_ELIMINATION; defaults: income above
    the line for at least 6 months of monitoring, 两不愁三保障 and 饮水 secured, at least one
    measure carried out."""
    rules = {"months_stable": 6, "needs_assurances": True, "min_measures_done": 1,
             **getattr(settings, "HOUSEHOLD_ELIMINATION", {})}
    if region is not None:
        prefixes = ["/".join(region.path.split("/")[:i]) + "/"
                    for i in range(1, region.path.count("/") + 1)]
        found = sorted(EliminationRule.objects.filter(region__path__in=prefixes)
                       .select_related("region"), key=lambda r: -len(r.region.path))
        if found:
            rule = found[0]
            rules.update(months_stable=rule.months_stable,
                         needs_assurances=rule.needs_assurances,
                         min_measures_done=rule.min_measures_done)
    return rules


def _months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def unmet_for_elimination(case: Case, today: datetime.date) -> list[str]:
    """What stands between the case and 已消除风险 (empty when nothing does)."""
    rules = elimination_rules(case.household.region)
    unmet = []
    household = case.household
    income = household.incomes.order_by("-period_end").first()
    line = line_for(household.region, today.year)
    if line is None:
        unmet.append(_("本地区%(year)s年未设置监测标准，无法判断收入是否稳定超过监测标准")
                     % {"year": today.year})
    elif income is None:
        unmet.append(_("没有家庭收支记录"))
    elif income.per_capita <= line[0]:
        unmet.append(_("人均纯收入 %(income).0f 元未超过监测标准 %(line)s 元")
                     % {"income": income.per_capita, "line": line[0]})
    months = _months_between(case.confirmed_on, today) if case.confirmed_on else 0
    if months < rules["months_stable"]:
        unmet.append(_("纳入监测仅 %(n)s 个月，收入须稳定超过监测标准至少 %(m)s 个月")
                     % {"n": months, "m": rules["months_stable"]})
    if rules["needs_assurances"] and not case.two_assurances_secured:
        unmet.append(_("“两不愁三保障”及饮水安全尚未确认有保障"))
    done = case.measures.filter(status=Measure.Status.DONE).count()
    if done < rules["min_measures_done"]:
        unmet.append(_("已落实的帮扶措施 %(n)s 项，至少须 %(m)s 项")
                     % {"n": done, "m": rules["min_measures_done"]})
    return unmet


def open_case(*, household: Household, actor, channel: str, category: str, risk: str,
              opened_on: datetime.date | None = None, comment: str = "") -> Case:
    """线索: a household to look at (a person decides; the system only proposes)."""
    if not selectors.can_open_case(actor, household):
        raise ValidationError(_("您无权为该村的农户登记监测线索。"), code="forbidden")
    for value, choices, label in ((channel, Case.Channel, _("线索来源")),
                                  (category, Case.Category, _("监测对象类别")),
                                  (risk, Case.Risk, _("主要风险"))):
        if value not in choices.values:
            raise ValidationError(_("请选择%(label)s。") % {"label": label})
    with transaction.atomic():
        if household.cases.filter(status__in=ACTIVE).exists():
            raise ValidationError(_("该户已有正在办理的监测认定，不能重复登记。"))
        case = Case.objects.create(household=household, channel=channel, category=category,
                                   risk=risk, opened_on=opened_on or timezone.localdate(),
                                   notice_days=getattr(settings, "HOUSEHOLD_NOTICE_DAYS", 5))
        CaseStep.objects.create(case=case, to_status=Status.CLUE, actor=actor,
                                comment=(comment or "").strip()[:500])
        audit.record(actor=actor, action=audit.Action.HOUSEHOLD_CASE,
                     subject=audit.subject("case", case.pk),
                     summary=_("农户 %(code)s：登记监测线索（%(channel)s）") % {
                         "code": household.code, "channel": case.get_channel_display()})
    return case


def transition(case: Case, to: str, actor, comment: str = "", *,
               expected_version: int | None = None, today: datetime.date | None = None,
               comparison: dict | None = None) -> Case:
    """Moves the case to `to` if the step exists, the actor may take it and its conditions
    hold: 部门信息比对 needs each department's result; 乡镇审核 only after the notice period;
    已消除风险 only when `unmet_for_elimination` is empty; 退回 and 不予纳入 need a reason."""
    today = today or timezone.localdate()
    comment = (comment or "").strip()
    if to not in Status.values:
        raise ValidationError(_("未知的认定状态。"))
    with transaction.atomic():
        case = (Case.objects.select_for_update().select_related("household__region")
                .get(pk=case.pk))
        if expected_version is not None and case.version != expected_version:
            raise ValidationError(_("该认定已被他人更新，请刷新页面后重试。"))
        label = Status(to).label
        if to not in moves_for(case):
            raise ValidationError(_("当前为“%(now)s”，不能转为“%(to)s”。")
                                  % {"now": case.get_status_display(), "to": label})
        if not selectors.can_take(actor, case, to):
            raise ValidationError(_("您无权执行“%(to)s”。") % {"to": label}, code="forbidden")
        if to in NEEDS_REASON and not comment:
            raise ValidationError(_("%(to)s须填写理由。") % {"to": label})
        updates = ["status", "returned_from", "version"]
        if to == Status.COMPARED:
            results = {str(k).strip()[:40]: str(v).strip()[:200]
                       for k, v in (comparison or {}).items() if str(k).strip()}
            if not results or not all(results.values()):
                raise ValidationError(_("部门信息比对须逐个部门填写比对结果。"))
            case.comparison = results
            updates.append("comparison")
        if to == template_for(case.household.region).notice_at:
            case.notice_from = today  # the 公示 starts (before 乡镇审核, or at 县级审定: 青海)
            updates.append("notice_from")
        if to == Status.TOWNSHIP_REVIEWED:
            ends = case.notice_from + datetime.timedelta(days=case.notice_days)
            if today < ends:
                raise ValidationError(_("公示期未满（%(days)s天，%(y)s年%(m)s月%(d)s日期满），不能审核。")
                                      % {"days": case.notice_days, "y": ends.year,
                                         "m": ends.month, "d": ends.day})
        if to == Status.MONITORING:
            case.confirmed_on = today
            updates.append("confirmed_on")
        if to == Status.ELIMINATED:
            unmet = unmet_for_elimination(case, today)
            if unmet:
                raise ValidationError(_("不符合风险消除条件：%(unmet)s。") % {"unmet": "；".join(unmet)})
            case.eliminated_on = today
            updates.append("eliminated_on")
        before = {"status": case.status, "version": case.version}
        from_status = case.status
        case.returned_from = from_status if to == Status.RETURNED else case.returned_from
        case.status = to
        case.version = F("version") + 1
        case.save(update_fields=updates)
        case.refresh_from_db(fields=["version"])
        CaseStep.objects.create(case=case, from_status=from_status, to_status=to, actor=actor,
                                comment=comment[:500])
        audit.record(actor=actor, action=audit.Action.HOUSEHOLD_CASE,
                     subject=audit.subject("case", case.pk),
                     summary=_("农户 %(code)s：%(from)s → %(to)s") % {
                         "code": case.household.code, "from": Status(from_status).label,
                         "to": label},
                     before=before, after={"status": to, "version": case.version,
                                           "comment": comment[:200]})
    return case


def steps_for(user, case: Case) -> list[str]:
    return [step for step in moves_for(case) if selectors.can_take(user, case, step)]


def set_assurances(*, case: Case, actor, secured: bool) -> Case:
    """“两不愁三保障”及饮水安全 checked by the village (or the county) during monitoring."""
    if not (selectors.can_take(actor, case, Status.PROPOSED_ELIMINATION)
            or selectors.can_take(actor, case, Status.ELIMINATED)):
        raise ValidationError(_("您无权确认该户的保障情况。"), code="forbidden")
    if case.status not in (Status.MONITORING, Status.PROPOSED_ELIMINATION):
        raise ValidationError(_("纳入监测后才能确认保障情况。"))
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(two_assurances_secured=secured)
        case.two_assurances_secured = secured
        audit.record(actor=actor, action=audit.Action.HOUSEHOLD_CASE,
                     subject=audit.subject("case", case.pk),
                     summary=_("农户 %(code)s：两不愁三保障及饮水安全%(state)s") % {
                         "code": case.household.code,
                         "state": _("有保障") if secured else _("尚未保障")})
    return case
