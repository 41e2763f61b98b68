"""Each assessment year keeps the weights it was computed with, and published years are
sealed with HMAC-SM3 (monitoring/seal.py) instead of a plain SHA-256 over the live weights.

Existing years get today's weights (the only ones known). Published years are re-sealed, and
each re-seal is recorded as an AssessmentEvent saying whether the old SHA-256 digest still
matched (then today's weights are the ones it was published with); when it did not (the
weights were changed after publishing, or a result was edited), the note says so, and
`verify_assessment` compares the totals with a recomputation under the recorded weights.
Re-sealing needs the key "seal" (obligations/keys.py: SEAL_KEY or KEY_DIR/seal.key), only when
there are published years.
"""

import hashlib
import json
from collections import defaultdict
from decimal import Decimal

from django.db import migrations, models

PARTS = {
    "county": ["责任落实", "政策落实", "工作落实", "巩固成效"],
    "city": ["责任落实", "政策落实", "工作落实"],
    "unit": ["行业责任", "工作成效", "政策措施"],
}


def _weights(AssessmentWeight):
    weights = defaultdict(dict)
    for w in AssessmentWeight.objects.all():
        weights[w.subject][w.part] = w.weight
    for subject, parts in PARTS.items():
        for part in parts:
            weights[subject].setdefault(part, Decimal(1))
    return weights


def _stored_results(record):
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


def _old_digest(year, weights, rows):  # the SHA-256 of 0001–0004 (monitoring.assessment then)
    flat = {f"{s}.{p}": str(w) for s, parts in weights.items() for p, w in parts.items()}
    payload = json.dumps({"year": year, "weights": flat, "results": rows},
                         sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def reseal(apps, schema_editor):
    from monitoring import seal  # pure: the seal as the application computes it

    AssessmentWeight = apps.get_model("monitoring", "AssessmentWeight")
    AssessmentYear = apps.get_model("monitoring", "AssessmentYear")
    AssessmentEvent = apps.get_model("monitoring", "AssessmentEvent")
    weights = _weights(AssessmentWeight)
    stored_weights = {s: {p: str(w) for p, w in parts.items()} for s, parts in weights.items()}
    for record in AssessmentYear.objects.all():
        record.weights = stored_weights
        fields = ["weights"]
        if record.status == "published":
            rows = _stored_results(record)
            matched = _old_digest(record.year, weights, rows) == record.digest
            record.digest, record.seal_parts = seal.seal(record.year, stored_weights, rows)
            fields += ["digest", "seal_parts"]
            AssessmentEvent.objects.create(
                year=record, action="reseal", by=None,
                note=("由 SHA-256 摘要改为 HMAC-SM3 封印，记录当时的权重；旧摘要与保存的结果和当前权重一致。"
                      if matched else
                      "由 SHA-256 摘要改为 HMAC-SM3 封印，记录当前的权重；旧摘要与保存的结果和当前权重不符"
                      "（发布后改过权重，或结果被改动过）：请运行 verify_assessment 核验。"))
        record.save(update_fields=fields)


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0004_summary_place_scope'),
    ]

    operations = [
        migrations.AddField(
            model_name='assessmentyear',
            name='seal_parts',
            field=models.JSONField(blank=True, default=dict, verbose_name='分项封印'),
        ),
        migrations.AddField(
            model_name='assessmentyear',
            name='weights',
            field=models.JSONField(blank=True, default=dict, verbose_name='计算时使用的权重'),
        ),
        migrations.AlterField(
            model_name='assessmentyear',
            name='digest',
            field=models.CharField(blank=True, max_length=64, verbose_name='封印（HMAC-SM3）'),
        ),
        # Irreversible: an HMAC seal cannot be turned back into the old digest honestly.
        migrations.RunPython(reseal, migrations.RunPython.noop),
    ]
