# ruff: noqa: E501 - data: long Vietnamese titles and lesson texts
"""The demo catalogue: ~30 courses from four providers, two complete online courses with
lessons and a quiz, and ~50 open resources."""

from __future__ import annotations

from decimal import Decimal

from suotdoi.catalog import actions as cat

COURSES = [
    # (title, category, format, hours, price, provider key)
    ("Tin học văn phòng cơ bản", "digital", "in_person", 24, 0, "clc"),
    ("Sử dụng điện thoại thông minh cho người cao tuổi", "digital", "in_person", 6, 0, "clc"),
    ("Dịch vụ công trực tuyến: nộp hồ sơ không cần đến cơ quan", "digital", "online", 3, 0, "clc"),
    ("Kỹ năng số cho người lao động", "digital", "external", 8, 0, "federation"),
    ("Thanh toán không dùng tiền mặt an toàn", "digital", "online", 2, 0, "clc"),
    (
        "Chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh (sơ cấp)",
        "political",
        "blended",
        40,
        0,
        "federation",
    ),
    ("Nghị quyết Đại hội Công đoàn các cấp", "political", "in_person", 4, 0, "federation"),
    (
        "Học tập và làm theo tấm gương đạo đức Hồ Chí Minh",
        "political",
        "in_person",
        4,
        0,
        "grassroots",
    ),
    ("Luật Công đoàn năm 2024: những điểm mới", "law", "in_person", 3, 0, "federation"),
    ("Luật Bảo hiểm xã hội cho người lao động", "law", "external", 4, 0, "federation"),
    ("Pháp luật về hợp đồng lao động", "law", "in_person", 4, 0, "grassroots"),
    ("An toàn, vệ sinh lao động trong nhà máy", "safety", "in_person", 8, 0, "grassroots"),
    ("Sơ cấp cứu tại nơi làm việc", "safety", "in_person", 8, 0, "grassroots"),
    ("Phòng cháy, chữa cháy cơ bản", "safety", "in_person", 4, 0, "grassroots"),
    ("Tiếng Anh giao tiếp cho công nhân", "languages", "in_person", 60, 300000, "clc"),
    ("Tiếng Hàn sơ cấp", "languages", "in_person", 80, 500000, "clc"),
    ("Tiếng Nhật cho người đi làm", "languages", "external", 45, 0, "clc"),
    ("Chăm sóc sức khỏe người cao tuổi tại nhà", "health", "in_person", 6, 0, "association"),
    ("Dinh dưỡng cho gia đình", "health", "online", 2, 0, "association"),
    ("Phòng chống tác hại của thuốc lá", "health", "external", 1, 0, "association"),
    ("Nuôi dạy con trong thời đại số", "life", "in_person", 4, 0, "association"),
    ("Quản lý tài chính gia đình", "life", "online", 3, 0, "association"),
    ("Kỹ năng giao tiếp và làm việc nhóm", "professional", "in_person", 8, 0, "federation"),
    ("Kỹ thuật may công nghiệp nâng cao", "trades", "in_person", 120, 1500000, "clc"),
    ("Sửa chữa điện dân dụng", "trades", "in_person", 90, 1200000, "clc"),
    ("Trồng rau an toàn theo VietGAP", "trades", "in_person", 16, 0, "association"),
    ("Lịch sử và di sản cố đô Hoa Lư", "culture", "in_person", 3, 0, "association"),
    ("Câu lạc bộ đọc sách: đọc và chia sẻ", "culture", "in_person", 2, 0, "clc"),
]

