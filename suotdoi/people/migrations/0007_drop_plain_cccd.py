from django.db import migrations


class Migration(migrations.Migration):
    """The plain CCCD column goes; only the encrypted value and its keyed hash stay."""

    dependencies = [
        ("people", "0006_cccd_encrypt"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="person",
            name="person_national_id_unique",
        ),
        migrations.RemoveField(
            model_name="person",
            name="national_id",
        ),
    ]
