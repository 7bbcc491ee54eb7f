"""A small catalogue for tests: a provider with a complete online course and resources."""

from decimal import Decimal

from suotdoi.catalog import actions


def provider_of(people, units, key="grassroots", actor="grassroots_chair"):
    return actions.provider_enable(actor=people[actor], unit=units[key])


def online_course(people, provider, *, title="An toàn trên mạng", questions=True, **kw):
    actor = people["grassroots_chair"]
    fields = {
        "title": title,
        "summary": "Nhận biết lừa đảo qua mạng, bảo vệ mật khẩu và tài khoản.",
        "category": "digital",
        "tags": ["an ninh mạng", "kỹ năng số"],
        "format": "online",
        "hours": Decimal("2"),
        "pass_pct": 100,
        "attempts_limit": 3,
    }
    fields.update(kw)
    course = actions.course_create(actor=actor, provider=provider, **fields)
    m = actions.module_add(actor=actor, course=course, title="Cơ bản")
    actions.lesson_add(
        actor=actor, module=m, title="Mật khẩu mạnh", kind="text", body="<p>Dùng mật khẩu dài.</p>"
    )
    actions.lesson_add(
        actor=actor,
        module=m,
        title="Nhận biết lừa đảo",
        kind="text",
        body="<p>Không bấm liên kết lạ.</p>",
    )
    if questions:
        actions.question_add(
            actor=actor,
            course=course,
            kind="single",
            text="Mật khẩu nào mạnh hơn?",
            choices=[
                {"text": "123456", "correct": False},
                {"text": "Ngựa-vằn-ăn-cỏ-2026!", "correct": True},
            ],
        )
        actions.question_add(
            actor=actor,
            course=course,
            kind="true_false",
            text="Có nên gửi mã OTP cho người lạ?",
            choices=[{"text": "Đúng", "correct": False}, {"text": "Sai", "correct": True}],
        )
    return course


def published(people, course):
    actions.course_submit(actor=people["grassroots_chair"], course=course)
    return actions.course_publish(actor=people["grassroots_chair"], course=course)
