"""Deadlines, milestones, transition rules and targets of the register, in the database.

`derive_schedule` reads them from an imported document's words; `generate_milestones`
writes every task's checkpoints in set-based SQL; `obligations_in_force` answers
"which obligations are in force for region R on date D".
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .deadlines import Period, deadline_words_in_text, milestone_dates, parse_deadline
from .models import (
    DataFlag,
    IndicatorTarget,
    Obligation,
    PolicyDocument,
    Region,
    RegionCategory,
    TransitionPeriod,
    TransitionRule,
)
from .rules import describe_phases, phase_applies, read_rules
from .sql import hash_joins
from .targets import parse_targets


def current_period() -> Period:
    row = TransitionPeriod.objects.filter(is_current=True).values("start", "end").first()
    if row is None:  # the migration creates 2021–2025; an administrator may have removed it
        return Period(datetime.date(2021, 1, 1), datetime.date(2025, 12, 31))
    return Period(row["start"], row["end"])


def _cn_date(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


@transaction.atomic
def derive_schedule(*, document: PolicyDocument) -> None:
    """Parses deadlines, rules and targets of every measure; flags what it cannot read."""
    period = current_period()
    measures = list(document.obligations.filter(kind=Obligation.Kind.MEASURE)
                    .prefetch_related("flags"))
    TransitionRule.objects.filter(obligation__document=document).delete()
    IndicatorTarget.objects.filter(obligation__document=document).delete()
    rules, targets, flags = [], [], []
    for obligation in measures:
        from_column = bool(obligation.deadline_text)
        words = obligation.deadline_text or deadline_words_in_text(obligation.text)
        spec = parse_deadline(words, period=period, from_text=not from_column)
        obligation.deadline = spec
        flags += _deadline_flags(obligation, spec, document)
        rules += [TransitionRule(obligation=obligation, **r)
                  for r in read_rules(obligation.text, title=obligation.title, period=period)]
        for t in parse_targets(f"{obligation.title}。{obligation.text}",
                               plan_end_year=period.end.year):
            targets.append(IndicatorTarget(
                obligation=obligation, name=t["name"][:100], comparator=t["comparator"],
                value=t["value"], unit=t["unit"], due_year=t["by"], per_year=t["per_year"],
                region_scope=t["region_scope"], source_text=t["source"]))
    Obligation.objects.bulk_update(measures, ["deadline"])
    TransitionRule.objects.bulk_create(rules)
    IndicatorTarget.objects.bulk_create(targets)
    DataFlag.objects.bulk_create(flags)
    detect_rule_conflicts()


def _deadline_flags(obligation, spec, document) -> list[DataFlag]:
    existing = {f.kind for f in obligation.flags.all()}
    flags = []
    if spec["kind"] == "unparsed":
        flags.append(DataFlag(
            document=document, obligation=obligation, kind=DataFlag.Kind.DEADLINE,
            message=_("完成时限“%(words)s”无法识别，已按原文保留，请管理员处理") % {"words": spec["words"]}))
    elif spec.get("date") and document.issued_on and DataFlag.Kind.DEADLINE not in existing:
        due = datetime.date.fromisoformat(spec["date"])
        if due < document.issued_on:
            flags.append(DataFlag(
                document=document, obligation=obligation, kind=DataFlag.Kind.DEADLINE,
                message=_("完成时限%(due)s早于文件印发日期%(issued)s")
                % {"due": _cn_date(due), "issued": _cn_date(document.issued_on)}))
    return flags


def _document_order(document: PolicyDocument) -> tuple:
    """Later documents win: by issue date, else by the year of their 文号."""
    if document.issued_on:
        return (document.issued_on, document.id)
    year = document.issued_year or 1900
    return (datetime.date(year, 1, 1), document.id)


def _overlaps(a: Region | None, b: Region | None) -> bool:
    return bool(a and b) and (a.path.startswith(b.path) or b.path.startswith(a.path))


def _where(rule: TransitionRule) -> str:
    document = rule.obligation.document
    number = f"（{document.doc_number}）" if document.doc_number else ""
    return f"《{document.title}》{number}{rule.obligation.code}"


@transaction.atomic
def detect_rule_conflicts() -> int:
    """Two documents ruling differently on one policy for overlapping regions: a flag on each,
    naming both documents and clauses, and which one applies (the later)."""
    DataFlag.objects.filter(kind=DataFlag.Kind.RULE_CONFLICT).delete()
    rules = list(TransitionRule.objects.filter(kind=TransitionRule.Kind.WINDOW)
                 .select_related("obligation__document__region"))
    by_policy = defaultdict(list)
    for rule in rules:
        by_policy[rule.policy].append(rule)
    flags = []
    for policy, group in by_policy.items():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                da, db = a.obligation.document, b.obligation.document
                if da.id == db.id or not _overlaps(da.region, db.region):
                    continue
                if [p["categories"] for p in a.phases] == [p["categories"] for p in b.phases] \
                        and [p["until"] for p in a.phases] == [p["until"] for p in b.phases]:
                    continue
                later = max((a, b), key=lambda r: _document_order(r.obligation.document))
                for this, other in ((a, b), (b, a)):
                    flags.append(DataFlag(
                        document=this.obligation.document, obligation=this.obligation,
                        kind=DataFlag.Kind.RULE_CONFLICT,
                        message=_("关于“%(policy)s”，%(this)s规定“%(this_rule)s”，%(other)s规定"
                                  "“%(other_rule)s”，两者不一致；在两文件共同覆盖的地区按较晚印发的"
                                  "%(later)s执行")
                        % {"policy": policy, "this": _where(this), "other": _where(other),
                           "this_rule": describe_phases(this.phases),
                           "other_rule": describe_phases(other.phases), "later": _where(later)}))
    DataFlag.objects.bulk_create(flags)
    return len(flags) // 2


def generate_milestones(*, obligations=None) -> int:
    """Every task's checkpoints, from its obligation's deadline, in two SQL statements.

    Idempotent: existing milestones stay (with their reports); open milestones the
    deadline no longer implies are removed. Returns the number of rows inserted.
    """
    period = current_period()
    queryset = Obligation.objects.filter(kind=Obligation.Kind.MEASURE)
    if obligations is not None:
        queryset = queryset.filter(pk__in=obligations)
    ids, dates, kinds, scope = [], [], [], []
    for obligation_id, spec, issued_on, checkin in queryset.values_list(
        "id", "deadline", "document__issued_on", "document__checkin_frequency"
    ):
        scope.append(obligation_id)
        for due_on, kind in milestone_dates(spec or {"kind": "default"}, period=period,
                                            issued_on=issued_on, checkin=checkin):
            ids.append(obligation_id)
            dates.append(due_on)
            kinds.append(kind)
    generated = "unnest(%s::bigint[], %s::date[], %s::text[]) AS m(obligation_id, due_on, kind)"
    with transaction.atomic(), connection.cursor() as cursor, hash_joins(cursor):
        # The generated set arrives as arrays whose size the planner cannot see.
        cursor.execute(
            f"""
            WITH m AS MATERIALIZED (SELECT * FROM {generated}),
                 stale AS (
                    SELECT ms.id FROM obligations_milestone ms
                    JOIN obligations_task t ON t.id = ms.task_id
                    LEFT JOIN m ON m.obligation_id = t.obligation_id
                               AND m.due_on = ms.due_on AND m.kind = ms.kind
                    WHERE t.obligation_id = ANY(%s) AND ms.status = 'open'
                      AND m.obligation_id IS NULL)
            DELETE FROM obligations_milestone WHERE id IN (SELECT id FROM stale)
            """,
            [ids, dates, kinds, scope],
        )
        cursor.execute(
            f"""
            INSERT INTO obligations_milestone (task_id, due_on, kind, status, light)
            SELECT t.id, m.due_on, m.kind, 'open', 'green'
            FROM obligations_task t JOIN {generated} ON m.obligation_id = t.obligation_id
            ON CONFLICT (task_id, due_on, kind) DO NOTHING
            """,
            [ids, dates, kinds],
        )
        return cursor.rowcount


def region_categories(region: Region, year: int) -> set[str]:
    """The categories of the region's county (itself, or the county above a township)."""
    codes = [c for c in region.path.split("/") if c]
    return set(RegionCategory.objects.filter(
        region__code__in=codes, region__level=Region.Level.COUNTY, year=year,
    ).values_list("category", flat=True))


