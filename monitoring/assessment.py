"""The annual assessment (考核), DESIGN.md §3.5; 001 第十二章第六节, 004 三(四).

Counts come from one SQL statement per year (set-based); the few hundred subjects
are then scored in Python. Formulas, each 0–100, over the year Y:

- 责任落实 / 行业责任: tasks with a report submitted in Y ÷ tasks in force in Y
  (a task is in force in Y when it has a milestone due in Y).
- 政策落实 / 政策措施: milestones due in Y reported on time ÷ milestones due in Y. For counties
  and cities it may also read the funds (issue 15): with a weight w > 0 for the part
  "资金支出进度" (admin "考核权重", 0 by default, so years computed before stay as they are),
  政策落实 = (on-time share × 1 + 支出进度 × w) ÷ (1 + w), where 支出进度 is that of the
  year's projects in the county (the city: in all its counties), funds/indicators.py. A
  subject with no money arranged keeps the on-time share alone.
- 工作落实 / 工作成效: milestones due in Y closed by an approved report ÷ milestones due in Y.
- 巩固成效 (counties only): indicator targets assessed in Y attained in Y ÷ such targets; with a
  weight w > 0 for "按期摸排审核" (0 by default) it also reads the households' screening rounds
  (issue 16, households/rounds.py): 巩固成效 = (attained share × 1 + rounds done ÷ rounds due in
  Y × 100 × w) ÷ (1 + w), a county with no rounds due keeping the attained share alone,
  per region of the units carrying them, as obligations.attainment defines it. No target: the part is empty
  and the weights of the other parts are used.

Total = Σ weight × score ÷ Σ weight over the non-empty parts. Counties are ranked within
their city and their province, cities and member units within their province (ties share a
rank); the last `ASSESSMENT_INTERVIEW_COUNT` places of each ranking in the province are
flagged for 约谈 (all who tie for them), in rankings of more subjects than that.

The weights are read when a year is computed and stored with it (AssessmentYear.weights);
publishing seals the year's weights and results with HMAC-SM3 (monitoring/seal.py) and
verifying recomputes with the stored weights, so changing the weights for a later year never
changes, or seems to tamper with, a published one.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from funds.indicators import progress, spending_by_place
from households.rounds import year_counts
from monitoring import seal
from monitoring.models import AssessmentEvent, AssessmentResult, AssessmentWeight, AssessmentYear
from monitoring.ontime import ON_TIME_CTES
from obligations.attainment import ATTAINED_CTE, assessed_in_sql
from obligations.models import Region
from obligations.services import audit

PARTS = {
    "county": ["责任落实", "政策落实", "工作落实", "巩固成效"],
    "city": ["责任落实", "政策落实", "工作落实"],
    "unit": ["行业责任", "工作成效", "政策措施"],
}

# A component of 政策落实 (not a part of the total): its weight is read like the parts' and
# stored with the year, 0 unless an administrator sets one.
FUNDS_PART = "资金支出进度"
FUNDS_SUBJECTS = ("county", "city")
# A component of 巩固成效 for counties: the households' screening rounds done on time.
ROUNDS_PART = "按期摸排审核"

_TASK_FACTS = f"""
WITH {ON_TIME_CTES}, due AS (
    -- On time, as in the progress summaries (monitoring.ontime).
    SELECT m.task_id, count(*) AS due, count(ot.id) AS on_time,
           count(*) FILTER (WHERE m.status = 'closed') AS closed
    FROM obligations_milestone m LEFT JOIN on_time ot ON ot.id = m.id
    WHERE m.due_on BETWEEN %(start)s AND %(end)s
    GROUP BY m.task_id
), reported AS (
    SELECT DISTINCT r.task_id FROM obligations_progressreport r
    WHERE (r.submitted_at AT TIME ZONE %(tz)s)::date BETWEEN %(start)s AND %(end)s
)
SELECT u.id, u.region_id, r.path, r.level,
       EXISTS (SELECT 1 FROM obligations_unit_members g WHERE g.to_unit_id = u.id) AS member,
       count(*) AS in_force, count(rp.task_id) AS reported,
       sum(d.due) AS due, sum(d.on_time) AS on_time, sum(d.closed) AS closed
