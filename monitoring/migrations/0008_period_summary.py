# The five-year summary of a closed period (issue 23 item 3).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0007_rounds_weight'),
        ('obligations', '0021_periods_and_dispositions'),
    ]

    operations = [
        migrations.CreateModel(
            name='PeriodSummary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scope', models.CharField(choices=[('region', '区划'), ('unit', '单位')], max_length=8, verbose_name='范围')),
                ('scope_id', models.BigIntegerField(verbose_name='对象编号')),
                ('data', models.JSONField(default=dict, verbose_name='汇总内容')),
                ('computed_at', models.DateTimeField(verbose_name='计算时间')),
                ('digest', models.CharField(max_length=64, verbose_name='封印（HMAC-SM3）')),
                ('mac', models.CharField(max_length=64, verbose_name='分项封印')),
                ('period', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='obligations.period', verbose_name='时期')),
            ],
            options={
                'verbose_name': '过渡期考核评估',
                'verbose_name_plural': '过渡期考核评估',
                'ordering': ['period', 'scope', 'scope_id'],
                'constraints': [models.UniqueConstraint(fields=('period', 'scope', 'scope_id'), name='one_period_summary_row')],
            },
        ),
    ]
