from django.db import migrations, models


class Migration(migrations.Migration):
    """Columns for the encrypted CCCD and its keyed hash, beside the plain one for now."""

    dependencies = [
        ("people", "0004_phone_verified"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="national_id_cipher",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="person",
            name="national_id_hash",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                condition=models.Q(("national_id_hash__isnull", False)),
                fields=("national_id_hash",),
                name="person_national_id_hash_unique",
            ),
        ),
    ]