FROM due d
JOIN obligations_task t ON t.id = d.task_id
JOIN obligations_unit u ON u.id = t.unit_id
JOIN obligations_region r ON r.id = u.region_id
LEFT JOIN reported rp ON rp.task_id = t.id
GROUP BY u.id, u.region_id, r.path, r.level
"""

# Targets and those attained, per region of the units carrying them (obligations.attainment).
_TARGET_FACTS = f"""
WITH {ATTAINED_CTE}
SELECT r.path, count(DISTINCT tg.id) AS targets,
       count(DISTINCT tg.id) FILTER (WHERE a.target_id IS NOT NULL) AS attained
FROM obligations_indicatortarget tg
JOIN obligations_task t ON t.obligation_id = tg.obligation_id
JOIN obligations_unit u ON u.id = t.unit_id
JOIN obligations_region r ON r.id = u.region_id
LEFT JOIN attained a ON a.target_id = tg.id AND a.year = %(year)s AND a.region_id = r.id
WHERE {assessed_in_sql("tg", year="%(year)s")}
GROUP BY r.path
"""


def _share(numerator, denominator):
    if not denominator:
        return None
    return float((Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP))


def _weights() -> dict[str, dict[str, Decimal]]:
    """The weights set today (admin "考核权重"); a part without one weighs 1."""
    weights: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for w in AssessmentWeight.objects.all():
        weights[w.subject][w.part] = w.weight
    return _every_part(weights)


def _every_part(weights: dict) -> dict[str, dict[str, Decimal]]:
    weights = defaultdict(dict, weights)
    for subject, parts in PARTS.items():
        for part in parts:
            weights[subject].setdefault(part, Decimal(1))
    for subject in FUNDS_SUBJECTS:
        weights[subject].setdefault(FUNDS_PART, Decimal(0))
    weights["county"].setdefault(ROUNDS_PART, Decimal(0))
    return weights


def weights_as_json(weights: dict[str, dict[str, Decimal]]) -> dict[str, dict[str, str]]:
    """As stored on AssessmentYear.weights: decimals as strings, exactly as read."""
    return {subject: {part: str(w) for part, w in parts.items()}
            for subject, parts in weights.items()}


def weights_from_json(stored: dict) -> dict[str, dict[str, Decimal]]:
    return {subject: {part: Decimal(w) for part, w in parts.items()}
            for subject, parts in stored.items()}


def year_weights(record: AssessmentYear) -> dict[str, dict[str, Decimal]]:
    """The weights a year was computed with (today's when it has none stored yet)."""
    try:
        return _every_part(weights_from_json(record.weights)) if record.weights else _weights()
    except (AttributeError, TypeError, ArithmeticError, ValueError):
        return _weights()


def _total(parts: dict, weights: dict) -> Decimal:
    used = [(Decimal(str(score)), weights[part]) for part, score in parts.items()
            if score is not None]
    weight = sum(w for _, w in used)
    if not weight:
        return Decimal("0.00")
    return (sum(s * w for s, w in used) / weight).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _ancestor(path: str, regions: dict[str, Region], level: str) -> Region | None:
    codes = [c for c in path.split("/") if c]
    for code in codes:
        region = regions.get(code)
        if region and region.level == level:
            return region
    return None


def compute_results(year: int, weights: dict[str, dict[str, Decimal]] | None = None) -> list[dict]:
    """The year's results as plain dicts (nothing written): for saving and for verifying.
    `weights`: those of a published year (verifying); today's (`_weights()`) when None."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    params = {"start": start, "end": end, "until": end, "year": year, "tz": "Asia/Shanghai"}
    with connection.cursor() as cursor:
        cursor.execute(_TASK_FACTS, params)
        unit_rows = cursor.fetchall()
        cursor.execute(_TARGET_FACTS, params)
        target_rows = cursor.fetchall()
    regions = {r.code: r for r in Region.objects.all()}
    sums: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))
    for unit_id, _region_id, path, level, member, in_force, reported, due, on_time, closed in unit_rows:
        facts = {"in_force": int(in_force), "reported": int(reported), "due": int(due or 0),
                 "on_time": int(on_time or 0), "closed": int(closed or 0)}
        county = _ancestor(path, regions, "county")
        if county:
            for key, value in facts.items():
                sums[("county", county.code)][key] += value
        elif level == "city":
            for key, value in facts.items():
                sums[("city", path.split("/")[-2])][key] += value
        if member:
            for key, value in facts.items():
                sums[("unit", unit_id)][key] += value
    for path, targets, attained in target_rows:
        county = _ancestor(path, regions, "county")
        if county:
            sums[("county", county.code)]["targets"] += int(targets)
            sums[("county", county.code)]["attained"] += int(attained)
    weights = weights if weights is not None else _weights()
    _add_funds(sums, regions, year, weights)
    _add_rounds(sums, regions, year, weights)
    results = []
    for (subject, key), facts in sums.items():
        responsibility = _share(facts["reported"], facts["in_force"])
        policy = _with_funds(_share(facts["on_time"], facts["due"]), facts,
                             weights[subject].get(FUNDS_PART, Decimal(0)))
        work = _share(facts["closed"], facts["due"])
        if subject == "unit":
            parts = {"行业责任": responsibility, "工作成效": work, "政策措施": policy}
        else:
            parts = {"责任落实": responsibility, "政策落实": policy, "工作落实": work}
            if subject == "county":
                parts["巩固成效"] = _combined(
                    _share(facts["attained"], facts["targets"]),
                    _share(facts["rounds_done"], facts["rounds_due"])
                    if facts.get("rounds_due") else None,
                    weights["county"].get(ROUNDS_PART, Decimal(0)))
        region = regions.get(key) if subject != "unit" else None
        results.append({
            "subject": subject,
            "region": region.code if region else None,
            "unit": key if subject == "unit" else None,
            "parts": parts,
            "inputs": dict(sorted(facts.items())),
            "total": str(_total(parts, weights[subject])),
        })
    _rank(results, regions)
    results.sort(key=lambda r: (r["subject"], r["rank_in_province"], str(r["region"] or r["unit"])))
    return results


def _add_funds(sums, regions, year, weights) -> None:
    """The funds' arranged and spent money of the year's projects, into the facts of each
    county and city whose FUNDS_PART weighs more than 0 (as strings: they are money)."""
    if not any(weights[s].get(FUNDS_PART, 0) > 0 for s in FUNDS_SUBJECTS):
        return
    money: dict[tuple, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for path, (arranged, spent) in spending_by_place(year).items():
        for level in FUNDS_SUBJECTS:
            place = _ancestor(path, regions, level)
            if place and weights[level].get(FUNDS_PART, 0) > 0:
                money[level, place.code][0] += arranged
                money[level, place.code][1] += spent
    for key, (arranged, spent) in money.items():
        if key in sums:  # only subjects the assessment already has (tasks in force)
            sums[key]["funds_arranged"] = str(arranged)
            sums[key]["funds_spent"] = str(spent)


def _with_funds(on_time: float | None, facts: dict, weight: Decimal) -> float | None:
    """政策落实 with the funds' 支出进度 weighed in (module docstring)."""
    if weight <= 0 or "funds_arranged" not in facts:
        return on_time
    return _combined(on_time, progress(Decimal(facts["funds_arranged"]),
                                       Decimal(facts["funds_spent"])), weight)


def _combined(own: float | None, other: float | None, weight: Decimal) -> float | None:
    """(own × 1 + other × weight) ÷ (1 + weight); either alone when the other is missing; own
    when the weight is 0 (the components of 政策落实 and 巩固成效)."""
    if weight <= 0 or other is None:
        return own
    if own is None:
        return other
    combined = (Decimal(str(own)) + Decimal(str(other)) * weight) / (1 + weight)
    return float(combined.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _add_rounds(sums, regions, year, weights) -> None:
    """The screening rounds due and done in `year`, into each county's facts, when
    ROUNDS_PART weighs more than 0 (households/rounds.py)."""
    if weights["county"].get(ROUNDS_PART, 0) <= 0:
        return
    today = timezone.localdate()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path, (due, done) in year_counts(year, today).items():
        county = _ancestor(path, regions, "county")
        if county:
            counts[county.code][0] += due
            counts[county.code][1] += done
    for code, (due, done) in counts.items():
        if ("county", code) in sums:
            sums[("county", code)]["rounds_due"] = due
            sums[("county", code)]["rounds_done"] = done


def _province_of(result, regions, unit_regions) -> str:
    path = regions[result["region"]].path if result["region"] else unit_regions[result["unit"]]
    return path.split("/")[0]


def _rank(results: list[dict], regions: dict[str, Region]) -> None:
    from obligations.models import Unit

    unit_ids = [r["unit"] for r in results if r["unit"]]
    unit_regions = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "region__path"))
    last = int(getattr(settings, "ASSESSMENT_INTERVIEW_COUNT", 1))
    groups = defaultdict(list)
    for result in results:
        province = _province_of(result, regions, unit_regions)
        groups[("province", result["subject"], province)].append(result)
        if result["subject"] == "county":
            city = _ancestor(regions[result["region"]].path, regions, "city")
            if city is not None:
                groups[("city", "county", city.code)].append(result)
    for (kind, _subject, _where), members in groups.items():
        totals = sorted((Decimal(m["total"]) for m in members), reverse=True)
        for member in members:
            rank = totals.index(Decimal(member["total"])) + 1  # ties share the higher rank
            member["rank_in_" + kind] = rank
        if kind == "province":
            threshold = sorted(Decimal(m["total"]) for m in members)[min(last, len(members)) - 1]
            for member in members:
                # A ranking of no more subjects than the places to flag flags nobody: being
                # the only county of a province is not being last.
                member["interview"] = (0 < last < len(members)
                                       and Decimal(member["total"]) <= threshold)
    for result in results:
        result.setdefault("rank_in_city", None)
        result.setdefault("interview", False)


