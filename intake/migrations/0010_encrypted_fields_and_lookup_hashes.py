# Encrypted columns become text (a sealed value is longer than what was typed); lookup hashes added.

from django.db import migrations, models

import at_rest.fields


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0009_choices_move_content_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="consultationrequest",
            name="email_hash",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="consultationrequest",
            name="phone_hash",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="consultationrequest",
            name="search_text",
            field=at_rest.fields.EncryptedTextField(blank=True, editable=False),
        ),
        migrations.AlterField(
            model_name="consultationrequest",
            name="email",
            field=at_rest.fields.EncryptedEmailField(blank=True, max_length=254),
        ),
        migrations.AlterField(
            model_name="consultationrequest",
            name="heard_about",
            field=at_rest.fields.EncryptedCharField(
                blank=True, max_length=200, verbose_name="heard about the practice from"
            ),
        ),
        migrations.AlterField(
            model_name="consultationrequest",
            name="insurer",
            field=at_rest.fields.EncryptedCharField(blank=True, max_length=100),
        ),
        migrations.AlterField(
            model_name="consultationrequest",
            name="message",
            field=at_rest.fields.EncryptedCharField(blank=True, max_length=1000),
        ),
        migrations.AlterField(
            model_name="consultationrequest",
            name="name",
            field=at_rest.fields.EncryptedCharField(max_length=100, verbose_name="name to use"),
        ),
        migrations.AlterField(
            model_name="consultationrequest",
            name="phone",
            field=at_rest.fields.EncryptedCharField(blank=True, max_length=40),
        ),
        migrations.AlterField(
            model_name="notification",
            name="body",
            field=at_rest.fields.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name="notification",
            name="subject",
            field=at_rest.fields.EncryptedCharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name="timelineentry",
            name="subject",
            field=at_rest.fields.EncryptedCharField(
                blank=True, help_text="Email replies only.", max_length=200
            ),
        ),
        migrations.AlterField(
            model_name="timelineentry",
            name="text",
            field=at_rest.fields.EncryptedTextField(
                blank=True, help_text="The reply as sent, or a short note."
            ),
        ),
    ]
