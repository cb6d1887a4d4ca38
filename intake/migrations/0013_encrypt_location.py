"""
The request's location answer (a US state, or outside the US) is stored encrypted like the rest of
what the visitor typed: its column becomes text and the rows of before are sealed (at_rest/resealing.py).
Reversible: the location back to plain text (only it: 0011 owns the other columns), then a short column.
"""

from django.db import migrations

import at_rest.fields
from at_rest.resealing import reseal_all, write_plain


def seal_locations(apps, schema_editor):
    reseal_all(apps.get_model("intake", "ConsultationRequest"))


def unseal_locations(apps, schema_editor):
    write_plain(apps.get_model("intake", "ConsultationRequest"), only=["client_location"])


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0012_merge_request_life_and_encryption"),
    ]

    operations = [
        migrations.AlterField(
            model_name="consultationrequest",
            name="client_location",
            field=at_rest.fields.EncryptedCharField(
                choices=[
                    ("AL", "Alabama"),
                    ("AK", "Alaska"),
                    ("AZ", "Arizona"),
                    ("AR", "Arkansas"),
                    ("CA", "California"),
                    ("CO", "Colorado"),
                    ("CT", "Connecticut"),
                    ("DE", "Delaware"),
                    ("DC", "District of Columbia"),
                    ("FL", "Florida"),
                    ("GA", "Georgia"),
                    ("HI", "Hawaii"),
                    ("ID", "Idaho"),
                    ("IL", "Illinois"),
                    ("IN", "Indiana"),
                    ("IA", "Iowa"),
                    ("KS", "Kansas"),
                    ("KY", "Kentucky"),
                    ("LA", "Louisiana"),
                    ("ME", "Maine"),
                    ("MD", "Maryland"),
                    ("MA", "Massachusetts"),
                    ("MI", "Michigan"),
                    ("MN", "Minnesota"),
                    ("MS", "Mississippi"),
                    ("MO", "Missouri"),
                    ("MT", "Montana"),
                    ("NE", "Nebraska"),
                    ("NV", "Nevada"),
                    ("NH", "New Hampshire"),
                    ("NJ", "New Jersey"),
                    ("NM", "New Mexico"),
                    ("NY", "New York"),
                    ("NC", "North Carolina"),
                    ("ND", "North Dakota"),
                    ("OH", "Ohio"),
                    ("OK", "Oklahoma"),
                    ("OR", "Oregon"),
                    ("PA", "Pennsylvania"),
                    ("RI", "Rhode Island"),
                    ("SC", "South Carolina"),
                    ("SD", "South Dakota"),
                    ("TN", "Tennessee"),
                    ("TX", "Texas"),
                    ("UT", "Utah"),
                    ("VT", "Vermont"),
                    ("VA", "Virginia"),
                    ("WA", "Washington"),
                    ("WV", "West Virginia"),
                    ("WI", "Wisconsin"),
                    ("WY", "Wyoming"),
                    ("AS", "American Samoa"),
                    ("GU", "Guam"),
                    ("MP", "Northern Mariana Islands"),
                    ("PR", "Puerto Rico"),
                    ("VI", "U.S. Virgin Islands"),
                    ("outside", "Outside the US"),
                ],
                max_length=10,
                verbose_name="location during sessions",
            ),
        ),
        migrations.RunPython(seal_locations, unseal_locations),
    ]
