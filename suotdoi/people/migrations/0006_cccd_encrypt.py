from django.db import migrations


def encrypt_existing(apps, schema_editor):
    from suotdoi.core import fieldcrypto

    Person = apps.get_model("people", "Person")
    rows = Person.objects.exclude(national_id__isnull=True).exclude(national_id="")
    for person in rows.only("id", "national_id").iterator(chunk_size=2000):
        Person.objects.filter(pk=person.pk).update(
            national_id_cipher=fieldcrypto.encrypt(person.national_id),
            national_id_hash=fieldcrypto.lookup_hash("cccd", person.national_id),
        )


def decrypt_back(apps, schema_editor):
    from suotdoi.core import fieldcrypto

    Person = apps.get_model("people", "Person")
    for person in Person.objects.exclude(national_id_cipher="").only("id", "national_id_cipher"):
        Person.objects.filter(pk=person.pk).update(
            national_id=fieldcrypto.decrypt(person.national_id_cipher)
        )


class Migration(migrations.Migration):
    """Encrypt the CCCD numbers already stored (and, going back, restore them)."""

    dependencies = [
        ("people", "0005_cccd_encrypted_columns"),
    ]

    operations = [migrations.RunPython(encrypt_existing, decrypt_back)]
