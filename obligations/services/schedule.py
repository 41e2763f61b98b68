"""Deadlines, milestones, transition rules and targets of the register, written from an
imported document's words (`derive_schedule`) and in set-based SQL (`generate_milestones`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from obligations.deadlines import (
    Period,
    deadline_words_in_text,
    milestone_dates,
    parse_deadline,
)
from obligations.models import (
    DataFlag,
    IndicatorTarget,
    Obligation,
    PolicyDocument,
    TransitionRule,
)
from obligations.periods import horizon, schedule_period
from obligations.rules import describe_phases, read_rules
from obligations.selectors.in_force import (
    document_order,
    regions_overlap,
    rule_place,
)
from obligations.services.periods import refresh_live
from obligations.sql import hash_joins
from obligations.targets import parse_targets


def _cn_date(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


@transaction.atomic
def derive_schedule(*, document: PolicyDocument) -> None:
    """Parses deadlines, rules and targets of every measure; flags what it cannot read.
    Within the document's own period (过渡期前3年 counts from its start)."""
    period = schedule_period(document.period)
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
                               plan_end_year=_plan_end_year(document)):
            targets.append(IndicatorTarget(
                obligation=obligation, name=t["name"][:100], comparator=t["comparator"],
                value=t["value"], unit=t["unit"], due_year=t["by"], per_year=t["per_year"],
                region_scope=t["region_scope"], source_text=t["source"]))
    Obligation.objects.bulk_update(measures, ["deadline"])
    TransitionRule.objects.bulk_create(rules)
    IndicatorTarget.objects.bulk_create(targets)
    DataFlag.objects.bulk_create(flags)
    detect_rule_conflicts()


def _plan_end_year(document) -> int:
    """The year "到期末" means: the period's last, or for an open-ended one its fifth (a
    five-year plan's)."""
    period = document.period
    return period.end.year if period.end else period.start.year + 4


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
                if da.id == db.id or not regions_overlap(da.region, db.region):
                    continue
                if [p["categories"] for p in a.phases] == [p["categories"] for p in b.phases] \
                        and [p["until"] for p in a.phases] == [p["until"] for p in b.phases]:
                    continue
                later = max((a, b), key=lambda r: document_order(r.obligation.document))
                for this, other in ((a, b), (b, a)):
                    flags.append(DataFlag(
                        document=this.obligation.document, obligation=this.obligation,
                        kind=DataFlag.Kind.RULE_CONFLICT,
                        message=_("关于“%(policy)s”，%(this)s规定“%(this_rule)s”，%(other)s规定"
                                  "“%(other_rule)s”，两者不一致；在两文件共同覆盖的地区按较晚印发的"
                                  "%(later)s执行")
                        % {"policy": policy, "this": rule_place(this), "other": rule_place(other),
                           "this_rule": describe_phases(this.phases),
                           "other_rule": describe_phases(other.phases), "later": rule_place(later)}))
    DataFlag.objects.bulk_create(flags)
    return len(flags) // 2


def generate_milestones(*, obligations=None) -> int:
    """Every task's checkpoints, from its obligation's deadline, in two SQL statements.

    Idempotent: existing milestones stay (with their reports); open milestones the
    deadline no longer implies are removed. Returns the number of rows inserted.

    Each within its document's period: never past the period's end (unless its words run on,
    延续至…), an open-ended period's up to `periods.horizon` (extended each January).
    """
    today = timezone.localdate()
    queryset = Obligation.objects.filter(kind=Obligation.Kind.MEASURE)
    if obligations is not None:
        queryset = queryset.filter(pk__in=obligations)
    ids, dates, kinds, scope = [], [], [], []
    for obligation_id, spec, issued_on, checkin, start, end in queryset.values_list(
        "id", "deadline", "document__issued_on", "document__checkin_frequency",
        "document__period__start", "document__period__end",
    ):
        scope.append(obligation_id)
        period = Period(start, horizon(end, today))
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
        inserted = cursor.rowcount
    refresh_live(today=today, obligation_ids=scope)
    return inserted



def extend_open_periods() -> int:
    """Milestones of the measures of documents in open-ended periods, up to the new horizon
    (idempotent: what exists stays)."""
    measures = Obligation.objects.filter(kind=Obligation.Kind.MEASURE,
                                         document__period__end__isnull=True)
    return generate_milestones(obligations=measures.values("pk"))
