"""The activity types that are learning units, as xAPI content labels them (ADL's registry)."""

from django.db import migrations

TYPES = [
    ("http://adlnet.gov/expapi/activities/course", "Course", "online_elsewhere"),
    ("http://adlnet.gov/expapi/activities/module", "Module", "online_elsewhere"),
    ("http://adlnet.gov/expapi/activities/lesson", "Lesson", "online_elsewhere"),
    ("http://adlnet.gov/expapi/activities/assessment", "Assessment", "online_elsewhere"),
    ("http://adlnet.gov/expapi/activities/meeting", "Meeting", "session"),
    ("http://id.tincanapi.com/activitytype/webinar", "Webinar", "session"),
]


def seed(apps, schema_editor):
    LearningUnitType = apps.get_model("lrs", "LearningUnitType")
    for iri, label, kind in TYPES:
        LearningUnitType.objects.get_or_create(
            iri=iri, defaults={"label": label, "entry_kind": kind}
        )


class Migration(migrations.Migration):
    dependencies = [("lrs", "0002_attempts_and_links")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
