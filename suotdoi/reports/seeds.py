"""The report forms shipped with Suốt Đời. No official form with these exact rows was found
(DOMAIN.md): they gather the indicators QĐ 387/QĐ-TTg and the federations' plans ask levels to
report, are marked as such, and are data — a level edits them and a change makes a version."""

# ruff: noqa: E501 - official wording


def _c(code, label, unit, source=None):
    return {
        "code": code,
        "label": label,
        "kind": "computed",
        "unit": unit,
        "source": source or code,
    }


def _t(code, label, unit):
    return {"code": code, "label": label, "kind": "typed", "unit": unit}


def _r(code, label, unit, num, den, scale=100):
    return {
        "code": code,
        "label": label,
        "kind": "ratio",
        "unit": unit,
        "num": num,
        "den": den,
        "scale": scale,
    }


def _x(code, label):
    return {"code": code, "label": label, "kind": "text"}


LEARNING = [
    _c("members", "Số đoàn viên, người lao động (đến cuối kỳ)", "người"),
    _c("learners", "Số người có hoạt động học tập được ghi nhận trong kỳ", "người"),
    _r("participation", "Tỷ lệ người tham gia học tập", "%", "learners", "members"),
    _c("hours", "Tổng số giờ học trong kỳ", "giờ"),
    _r("hours_per_member", "Số giờ học bình quân mỗi người", "giờ", "hours", "members", 1),
    _c("verified_hours", "Số giờ học đã được xác nhận", "giờ"),
    _r("verified_share", "Tỷ lệ giờ học được xác nhận", "%", "verified_hours", "hours"),
]

