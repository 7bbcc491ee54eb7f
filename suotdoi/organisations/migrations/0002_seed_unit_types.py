"""Seed the Vietnamese unit types. Data only; reversible."""

from django.db import migrations

TYPES = [
    # code, Vietnamese name, English name, tree kind, is_venue, order
    ("tong-lien-doan", "Tổng Liên đoàn Lao động Việt Nam", "Vietnam General Confederation of Labour", "union", False, 1),
    ("ldld-tinh", "Liên đoàn Lao động tỉnh, thành phố", "Provincial labour federation", "union", False, 2),
    ("cong-doan-nganh", "Công đoàn ngành trung ương", "Central branch union", "union", False, 3),
    ("cdct-truc-tiep", "Công đoàn cấp trên trực tiếp cơ sở", "Direct-superior union", "union", False, 4),
    ("cdcs", "Công đoàn cơ sở", "Grassroots union", "union", False, 5),
    ("nghiep-doan", "Nghiệp đoàn cơ sở", "Grassroots trade guild", "union", False, 6),
    ("cd-bo-phan", "Công đoàn bộ phận", "Departmental union", "union", False, 7),
    ("to-cong-doan", "Tổ công đoàn", "Union group", "union", False, 8),
    ("tinh", "Tỉnh, thành phố trực thuộc trung ương", "Province", "administrative", False, 1),
    ("xa", "Xã, phường, đặc khu", "Commune, ward or special zone", "administrative", False, 2),
    ("thon", "Thôn, tổ dân phố", "Village or residential group", "administrative", False, 3),
    ("hkh-trung-uong", "Hội Khuyến học Việt Nam", "Vietnam Study Promotion Association", "study_promotion", False, 1),
    ("hkh-tinh", "Hội Khuyến học tỉnh", "Provincial Study Promotion Association", "study_promotion", False, 2),
    ("hkh-xa", "Hội Khuyến học xã, phường", "Commune Study Promotion Association", "study_promotion", False, 3),
    ("chi-hoi", "Chi hội khuyến học", "Study promotion branch", "study_promotion", False, 4),
    ("dong-ho", "Dòng họ", "Clan", "family", False, 5),
    ("gia-dinh", "Gia đình", "Family", "family", False, 6),
    ("co-quan", "Cơ quan", "Agency", "agency", False, 1),
    ("doanh-nghiep", "Doanh nghiệp", "Enterprise", "agency", False, 2),
    ("truong", "Trường học", "School", "agency", False, 3),
    ("tthtcd", "Trung tâm học tập cộng đồng", "Community learning centre", "venue", True, 1),
    ("thu-vien", "Thư viện", "Library", "venue", True, 2),
    ("bao-tang", "Bảo tàng", "Museum", "venue", True, 3),
    ("nha-van-hoa", "Nhà văn hóa", "Cultural house", "venue", True, 4),
]


def seed(apps, schema_editor):
    UnitType = apps.get_model("organisations", "UnitType")
    for code, name, name_en, kind, venue, order in TYPES:
        UnitType.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "tree_kind": kind, "is_venue": venue,
                      "order": order},
        )


def unseed(apps, schema_editor):
    UnitType = apps.get_model("organisations", "UnitType")
    UnitType.objects.filter(code__in=[t[0] for t in TYPES], units__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
