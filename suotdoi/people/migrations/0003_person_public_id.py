import secrets

from django.db import migrations, models

import suotdoi.people.models


def fill(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    batch = []
    for p in Person.objects.only("pk").iterator():
        p.public_id = secrets.token_urlsafe(16)
        batch.append(p)
        if len(batch) >= 1000:
            Person.objects.bulk_update(batch, ["public_id"])
            batch = []
    Person.objects.bulk_update(batch, ["public_id"])


class Migration(migrations.Migration):
    dependencies = [("people", "0002_person_email_sha1")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="public_id",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="person",
            name="public_id",
            field=models.CharField(
                default=suotdoi.people.models.new_public_id,
                editable=False,
                max_length=32,
                unique=True,
                verbose_name="public id",
            ),
        ),
    ]
