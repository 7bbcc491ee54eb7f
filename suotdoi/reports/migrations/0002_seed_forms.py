from django.db import migrations


def seed(apps, schema_editor):
    from suotdoi.reports.seeds import seed_forms

    seed_forms(apps.get_model("reports", "ReportForm"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
