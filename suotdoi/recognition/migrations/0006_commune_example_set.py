from django.db import migrations


def seed(apps, schema_editor):
    from suotdoi.recognition.seeds import seed_sets

    seed_sets(
        apps.get_model("recognition", "CriteriaSet"),
        apps.get_model("recognition", "Criterion"),
        apps.get_model("recognition", "Indicator"),
    )


class Migration(migrations.Migration):
    dependencies = [("recognition", "0005_commendations")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