def _stored_results(record: AssessmentYear) -> list[dict]:
    rows = []
    for r in record.results.select_related("region").order_by("id"):
        rows.append({
            "subject": r.subject, "region": r.region.code if r.region else None,
            "unit": r.unit_id, "parts": r.parts, "inputs": r.inputs, "total": str(r.total),
            "rank_in_province": r.rank_in_province, "rank_in_city": r.rank_in_city,
            "interview": r.interview,
        })
    rows.sort(key=lambda r: (r["subject"], r["rank_in_province"], str(r["region"] or r["unit"])))
    return rows


@transaction.atomic
def compute_assessment(year: int, *, actor=None) -> tuple[AssessmentYear, bool]:
    """(year, changed). A published year is frozen: nothing is recomputed or written, and no
    audit row. `actor` is the administrator, or None for the nightly job and commands."""
    record, _created = AssessmentYear.objects.select_for_update().get_or_create(year=year)
    if record.status == AssessmentYear.Status.PUBLISHED:
        return record, False
    weights = _weights()
    results = compute_results(year, weights)
    regions = {r.code: r.pk for r in Region.objects.all()}
    record.results.all().delete()
    AssessmentResult.objects.bulk_create([
        AssessmentResult(year=record, subject=r["subject"], region_id=regions.get(r["region"]),
                         unit_id=r["unit"], parts=r["parts"], inputs=r["inputs"],
                         total=Decimal(r["total"]), rank_in_province=r["rank_in_province"],
                         rank_in_city=r["rank_in_city"], interview=r["interview"])
        for r in results
    ])
    previous = record.computed_at
    record.computed_at = timezone.now()
    record.weights = weights_as_json(weights)
    record.save(update_fields=["computed_at", "weights"])
    _audit(record, actor=actor, action=audit.Action.ASSESSMENT_COMPUTE,
           summary=_("计算%(year)s年度考核：%(count)s 个考核对象") % {"year": year,
                                                                  "count": len(results)},
           before={"computed_at": previous.isoformat() if previous else None},
           after={"computed_at": record.computed_at.isoformat(), "subjects": len(results),
                  "interview": sum(1 for r in results if r["interview"])})
    return record, True


