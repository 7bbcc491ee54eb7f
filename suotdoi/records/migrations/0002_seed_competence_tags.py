"""Competence tags: TT 02/2025/TT-BGDĐT digital competence domains and the platform's
learning categories. Data only; reversible."""

from django.db import migrations

TAGS = [
    ("dc-data", "Khai thác dữ liệu và thông tin", "Data and information literacy", "tt02-2025", 1),
    ("dc-communication", "Giao tiếp và hợp tác", "Communication and collaboration", "tt02-2025", 2),
    ("dc-content", "Sáng tạo nội dung số", "Digital content creation", "tt02-2025", 3),
    ("dc-safety", "An toàn", "Safety", "tt02-2025", 4),
    ("dc-problem-solving", "Giải quyết vấn đề", "Problem solving", "tt02-2025", 5),
    ("dc-ai", "Ứng dụng trí tuệ nhân tạo", "Application of artificial intelligence", "tt02-2025", 6),
    ("political-theory", "Lý luận chính trị", "Political theory", "category", 10),
    ("professional", "Kỹ năng nghề nghiệp", "Professional skills", "category", 11),
    ("digital", "Kỹ năng số", "Digital skills", "category", 12),
    ("languages", "Ngoại ngữ", "Foreign languages", "category", 13),
    ("law", "Pháp luật", "Law", "category", 14),
    ("health", "Sức khỏe", "Health", "category", 15),
    ("life-skills", "Kỹ năng sống", "Life skills", "category", 16),
    ("culture", "Văn hóa", "Culture", "category", 17),
]


def seed(apps, schema_editor):
    Tag = apps.get_model("records", "CompetenceTag")
    for code, name, name_en, framework, order in TAGS:
        Tag.objects.update_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "framework": framework, "order": order})


def unseed(apps, schema_editor):
    apps.get_model("records", "CompetenceTag").objects.filter(
        code__in=[t[0] for t in TAGS]).delete()


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
