"""The weight of the funds' 支出进度 within 政策落实 (counties and cities), 0: years computed
before weigh it 0 too (monitoring/assessment.py), so nothing already computed changes."""

from decimal import Decimal

from django.db import migrations

FUNDS_PART = "资金支出进度"


def create(apps, schema_editor):
    AssessmentWeight = apps.get_model("monitoring", "AssessmentWeight")
    for subject in ("county", "city"):
        AssessmentWeight.objects.get_or_create(subject=subject, part=FUNDS_PART,
                                               defaults={"weight": Decimal(0)})


def remove(apps, schema_editor):
    apps.get_model("monitoring", "AssessmentWeight").objects.filter(part=FUNDS_PART).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0005_assessment_weights_and_seal")]

    operations = [migrations.RunPython(create, remove)]
