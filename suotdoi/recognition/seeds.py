"""The criteria sets shipped with Suốt Đời, marked with how far each was confirmed against the
official text (see DOMAIN.md). Editable in the UI; a change makes a new version."""

# ruff: noqa: E501 - official wording

import datetime as dt
from decimal import Decimal

SETS = [
    {
        "code": "cong-dan-hoc-tap",
        "title": "Công dân học tập",
        "subject_type": "person",
        "issuer_name": "Hội Khuyến học Việt Nam",
        "document_number": "324/QĐ-KHVN",
        "document_date": dt.date(2023, 10, 25),
        "valid_from": dt.date(2023, 10, 25),
        "confirmation": "partly",
        "rule_kind": "points",
        "pass_total": Decimal("80"),
        "min_each": Decimal("5"),
        "note": "Ngưỡng đạt (≥ 80/100, không tiêu chí nào dưới 5) đã đối chiếu; danh mục chỉ số theo dự thảo 2020 (4+4+2), cần đối chiếu văn bản chính thức.",
        "criteria": [
            (
                "Tự học và học tập suốt đời",
                [
                    (
                        "kh",
                        "Có kế hoạch học tập hằng năm và thực hiện kế hoạch",
                        "points",
                        10,
                        0,
                        "",
                    ),
                    (
                        "gio",
                        "Số giờ học được xác nhận trong năm (đủ 40 giờ được tối đa)",
                        "record",
                        10,
                        40,
                        "hours",
                    ),
                    (
                        "khoa",
                        "Hoàn thành khóa học, lớp bồi dưỡng trong năm (đủ 2 được tối đa)",
                        "record",
                        10,
                        2,
                        "courses",
                    ),
                    (
                        "sh",
                        "Tham gia sinh hoạt, học tập chuyên đề (đủ 4 buổi được tối đa)",
                        "record",
                        10,
                        4,
                        "sessions",
                    ),
                ],
            ),
            (
                "Sử dụng công cụ tương tác",
                [
                    (
                        "so",
                        "Sử dụng công nghệ thông tin, kỹ năng số trong học tập và công việc",
                        "record",
                        10,
                        2,
                        "digital",
                    ),
                    (
                        "nn",
                        "Ngoại ngữ, tính toán, tư duy phản biện phù hợp công việc",
                        "points",
                        10,
                        0,
                        "",
                    ),
                    (
                        "vd",
                        "Vận dụng kiến thức đã học vào công việc và đời sống",
                        "points",
                        10,
                        0,
                        "",
                    ),
                    (
                        "kt",
                        "Hoàn thành bài kiểm tra các đợt học tập của đơn vị",
                        "record",
                        10,
                        1,
                        "campaign_quiz",
                    ),
                ],
            ),
            (
                "Quan hệ xã hội",
                [
                    ("cs", "Chia sẻ kiến thức, giúp đỡ người khác cùng học", "points", 10, 0, ""),
                    (
                        "gm",
                        "Gương mẫu chấp hành chủ trương, pháp luật; tham gia hoạt động cộng đồng",
                        "points",
                        10,
                        0,
                        "",
                    ),
                ],
            ),
        ],
    },
    {
        "code": "don-vi-hoc-tap-tinh",
        "title": "Đơn vị học tập cấp tỉnh",
        "subject_type": "unit",
        "issuer_name": "Bộ Giáo dục và Đào tạo",
        "document_number": "24/2023/TT-BGDĐT",
        "document_date": dt.date(2023, 12, 11),
        "valid_from": dt.date(2024, 1, 26),
        "confirmation": "confirmed",
        "rule_kind": "levels",
        "level_labels": ["Mức 1", "Mức 2"],
        "note": "Mức 1: ≥ 90% thành viên đạt Công dân học tập, chia sẻ tri thức với đơn vị khác, tập thể đạt Tập thể lao động tiên tiến trở lên. Mức 2: ≥ 95% và Tập thể lao động xuất sắc. Hồ sơ tự đánh giá từ 01/01 đến 31/12, nộp trước 15/01.",
        "criteria": [
            (
                "Kết quả học tập của thành viên",
                [
                    (
                        "cdht90",
                        "Tỷ lệ thành viên đạt Công dân học tập (Mức 1: từ 90%)",
                        "share",
                        10,
                        90,
                        "cong-dan-hoc-tap",
                        1,
                    ),
                    (
                        "cdht95",
                        "Tỷ lệ thành viên đạt Công dân học tập (Mức 2: từ 95%)",
                        "share",
                        10,
                        95,
                        "cong-dan-hoc-tap",
                        2,
                    ),
                ],
            ),
            (
                "Điều kiện và tác động",
                [
                    (
                        "chiase",
                        "Chia sẻ tri thức, kinh nghiệm với đơn vị khác",
                        "yes_no",
                        10,
                        0,
                        "",
                        1,
                    ),
                    (
                        "ldtt",
                        "Tập thể đạt danh hiệu Tập thể lao động tiên tiến trở lên",
                        "yes_no",
                        10,
                        0,
                        "",
                        1,
                    ),
                    (
                        "ldxs",
                        "Tập thể đạt danh hiệu Tập thể lao động xuất sắc",
                        "yes_no",
                        10,
                        0,
                        "",
                        2,
                    ),
                ],
            ),
        ],
    },
    {
        "code": "lao-dong-tien-tien",
        "title": "Lao động tiên tiến",
        "subject_type": "person",
        "issuer_name": "Luật Thi đua, khen thưởng",
        "document_number": "06/2022/QH15",
        "document_date": dt.date(2022, 6, 15),
        "valid_from": dt.date(2024, 1, 1),
        "confirmation": "partly",
        "rule_kind": "levels",
        "level_labels": ["Đạt"],
        "note": "Diễn đạt các điều kiện theo văn bản 2013, cần đối chiếu văn bản hướng dẫn hiện hành.",
        "criteria": [
            (
                "Điều kiện",
                [
                    ("ht", "Hoàn thành tốt nhiệm vụ được giao", "yes_no", 10, 0, "", 1),
                    (
                        "cl",
                        "Chấp hành tốt chủ trương, chính sách, pháp luật",
                        "yes_no",
                        10,
                        0,
                        "",
                        1,
                    ),
                    ("tđ", "Tích cực tham gia phong trào thi đua", "yes_no", 10, 0, "", 1),
                    (
                        "hoc",
                        "Tích cực học tập (có việc học được xác nhận trong năm)",
                        "record",
                        10,
                        1,
                        "entries",
                        1,
                    ),
                ],
            ),
        ],
    },
    {
        "code": "tap-the-lao-dong-tien-tien",
        "title": "Tập thể lao động tiên tiến",
        "subject_type": "unit",
        "issuer_name": "Luật Thi đua, khen thưởng",
        "document_number": "06/2022/QH15",
        "document_date": dt.date(2022, 6, 15),
        "valid_from": dt.date(2024, 1, 1),
        "confirmation": "confirmed",
        "rule_kind": "levels",
        "level_labels": ["Đạt"],
        "criteria": [
            (
                "Điều kiện",
                [
                    (
                        "ldtt70",
                        "Từ 70% thành viên đạt Lao động tiên tiến",
                        "share",
                        10,
                        70,
                        "lao-dong-tien-tien",
                        1,
                    ),
                    (
                        "kyluat",
                        "Không có cá nhân bị kỷ luật từ khiển trách trở lên",
                        "yes_no",
                        10,
                        0,
                        "",
                        1,
                    ),
                ],
            ),
        ],
    },
    {
        "code": "cong-dong-hoc-tap-xa",
        "title": "Cộng đồng học tập cấp xã",
        "subject_type": "commune",
        "issuer_name": "Bộ Giáo dục và Đào tạo",
        "document_number": "25/2023/TT-BGDĐT",
        "document_date": dt.date(2023, 12, 28),
        "valid_from": dt.date(2024, 2, 12),
        "confirmation": "example",
        "rule_kind": "levels",
        "level_labels": ["Mức 1"],
        "note": "Ví dụ minh họa cách tính từ các danh hiệu bên trong xã (gia đình học tập, công dân học tập); các tỷ lệ là giả định, cần thay bằng quy định của TT 25/2023 khi đối chiếu.",
        "criteria": [
            (
                "Kết quả xây dựng các mô hình học tập",
                [
                    (
                        "gdht",
                        "Tỷ lệ gia đình đạt Gia đình học tập (ví dụ: từ 70%)",
                        "share",
                        10,
                        70,
                        "gia-dinh-hoc-tap",
                        1,
                    ),
                    (
                        "cdht",
                        "Tỷ lệ người dân đạt Công dân học tập (ví dụ: từ 50%)",
                        "share",
                        10,
                        50,
                        "cong-dan-hoc-tap",
                        1,
                    ),
                ],
            ),
            (
                "Điều kiện",
                [
                    (
                        "tthtcd",
                        "Trung tâm học tập cộng đồng hoạt động hiệu quả",
                        "yes_no",
                        10,
                        0,
                        "",
                        1,
                    ),
                ],
            ),
        ],
    },
    {
        "code": "gia-dinh-hoc-tap",
        "title": "Gia đình học tập",
        "subject_type": "family",
        "issuer_name": "Hội Khuyến học Việt Nam",
        "document_number": "448/QĐ-KHVN",
        "document_date": dt.date(2015, 1, 1),
        "valid_from": dt.date(2015, 1, 1),
        "confirmation": "example",
        "rule_kind": "points",
        "pass_total": Decimal("70"),
        "min_each": Decimal("0"),
        "note": "Ví dụ theo QĐ 448 (2015): chưa tìm thấy văn bản thay thế năm 2022; ngưỡng đạt là giả định, cần sửa khi có văn bản.",
        "criteria": [
            (
                "Việc học của trẻ em",
                [
                    (
                        "tre",
                        "Trẻ em trong độ tuổi đi học đều đến trường, học tập tiến bộ",
                        "points",
                        30,
                        0,
                        "",
                    )
                ],
            ),
            (
                "Việc học của người lớn",
                [("nguoilon", "Người lớn tham gia học tập thường xuyên", "points", 30, 0, "")],
            ),
            (
                "Điều kiện học tập của gia đình",
                [
                    (
                        "dieukien",
                        "Gia đình có tủ sách, góc học tập, điều kiện học",
                        "points",
                        20,
                        0,
                        "",
                    )
                ],
            ),
            (
                "Tác dụng của việc học",
                [
                    (
                        "tacdung",
                        "Việc học giúp kinh tế, đời sống gia đình tiến bộ",
                        "points",
                        20,
                        0,
                        "",
                    )
                ],
            ),
        ],
    },
]


def seed_sets(CriteriaSet, Criterion, Indicator) -> int:  # noqa: N803 - model classes
    made = 0
    for spec in SETS:
        fields = {k: v for k, v in spec.items() if k != "criteria"}
        cs, created = CriteriaSet.objects.get_or_create(
            code=spec["code"], version=1, defaults=fields
        )
        if not created:
            continue
        made += 1
        for c_order, (title, indicators) in enumerate(spec["criteria"], start=1):
            crit = Criterion.objects.create(criteria_set=cs, order=c_order, title=title)
            for i_order, row in enumerate(indicators, start=1):
                code, text, measure, max_points, target, extra = row[:6]
                level = row[6] if len(row) > 6 else 0
                Indicator.objects.create(
                    criteria_set=cs,
                    criterion=crit,
                    order=i_order,
                    code=code,
                    text=text,
                    measure=measure,
                    max_points=Decimal(max_points),
                    target=Decimal(target),
                    metric=extra if measure == "record" else "",
                    share_of=extra if measure == "share" else "",
                    level=level,
                )
    return made
