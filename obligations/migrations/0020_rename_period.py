from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("obligations", "0019_report_waiting_index")]

    operations = [
        migrations.RemoveConstraint(model_name="transitionperiod", name="one_current_period"),
        migrations.RemoveConstraint(model_name="transitionperiod", name="period_end_after_start"),
        migrations.RenameModel("TransitionPeriod", "Period"),
    ]
