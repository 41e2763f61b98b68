"""The weight of the households' screening rounds within 巩固成效 (counties), 0: years computed
before weigh it 0 too (monitoring/assessment.py), so nothing already computed changes."""

from decimal import Decimal

from django.db import migrations

ROUNDS_PART = "按期摸排审核"


def create(apps, schema_editor):
    apps.get_model("monitoring", "AssessmentWeight").objects.get_or_create(
        subject="county", part=ROUNDS_PART, defaults={"weight": Decimal(0)})


def remove(apps, schema_editor):
    apps.get_model("monitoring", "AssessmentWeight").objects.filter(part=ROUNDS_PART).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0006_funds_weight")]

    operations = [migrations.RunPython(create, remove)]