FORMS = [
    {
        "code": "cong-doan-hoc-tap-suot-doi",
        "title": "Báo cáo kết quả xây dựng xã hội học tập trong công nhân, viên chức, người lao động",
        "tree_kind": "union",
        "issuer_name": "Tổng Liên đoàn Lao động Việt Nam",
        "document_number": "Mẫu SĐ-CĐ-01",
        "note": "Các chỉ tiêu theo QĐ 387/QĐ-TTg (2022) và kế hoạch thực hiện của Tổng Liên đoàn; chưa đối chiếu với biểu mẫu chính thức.",
        "sections": [
            {
                "number": "I",
                "title": "Đặc điểm tình hình",
                "items": [
                    _x("context", "Đặc điểm, tình hình của đơn vị trong kỳ"),
                ],
            },
            {
                "number": "II",
                "title": "Kết quả học tập của đoàn viên, người lao động",
                "items": LEARNING
                + [
                    _t(
                        "skill_classes",
                        "Số lớp bồi dưỡng kỹ năng nghề, kỹ năng số do công đoàn phối hợp tổ chức",
                        "lớp",
                    ),
                ],
            },
            {
                "number": "III",
                "title": "Học tập, quán triệt và sinh hoạt chuyên đề",
                "items": [
                    _c("sessions", "Số buổi hội nghị, sinh hoạt chuyên đề đã tổ chức", "buổi"),
                    _c("attendances", "Số lượt người dự", "lượt"),
                    _c("tasks", "Số nhiệm vụ quán triệt kết thúc trong kỳ", "nhiệm vụ"),
                    _c("tasks_done", "Số nhiệm vụ đã hoàn thành", "nhiệm vụ"),
                    _r("tasks_rate", "Tỷ lệ hoàn thành", "%", "tasks_done", "tasks"),
                ],
            },
            {
                "number": "IV",
                "title": "Danh hiệu, tín chỉ, hỗ trợ học tập và thi trực tuyến",
                "items": [
                    _c(
                        "titles_person",
                        "Số danh hiệu học tập được công nhận cho cá nhân",
                        "danh hiệu",
                    ),
                    _c(
                        "titles_collective",
                        "Số danh hiệu học tập được công nhận cho tập thể",
                        "danh hiệu",
                    ),
                    _c("credits", "Số tín chỉ được công nhận cho đoàn viên", "tín chỉ"),
                    _c("fund_paid", "Kinh phí hỗ trợ học tập đã chi từ quỹ của đơn vị", "đồng"),
                    _c("fund_people", "Số người được hỗ trợ kinh phí học tập", "người"),
                    _c("contestants", "Số người dự thi trực tuyến", "người"),
                    _t("own_budget", "Kinh phí công đoàn chi cho học tập ngoài quỹ", "đồng"),
                ],
            },
            {
                "number": "V",
                "title": "Đánh giá chung",
                "items": [
                    _x("strengths", "Ưu điểm, mô hình hay"),
                    _x("difficulties", "Hạn chế, khó khăn, vướng mắc"),
                ],
            },
            {
                "number": "VI",
                "title": "Phương hướng và kiến nghị",
                "items": [
                    _x("next", "Phương hướng, nhiệm vụ kỳ tới"),
                    _x("proposals", "Kiến nghị, đề xuất với cấp trên"),
                ],
            },
        ],
    },
    {
        "code": "xa-xay-dung-xa-hoi-hoc-tap",
        "title": "Báo cáo kết quả xây dựng xã hội học tập cấp xã",
        "tree_kind": "administrative",
        "issuer_name": "Bộ Giáo dục và Đào tạo",
        "document_number": "Mẫu SĐ-XA-01",
        "note": "Các chỉ tiêu theo QĐ 387/QĐ-TTg (2022) cho cấp xã; chưa đối chiếu với biểu mẫu chính thức.",
        "sections": [
            {
                "number": "I",
                "title": "Đặc điểm tình hình",
                "items": [
                    _x("context", "Đặc điểm, tình hình của địa phương trong kỳ"),
                    _t("population", "Dân số của xã (người)", "người"),
                ],
            },
            {
                "number": "II",
                "title": "Kết quả học tập của người dân",
                "items": [
                    _c("members", "Số người trong sổ của xã trên hệ thống (đến cuối kỳ)", "người"),
                    _c("learners", "Số người có hoạt động học tập được ghi nhận trong kỳ", "người"),
                    _r("participation", "Tỷ lệ người tham gia học tập", "%", "learners", "members"),
                    _c("hours", "Tổng số giờ học trong kỳ", "giờ"),
                    _c("verified_hours", "Số giờ học đã được xác nhận", "giờ"),
                    _r(
                        "verified_share",
                        "Tỷ lệ giờ học được xác nhận",
                        "%",
                        "verified_hours",
                        "hours",
                    ),
                    _t("cltc_classes", "Số lớp do trung tâm học tập cộng đồng tổ chức", "lớp"),
                    _t(
                        "cltc_learners", "Số lượt người học tại trung tâm học tập cộng đồng", "lượt"
                    ),
                ],
            },
            {
                "number": "III",
                "title": "Các danh hiệu học tập",
                "items": [
                    _c("titles_person", "Số công dân học tập được công nhận", "người"),
                    _c("titles_family", "Số gia đình học tập được công nhận", "gia đình"),
                    _c(
                        "titles_collective",
                        "Số dòng họ, cộng đồng, đơn vị học tập được công nhận",
                        "danh hiệu",
                    ),
                    _t("households", "Tổng số hộ gia đình của xã", "hộ"),
                    _r(
                        "family_share",
                        "Tỷ lệ gia đình học tập trên tổng số hộ",
                        "%",
                        "titles_family",
                        "households",
                    ),
                ],
            },
            {
                "number": "IV",
                "title": "Hoạt động và hỗ trợ học tập",
                "items": [
                    _c("sessions", "Số buổi sinh hoạt chuyên đề, tuyên truyền đã tổ chức", "buổi"),
                    _c("attendances", "Số lượt người dự", "lượt"),
                    _c("fund_paid", "Kinh phí hỗ trợ học tập đã chi từ quỹ của xã", "đồng"),
                    _c("contestants", "Số người dự thi trực tuyến", "người"),
                ],
            },
            {
                "number": "V",
                "title": "Đánh giá chung, phương hướng và kiến nghị",
                "items": [
                    _x("strengths", "Ưu điểm, mô hình hay"),
                    _x("difficulties", "Hạn chế, khó khăn"),
                    _x("proposals", "Kiến nghị, đề xuất"),
                ],
            },
        ],
    },
]


def seed_forms(ReportForm) -> None:  # noqa: N803 - the historical model in a migration
    for spec in FORMS:
        ReportForm.objects.get_or_create(code=spec["code"], version=1, defaults=spec)
