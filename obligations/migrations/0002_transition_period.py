import datetime

from django.db import migrations


def create_period(apps, schema_editor):
    # DESIGN.md §2: 过渡期 2021-01-01 … 2025-12-31. Data, so it can be changed without a release.
    TransitionPeriod = apps.get_model("obligations", "TransitionPeriod")
    # On the database being migrated (tests migrate a second one standing in for the replica).
    TransitionPeriod.objects.using(schema_editor.connection.alias).get_or_create(
        name="巩固拓展脱贫攻坚成果同乡村振兴有效衔接过渡期",
        defaults={"start": datetime.date(2021, 1, 1), "end": datetime.date(2025, 12, 31)},
    )


class Migration(migrations.Migration):
    dependencies = [("obligations", "0001_register")]

    operations = [migrations.RunPython(create_period, migrations.RunPython.noop)]
