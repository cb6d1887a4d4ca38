"""
The request's "state" becomes client_location (it never meant a status); each request
keeps the reply time it was promised, when it was last changed and when its form was
opened; each email keeps one Message-ID for every attempt to send it.
"""

from datetime import timedelta
from email.utils import make_msgid

import django.utils.timezone
from django.db import migrations, models

import intake.models.notification


def add_business_days(moment, days):
    # A copy, as of this migration, of the rule in intake/models/request.py.
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


def fill_in_existing_requests(apps, schema_editor):
    ConsultationRequest = apps.get_model("intake", "ConsultationRequest")
    PracticeSettings = apps.get_model("pages", "PracticeSettings")
    practice = PracticeSettings.objects.filter(pk=1).first()
    days = practice.reply_business_days if practice else 2
    for consultation in ConsultationRequest.objects.all():
        consultation.reply_due_at = add_business_days(consultation.received_at, days)
        consultation.updated_at = consultation.status_changed_at
        consultation.save(update_fields=["reply_due_at", "updated_at"])


def give_each_email_a_message_id(apps, schema_editor):
    Notification = apps.get_model("intake", "Notification")
    for notification in Notification.objects.all():
        notification.message_id = make_msgid(domain="localhost")
        notification.save(update_fields=["message_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0003_reviewers_group"),
        ("pages", "0002_first_content"),
    ]

    operations = [
        migrations.RenameField("consultationrequest", "state", "client_location"),
        migrations.AddField(
            model_name="consultationrequest",
            name="form_opened_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When the visitor opened the form; some take days to decide to send it.",
                null=True,
                verbose_name="form opened",
            ),
        ),
        migrations.AddField(
            model_name="consultationrequest",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="last changed"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="consultationrequest",
            name="reply_due_at",
            field=models.DateTimeField(null=True, editable=False),
        ),
        migrations.RunPython(fill_in_existing_requests, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="consultationrequest",
            name="reply_due_at",
            field=models.DateTimeField(
                db_index=True,
                editable=False,
                help_text="The reply promise shown to the visitor when they sent it, as a date.",
                verbose_name="reply due",
            ),
        ),
        migrations.AddConstraint(
            model_name="consultationrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(("reply_due_at__gte", models.F("received_at"))),
                name="intake_request_reply_due_after_receipt",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="message_id",
            field=models.CharField(max_length=200, null=True, editable=False),
        ),
        migrations.RunPython(give_each_email_a_message_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notification",
            name="message_id",
            field=models.CharField(
                default=intake.models.notification.new_message_id, editable=False, max_length=200
            ),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                fields=("message_id",), name="intake_notification_unique_message_id"
            ),
        ),
    ]