RESOURCE_TOPICS = [
    ("Sổ tay an toàn trên mạng", "digital"), ("Hướng dẫn cài đặt VNeID", "digital"),
    ("Cách nhận biết tin nhắn lừa đảo", "digital"), ("Bảo mật tài khoản ngân hàng", "digital"),
    ("Bộ luật Lao động 2019 (văn bản)", "law"), ("Luật Công đoàn 2024 (văn bản)", "law"),
    ("Hỏi đáp về bảo hiểm xã hội một lần", "law"), ("Quyền lợi khi nghỉ thai sản", "law"),
    ("Tài liệu học tập bài viết “Học tập suốt đời”", "political"),
    ("Đề cương tuyên truyền kỷ niệm Ngày Quốc khánh", "political"),
    ("Phòng tránh tai nạn lao động khi làm việc trên cao", "safety"),
    ("Sử dụng bình chữa cháy đúng cách", "safety"), ("Sơ cứu người bị điện giật", "safety"),
    ("Chế độ ăn cho người tăng huyết áp", "health"), ("Bài tập thể dục tại chỗ cho công nhân", "health"),
    ("Phòng bệnh sốt xuất huyết", "health"), ("Kỹ năng nói trước đám đông", "professional"),
    ("Viết email công việc", "professional"), ("Lập kế hoạch chi tiêu tháng", "life"),
    ("Đọc sách cùng con", "life"), ("Truyện cổ tích Việt Nam chọn lọc", "culture"),
    ("Ca dao tục ngữ về học tập", "culture"), ("Từ vựng tiếng Anh nơi làm việc", "languages"),
    ("Mẫu câu tiếng Hàn cơ bản", "languages"), ("Kỹ thuật trồng rau thủy canh", "trades"),
]  # fmt: skip

LICENCES = ["CC-BY-4.0", "CC-BY-SA-4.0", "public-document", "CC-BY-NC-4.0"]


def seed_catalog(world) -> None:
    people, units = world.people, world.units
    officer = people["provincial_officer"]
    providers = {
        "clc": cat.provider_enable(
            actor=officer,
            unit=units["clc"],
            description="Trung tâm học tập cộng đồng: tin học, ngoại ngữ, nghề ngắn hạn.",
        ),
        "grassroots": cat.provider_enable(actor=officer, unit=units["grassroots"]),
        "federation": cat.provider_enable(
            actor=officer, unit=units["federation"], description="Ban Tuyên giáo - Nữ công."
        ),
        "association": cat.provider_enable(actor=officer, unit=units["association"]),
    }
    providers["clc"].issues_credentials = True
    providers["clc"].save(update_fields=["issues_credentials"])
    _labour_code(officer, providers["federation"])
    _online_safety(officer, providers["clc"])
    from django.utils import timezone

    for i, (title, category, fmt, hours, price, key) in enumerate(COURSES):
        c = cat.course_create(
            actor=officer,
            provider=providers[key],
            title=title,
            summary=f"{title}: khóa học của {providers[key].unit.name}.",
            category=category,
            format=fmt,
            hours=Decimal(hours),
            price=price,
            external_url="https://binhdanhocvuso.gov.vn/" if fmt == "external" else "",
            audience_unit=units["grassroots"] if key == "grassroots" and i % 2 else None,
        )
        if fmt in ("online", "blended"):
            m = cat.module_add(actor=officer, course=c, title="Nội dung chính")
            cat.lesson_add(
                actor=officer, module=m, title="Giới thiệu", kind="text",
                body=f"<p>{c.summary}</p><p>Bài học ngắn, học trên điện thoại.</p>",
            )  # fmt: skip
        if fmt in ("in_person", "blended"):
            start = timezone.now() + timezone.timedelta(days=7 + i)
            cat.run_add(
                actor=officer, course=c, starts_at=start,
                ends_at=start + timezone.timedelta(hours=min(hours, 8)),
                place=providers[key].unit.name, seats=30,
            )  # fmt: skip
        cat.course_submit(actor=officer, course=c)
        cat.course_publish(actor=officer, course=c)
    n = 0
    for round_ in range(2):
        for j, (title, category) in enumerate(RESOURCE_TOPICS):
            key = ["clc", "association", "federation", "grassroots"][(j + round_) % 4]
            cat.resource_add(
                actor=officer,
                provider=providers[key],
                title=title if round_ == 0 else f"{title} (bản tóm tắt)",
                summary=f"Tài liệu mở về {title.lower()}.",
                kind=["document", "link", "video"][j % 3] if round_ else "link",
                category=category,
                url="https://thuvienphapluat.vn/"
                if category == "law"
                else "https://vi.wikibooks.org/",
                licence=LICENCES[j % len(LICENCES)],
                author=providers[key].unit.name,
                source="Biên soạn cho Suốt Đời",
                minutes=15 + 5 * (j % 6),
            )
            n += 1