@transaction.atomic
def publish_assessment(year: int, *, actor) -> AssessmentYear:
    """A person's act (or a command's, actor None): freezes the results, and the weights they
    were computed with, under the seal (monitoring/seal.py)."""
    record = AssessmentYear.objects.select_for_update().filter(year=year).first()
    if record is None or not record.results.exists():
        raise ValidationError(_("%(year)s年的考核尚未计算，不能发布。") % {"year": year})
    if record.status == AssessmentYear.Status.PUBLISHED:
        raise ValidationError(_("%(year)s年的考核已发布。") % {"year": year})
    record.status = AssessmentYear.Status.PUBLISHED
    record.published_at = timezone.now()
    record.digest, record.seal_parts = seal.seal(year, record.weights, _stored_results(record))
    record.save(update_fields=["status", "published_at", "digest", "seal_parts"])
    AssessmentEvent.objects.create(year=record, action="publish", by=actor)
    _audit(record, actor=actor, action=audit.Action.ASSESSMENT_PUBLISH,
           summary=_("发布%(year)s年度考核") % {"year": year},
           before={"status": AssessmentYear.Status.DRAFT},
           after={"status": record.status, "digest": record.digest})
    return record


@transaction.atomic
def reopen_assessment(year: int, *, actor, note: str) -> AssessmentYear:
    """Only explicitly, by an administrator, with a reason; recorded."""
    if not (note or "").strip():
        raise ValidationError(_("重新打开已发布的考核须说明理由。"))
    record = AssessmentYear.objects.select_for_update().filter(year=year).first()
    if record is None or record.status != AssessmentYear.Status.PUBLISHED:
        raise ValidationError(_("%(year)s年的考核尚未发布，无须重新打开。") % {"year": year})
    record.status = AssessmentYear.Status.DRAFT
    record.save(update_fields=["status"])
    AssessmentEvent.objects.create(year=record, action="reopen", by=actor, note=note.strip())
    _audit(record, actor=actor, action=audit.Action.ASSESSMENT_REOPEN,
           summary=_("重新打开%(year)s年度考核：%(note)s") % {"year": year, "note": note.strip()},
           before={"status": AssessmentYear.Status.PUBLISHED, "digest": record.digest},
           after={"status": record.status, "note": note.strip()})
    return record