@dataclass
class InForce:
    obligation: Obligation
    notes: list[str] = field(default_factory=list)


def obligations_in_force(*, region: Region, on: datetime.date) -> list[InForce]:
    """What region R owes on date D: the measures of every document covering R (its own,
    its city's, its province's) that have been issued, whose deadline has not lapsed,
    and whose transition rules include R's county categories that year. Where two
    documents rule differently on one policy, the later one decides."""
    period = current_period()
    ancestors = [c for c in region.path.split("/") if c]
    day = on.isoformat()
    not_lapsed = Q(deadline__until__gte=day)  # 延续至… may run past the transition
    if period.start <= on <= period.end:
        not_lapsed |= Q(deadline__until__isnull=True)
    queryset = (
        Obligation.objects.filter(kind=Obligation.Kind.MEASURE, document__region__code__in=ancestors)
        .filter(Q(document__issued_on__isnull=True) | Q(document__issued_on__lte=on))
        .filter(not_lapsed)
        .select_related("document")
        .prefetch_related("rules")
        .order_by("document__issued_year", "document_id", "position")
    )
    categories = region_categories(region, on.year)
    effective: dict[str, TransitionRule] = {}
    for rule in TransitionRule.objects.filter(
        kind=TransitionRule.Kind.WINDOW, obligation__document__region__code__in=ancestors
    ).select_related("obligation__document"):
        current = effective.get(rule.policy)
        if current is None or _document_order(rule.obligation.document) > _document_order(
            current.obligation.document
        ):
            effective[rule.policy] = rule
    result = []
    for obligation in queryset:
        notes, applies = [], True
        for rule in obligation.rules.all():
            governing = effective.get(rule.policy, rule)
            if rule.kind == TransitionRule.Kind.MINIMUM:
                notes.append(_("%(policy)s至少维持至%(until)s")
                             % {"policy": rule.policy, "until": rule.phases[-1]["until"]})
                continue
            ok = phase_applies(governing.phases, on=on, categories=categories)
            source = "" if governing.pk == rule.pk else _("（按%(where)s）") % {"where": _where(governing)}
            if rule.scope == TransitionRule.Scope.OBLIGATION:
                applies = applies and ok
            notes.append(_("%(policy)s：%(state)s%(source)s") % {
                "policy": rule.policy, "state": _("适用") if ok else _("不适用"), "source": source})
        if applies:
            result.append(InForce(obligation, notes))
    return result
