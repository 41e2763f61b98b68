from decimal import Decimal

from django.db import migrations

# Equal weights to start with; an administrator sets the province's own in the admin.
WEIGHTS = {
    "county": ["责任落实", "政策落实", "工作落实", "巩固成效"],
    "city": ["责任落实", "政策落实", "工作落实"],
    "unit": ["行业责任", "工作成效", "政策措施"],
}


def create_weights(apps, schema_editor):
    AssessmentWeight = apps.get_model("monitoring", "AssessmentWeight")
    for subject, parts in WEIGHTS.items():
        for part in parts:
            AssessmentWeight.objects.get_or_create(subject=subject, part=part,
                                                   defaults={"weight": Decimal(1)})


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_jobs_summaries_assessment")]

    operations = [migrations.RunPython(create_weights, migrations.RunPython.noop)]