def _audit(record: AssessmentYear, **fields) -> None:
    audit.record(subject=audit.subject("assessment", record.year), **fields)


def verify_assessment(year: int) -> list[str]:
    """Differences between the seal and the stored weights and results, and between the
    stored results and a fresh computation with the stored weights. Empty when everything
    matches."""
    record = AssessmentYear.objects.filter(year=year).first()
    if record is None or record.status != AssessmentYear.Status.PUBLISHED:
        return [_("%(year)s年的考核尚未发布。") % {"year": year}]
    from obligations.models import Unit

    names = {**dict(Region.objects.values_list("code", "name")),
             **dict(Unit.objects.values_list("pk", "name"))}

    def name_of(key: str):  # seal.row_key: "county:210422", "unit:17"
        subject, value = key.split(":", 1)
        return names.get(int(value) if subject == "unit" and value.isdigit() else value, value)

    problems = []
    stored = _stored_results(record)
    sealed = seal.check(year, record.weights, stored, digest=record.digest,
                        parts=record.seal_parts)
    if sealed.weights_changed:
        problems.append(_("保存的考核权重与封印不符：权重在发布后被改动过。"))
    for key in sealed.changed:
        problems.append(_("%(name)s：保存的结果与封印不符：结果在发布后被改动过。")
                        % {"name": name_of(key)})
    for key in sealed.removed:
        problems.append(_("%(name)s：发布时有该考核对象的结果，现已被删除。") % {"name": name_of(key)})
    for key in sealed.added:
        problems.append(_("%(name)s：保存的结果中有发布时没有的考核对象。") % {"name": name_of(key)})
    if sealed.seal_changed:
        problems.append(_("封印与保存的权重和结果不符：封印不是用本系统的密钥生成的，或在发布后被改动过。"))
    try:
        weights = _every_part(weights_from_json(record.weights))
    except (AttributeError, TypeError, ArithmeticError, ValueError):
        return [*problems, _("保存的考核权重无法读取，不能按发布时的权重重新计算。")]
    fresh = {(r["subject"], r["region"], r["unit"]): r for r in compute_results(year, weights)}
    for row in stored:
        again = fresh.pop((row["subject"], row["region"], row["unit"]), None)
        name = names.get(row["region"] or row["unit"], row["region"] or row["unit"])
        if again is None:
            problems.append(_("%(name)s：重新计算时已不在考核范围内。") % {"name": name})
        elif again["total"] != row["total"] or again["inputs"] != row["inputs"]:
            problems.append(_("%(name)s：发布时总分 %(old)s，按当前数据重新计算为 %(new)s。")
                            % {"name": name, "old": row["total"], "new": again["total"]})
    for key in fresh:
        problems.append(_("%(name)s：发布后新出现的考核对象。")
                        % {"name": names.get(key[1] or key[2], key[1] or key[2])})
    return problems
