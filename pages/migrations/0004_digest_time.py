import datetime

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0003_privacy_notice_retention_days"),
    ]

    operations = [
        migrations.AddField(
            model_name="practicesettings",
            name="digest_time",
            field=models.TimeField(
                default=datetime.time(8, 0),
                help_text="When the day's summary of requests reaches you (in the practice's time zone). Counts only, and only on days with something to say.",
                verbose_name="daily summary at",
            ),
        ),
    ]
