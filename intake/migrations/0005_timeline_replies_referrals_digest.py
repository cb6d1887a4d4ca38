"""
The therapist's day: a timeline of replies, calls and notes per request, reply templates, referrals,
the daily summary, and outbox rows for replies and practice notices. Reviewers get the new records.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

REVIEWER_PERMISSIONS = [
    "view_timelineentry",
    "add_timelineentry",
    "view_dailydigest",
    *(
        f"{action}_{model}"
        for model in ("replytemplate", "referral")
        for action in ("view", "add", "change", "delete")
    ),
]


def phone_digits(phone):
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def fill_phone_digits(apps, schema_editor):
    ConsultationRequest = apps.get_model("intake", "ConsultationRequest")
    for consultation in ConsultationRequest.objects.exclude(phone="").only("phone"):
        consultation.phone_digits = phone_digits(consultation.phone)
        consultation.save(update_fields=["phone_digits"])


def give_reviewers_the_new_records(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("intake")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Consultation reviewers")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="intake", codename__in=REVIEWER_PERMISSIONS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0004_location_reply_due_message_id"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DailyDigest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(unique=True)),
                ("made_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("counts", models.JSONField(default=dict)),
                (
                    "sent",
                    models.BooleanField(
                        default=False,
                        help_text="False when there was nothing to say and no email was queued.",
                    ),
                ),
            ],
            options={
                "verbose_name": "daily summary",
                "verbose_name_plural": "daily summaries",
                "ordering": ["-day"],
            },
        ),
        migrations.CreateModel(
            name="Referral",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=150, unique=True)),
                (
                    "helps_with",
                    models.CharField(blank=True, max_length=300, verbose_name="what they help with"),
                ),
                (
                    "how_to_reach",
                    models.CharField(
                        help_text="Phone, email or website.", max_length=300, verbose_name="how to reach them"
                    ),
                ),
                ("accepting_new_clients", models.BooleanField(default=True)),
                (
                    "order",
                    models.PositiveSmallIntegerField(default=100, help_text="Lower numbers come first."),
                ),
            ],
            options={
                "ordering": ["order", "name"],
            },
        ),
        migrations.CreateModel(
            name="ReplyTemplate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="For you, in the list of templates.", max_length=100, unique=True
                    ),
                ),
                (
                    "subject",
                    models.CharField(
                        help_text="Neutral on purpose: others may see the subject line. Placeholders work here too.",
                        max_length=200,
                    ),
                ),
                (
                    "body",
                    models.TextField(
                        help_text="Placeholders: {name}, {clinician}, {practice}, {reply_days}, {referrals}, {withdraw_link}. Write {{ or }} for a brace."
                    ),
                ),
                (
                    "moves_to",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("new", "New"),
                            ("contacted", "Contacted"),
                            ("scheduled", "Consultation scheduled"),
                            ("client", "Became a client"),
                            ("waitlisted", "Waitlisted"),
                            ("referred", "Referred out"),
                            ("not_fit", "Not a fit"),
                            ("no_response", "No response"),
                            ("spam", "Spam"),
                            ("closed", "Closed"),
                        ],
                        help_text="Leave empty to keep the request's status.",
                        max_length=20,
                        verbose_name="status after sending",
                    ),
                ),
                (
                    "order",
                    models.PositiveSmallIntegerField(default=100, help_text="Lower numbers come first."),
                ),
            ],
            options={
                "verbose_name": "reply template",
                "ordering": ["order", "id"],
            },
        ),
        migrations.CreateModel(
            name="TimelineEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("reply", "Email reply"), ("call", "Call or text"), ("note", "Note")],
                        max_length=10,
                    ),
                ),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="when")),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("spoke", "Spoke with them"),
                            ("voicemail", "Left a voicemail"),
                            ("no_answer", "No answer, no message left"),
                            ("text_sent", "Sent a text"),
                        ],
                        help_text="Calls and texts only.",
                        max_length=20,
                    ),
                ),
                ("subject", models.CharField(blank=True, help_text="Email replies only.", max_length=200)),
                ("text", models.TextField(blank=True, help_text="The reply as sent, or a short note.")),
            ],
            options={
                "verbose_name": "timeline entry",
                "verbose_name_plural": "timeline",
                "ordering": ["-at", "-id"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="notification",
            name="intake_notification_one_per_kind",
        ),
        migrations.AddField(
            model_name="consultationrequest",
            name="phone_digits",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=40),
        ),
        migrations.AddField(
            model_name="notification",
            name="body",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="subject",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("list", "Viewed the list"),
                    ("view", "Viewed"),
                    ("change", "Changed"),
                    ("export", "Exported"),
                    ("delete", "Deleted"),
                    ("erase", "Erased on request"),
                    ("withdraw", "Withdrawn by the visitor"),
                    ("purge", "Purged (retention)"),
                ],
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("practice", "Alert to the practice"),
                    ("acknowledgement", "Acknowledgement to the visitor"),
                    ("reply", "Reply to the visitor"),
                    ("withdrawal", "Withdrawal notice to the practice"),
                    ("digest", "Daily summary to the practice"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="request",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty for the practice's withdrawal notices and daily summaries: they name no request.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notifications",
                to="intake.consultationrequest",
            ),
        ),
        migrations.AddField(
            model_name="timelineentry",
            name="by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="timelineentry",
            name="request",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="timeline",
                to="intake.consultationrequest",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="reply",
            field=models.ForeignKey(
                blank=True,
                help_text="The reply's text, kept in the request's timeline.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="intake.timelineentry",
            ),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind__in", ["practice", "acknowledgement"])),
                fields=("request", "kind"),
                name="intake_notification_one_per_kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind__in", ["withdrawal", "digest"]), ("request__isnull", False), _connector="OR"
                ),
                name="intake_notification_request_unless_practice_notice",
            ),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "reply"), _negated=True), ("reply__isnull", False), _connector="OR"
                ),
                name="intake_notification_reply_has_text",
            ),
        ),
        migrations.AddConstraint(
            model_name="timelineentry",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind", "call"), ("outcome", ""), _connector="OR"),
                name="intake_timeline_outcome_for_calls",
            ),
        ),
        migrations.AddConstraint(
            model_name="timelineentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "call"), _negated=True),
                    models.Q(("outcome", ""), _negated=True),
                    _connector="OR",
                ),
                name="intake_timeline_call_has_outcome",
            ),
        ),
        migrations.RunPython(fill_phone_digits, migrations.RunPython.noop),
        migrations.RunPython(give_reviewers_the_new_records, migrations.RunPython.noop),
    ]
