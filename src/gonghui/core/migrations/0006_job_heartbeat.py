# Jobs carry a heartbeat, so a job whose worker stopped is marked failed instead of «进行中» forever.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_calendar_2024_2026'),
    ]

    operations = [
        migrations.AddField(
            model_name='job',
            name='worker',
            field=models.CharField(blank=True, max_length=100, verbose_name='执行进程'),
        ),
        migrations.AddField(
            model_name='job',
            name='heartbeat_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='最近心跳'),
        ),
        migrations.AddField(
            model_name='job',
            name='retryable',
            field=models.BooleanField(default=False, verbose_name='可重新运行'),
        ),
        migrations.AddField(
            model_name='job',
            name='rerun_of',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name='reruns', to='core.job', verbose_name='重新运行自'),
        ),
    ]
