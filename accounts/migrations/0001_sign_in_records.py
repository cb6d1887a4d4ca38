"""The sign-in log and failed sign-ins: django-axes' own tables under plain names, for admin."""

from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [
        migrations.CreateModel(
            name="FailedSignIn",
            fields=[],
            options={
                "verbose_name": "failed sign-in",
                "verbose_name_plural": "failed sign-ins",
                "ordering": ["-attempt_time"],
                "proxy": True,
            },
            bases=("axes.accessattempt",),
        ),
        migrations.CreateModel(
            name="SignIn",
            fields=[],
            options={
                "verbose_name": "sign-in",
                "verbose_name_plural": "sign-in log",
                "ordering": ["-attempt_time"],
                "proxy": True,
            },
            bases=("axes.accesslog",),
        ),
    ]