def _labour_code(officer, provider) -> None:
    c = cat.course_create(
        actor=officer,
        provider=provider,
        title="Bộ luật Lao động cho người lao động",
        summary="Hợp đồng, tiền lương, giờ làm việc và nghỉ ngơi: những điều người lao động cần biết.",
        category="law",
        tags=["pháp luật lao động", "quyền lợi người lao động"],
        format="online",
        hours=Decimal("3"),
        credits=Decimal("0.5"),
        licence="CC-BY-4.0",
        pass_pct=70,
        attempts_limit=3,
    )
    m1 = cat.module_add(actor=officer, course=c, title="Hợp đồng lao động")
    cat.lesson_add(
        actor=officer, module=m1, title="Các loại hợp đồng lao động", kind="text", minutes=15,
        body="<p>Bộ luật Lao động 2019 có hai loại hợp đồng: <strong>không xác định thời hạn</strong> "
        "và <strong>xác định thời hạn</strong> (không quá 36 tháng).</p><ul><li>Hợp đồng phải "
        "lập thành văn bản, trừ hợp đồng dưới 1 tháng.</li><li>Người lao động được giữ một bản.</li></ul>",
    )  # fmt: skip
    m2 = cat.module_add(actor=officer, course=c, title="Tiền lương và thời giờ làm việc")
    cat.lesson_add(
        actor=officer, module=m2, title="Giờ làm việc, làm thêm giờ", kind="text", minutes=15,
        body="<p>Thời giờ làm việc bình thường không quá <strong>8 giờ một ngày</strong> và 48 giờ "
        "một tuần. Làm thêm giờ phải được người lao động đồng ý và không quá 40 giờ một tháng.</p>",
    )  # fmt: skip
    for text, choices in (
        ("Hợp đồng xác định thời hạn dài nhất bao lâu?", [("36 tháng", True), ("60 tháng", False), ("12 tháng", False)]),
        ("Thời giờ làm việc bình thường tối đa một ngày?", [("8 giờ", True), ("10 giờ", False), ("12 giờ", False)]),
        ("Làm thêm giờ cần người lao động đồng ý.", [("Đúng", True), ("Sai", False)]),
    ):  # fmt: skip
        cat.question_add(
            actor=officer, course=c, kind="true_false" if len(choices) == 2 else "single",
            text=text, choices=[{"text": t, "correct": ok} for t, ok in choices],
        )  # fmt: skip
    cat.course_submit(actor=officer, course=c)
    cat.course_publish(actor=officer, course=c)


def _online_safety(officer, provider) -> None:
    c = cat.course_create(
        actor=officer,
        provider=provider,
        title="An toàn trên mạng",
        summary="Mật khẩu mạnh, nhận biết lừa đảo và bảo vệ tài khoản của bạn và gia đình.",
        category="digital",
        tags=["kỹ năng số", "an ninh mạng"],
        format="online",
        hours=Decimal("2"),
        licence="CC-BY-SA-4.0",
        pass_pct=100,
        attempts_limit=0,
    )
    m = cat.module_add(actor=officer, course=c, title="Tự bảo vệ trên mạng")
    cat.lesson_add(
        actor=officer, module=m, title="Mật khẩu mạnh", kind="text", minutes=10,
        body="<p>Mật khẩu mạnh dài ít nhất 12 ký tự, là một cụm từ dễ nhớ với bạn nhưng khó đoán "
        "với người khác, ví dụ <em>Ngựa-vằn-ăn-cỏ-2026!</em>. Không dùng ngày sinh.</p>",
    )  # fmt: skip
    cat.lesson_add(
        actor=officer, module=m, title="Nhận biết lừa đảo", kind="text", minutes=10,
        body="<p>Không ai chính đáng hỏi <strong>mã OTP</strong> của bạn. Không bấm vào đường dẫn "
        "lạ trong tin nhắn; gọi lại số điện thoại chính thức để kiểm tra.</p>",
    )  # fmt: skip
    cat.question_add(
        actor=officer, course=c, kind="single", text="Mật khẩu nào mạnh hơn?",
        choices=[{"text": "12031960", "correct": False}, {"text": "Ngựa-vằn-ăn-cỏ-2026!", "correct": True}],
        feedback="Cụm từ dài khó đoán hơn ngày sinh.",
    )  # fmt: skip
    cat.question_add(
        actor=officer, course=c, kind="true_false", text="Có nên đọc mã OTP cho người gọi điện tự xưng là ngân hàng?",
        choices=[{"text": "Đúng", "correct": False}, {"text": "Sai", "correct": True}],
        feedback="Ngân hàng không bao giờ hỏi mã OTP.",
    )  # fmt: skip
    cat.course_submit(actor=officer, course=c)
    cat.course_publish(actor=officer, course=c)
