# ruff: noqa: E501 - long Vietnamese test data and literal bad inputs
"""Catalogue: search, the course player, completion (record, credential, xAPI), workflow,
authorisation and bad input."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from suotdoi.audit.models import AuditEvent
from suotdoi.catalog import actions
from suotdoi.catalog.models import Course, Enrolment, Resource, SearchDoc
from suotdoi.catalog.search import search
from suotdoi.core.errors import ApplicationError
from suotdoi.records.models import LearningEntry
from tests.catalog_helpers import online_course, provider_of, published

pytestmark = pytest.mark.django_db

CORPUS = [
    ("Kỹ năng số cho người lao động", "digital"),
    ("Kỹ năng sống cho thanh niên", "life"),
    ("Pháp luật lao động cơ bản", "law"),
    ("Bộ luật Lao động cho người lao động", "law"),
    ("An toàn trên mạng", "digital"),
    ("An toàn lao động trong xây dựng", "safety"),
    ("Đường lối của Đảng về học tập suốt đời", "political"),
    ("Tiếng Anh giao tiếp", "languages"),
    ("Chăm sóc sức khỏe người cao tuổi", "health"),
]


@pytest.fixture
def corpus(people, units):
    provider = provider_of(people, units)
    for title, cat in CORPUS:
        c = actions.course_create(
            actor=people["grassroots_chair"], provider=provider, title=title,
            summary="Khóa học của công đoàn.", category=cat, format="external",
            external_url="https://example.vn/k", hours=Decimal("4"),
        )  # fmt: skip
        published(people, c)
    actions.resource_add(
        actor=people["grassroots_chair"], provider=provider, title="Sổ tay an toàn mạng",
        summary="Tài liệu mở", kind="link", category="digital", url="https://example.vn/s",
        licence="CC-BY-4.0", author="Công đoàn", minutes=20,
    )  # fmt: skip
    return provider


def titles(q, **kw):
    return [d.title for d in search(q, per_page=100, **kw).items]


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("ky nang so", "Kỹ năng số cho người lao động"),
        ("Kỹ năng số", "Kỹ năng số cho người lao động"),
        ("phap luat lao dong", "Pháp luật lao động cơ bản"),
        ("duong loi", "Đường lối của Đảng về học tập suốt đời"),  # đ folded
        ("ĐƯỜNG LỐI", "Đường lối của Đảng về học tập suốt đời"),
        ("an toan mang", "An toàn trên mạng"),
        ("an toan mnag", "An toàn trên mạng"),  # a typo
        ("phap luaat lao dong", "Pháp luật lao động cơ bản"),  # another
        ("tieng anh", "Tiếng Anh giao tiếp"),
    ],
)
def test_search_is_diacritic_blind_and_typo_tolerant(corpus, query, expected_first):
    assert titles(query)[0] == expected_first


def test_title_matches_rank_first_and_results_are_the_same_list_on_every_database(corpus):
    # "lao dong" is in four titles and in none of the others' bodies; the shortest titles first.
    got = titles("lao dong")
    assert got == [
        "Pháp luật lao động cơ bản",
        "Kỹ năng số cho người lao động",
        "An toàn lao động trong xây dựng",
        "Bộ luật Lao động cho người lao động",
    ]
    # A resource and a course both match "an toan mang"; the body-only match comes after.
    assert titles("an toan mang") == ["An toàn trên mạng", "Sổ tay an toàn mạng"]
    assert titles(
        "an toan mang",
        filters=__import__("suotdoi.catalog.search", fromlist=["Filters"]).Filters(kind="resource"),
    ) == ["Sổ tay an toàn mạng"]
    assert titles("cong doan")  # words of the body (summary, provider) match too
    assert titles("xyzxyz") == []


def test_filters_and_members_only_courses(people, units, corpus):
    from suotdoi.catalog.search import Filters

    members_only = actions.course_create(
        actor=people["grassroots_chair"], provider=corpus, title="Nội quy công ty dành cho đoàn viên",
        summary="Chỉ cho đoàn viên.", category="law", format="external",
        external_url="https://example.vn/n", hours=Decimal("1"), audience_unit=units["grassroots"],
    )  # fmt: skip
    published(people, members_only)
    assert "Nội quy công ty dành cho đoàn viên" in titles("noi quy", person=people["member"])
    assert titles("noi quy", person=people["foreign_officer"]) == []
    assert titles("noi quy", person=None) == []
    assert titles("noi quy", person=people["provincial_officer"])  # staff above the unit
    assert titles("", filters=Filters(category="law"), person=None) == [
        "Bộ luật Lao động cho người lao động",
        "Pháp luật lao động cơ bản",
    ]
    assert set(titles("", filters=Filters(category="digital", kind="course"))) == {
        "Kỹ năng số cho người lao động",
        "An toàn trên mạng",
    }


def test_the_whole_online_course_writes_record_and_xapi_once(people, units, client_for):
    from suotdoi.records.lrs.models import Statement

    provider = provider_of(people, units)
    course = published(people, online_course(people, provider))
    member = client_for(people["member"])
    page = f"/catalog/courses/{course.pk}/"
    assert (
        "Đăng ký" in member.get(page).content.decode()
        or "Enrol" in member.get(page).content.decode()
    )
    member.post(f"/catalog/courses/{course.pk}/enrol/")
    e = Enrolment.objects.get(course=course, person=people["member"])
    lessons = list(course.lessons.order_by("order"))
    r = member.post(f"/catalog/courses/{course.pk}/lessons/{lessons[0].pk}/")
    assert r["Location"].endswith(f"/lessons/{lessons[1].pk}/")
    # Resume where you left off.
    assert f"/lessons/{lessons[1].pk}/" in member.get(page).content.decode()
    r = member.post(f"/catalog/courses/{course.pk}/lessons/{lessons[1].pk}/")
    assert r["Location"].endswith("/quiz/")
    e.refresh_from_db()
    assert e.lessons_done == 2 and e.status == "active"
    qs = {q.text: q for q in course.questions.all()}
    strong, otp = qs["Mật khẩu nào mạnh hơn?"], qs["Có nên gửi mã OTP cho người lạ?"]
    member.post(f"/catalog/courses/{course.pk}/quiz/", {f"q{strong.pk}": 0, f"q{otp.pk}": 0})
    e.refresh_from_db()
    assert e.attempts == 1 and not e.quiz_passed and e.status == "active"
    member.post(f"/catalog/courses/{course.pk}/quiz/", {f"q{strong.pk}": 1, f"q{otp.pk}": 1})
    e.refresh_from_db()
    assert e.status == "completed" and e.quiz_passed and e.best_score == 100
    entry = LearningEntry.objects.get(
        person=people["member"], source_key=f"catalog:{course.pk}:{people['member'].pk}"
    )
    assert entry.provenance == "issued" and entry.status == "verified" and entry.hours == 2
    st = Statement.objects.get(client__key=f"catalog-{units['grassroots'].pk}")
    assert st.data["verb"]["id"].endswith("/completed") and st.data["result"]["success"] is True
    # Not written twice (the LRS bridge is off for the platform's own statements).
    assert LearningEntry.objects.filter(person=people["member"], title=course.title).count() == 1
    # Done again: nothing more.
    actions.complete(actor=people["member"], enrolment=e)
    assert Statement.objects.count() == 1


def test_attempts_limit_and_draws(people, units):
    provider = provider_of(people, units)
    course = published(people, online_course(people, provider, attempts_limit=2))
    e = actions.enrol(person=people["member"], course=course)
    for _ in range(2):
        actions.quiz_submit(person=people["member"], enrolment=e, answers={})
    with pytest.raises(ApplicationError):
        actions.quiz_submit(person=people["member"], enrolment=e, answers={})
    e.refresh_from_db()
    assert e.attempts == 2


def test_short_and_multiple_answers_are_scored(people, units):
    provider = provider_of(people, units)
    course = online_course(people, provider, questions=False, pass_pct=100)
    a = people["grassroots_chair"]
    short = actions.question_add(
        actor=a, course=course, kind="short", text="Thủ đô?", answers=["Hà Nội"]
    )
    multi = actions.question_add(
        actor=a, course=course, kind="multiple", text="Mật khẩu tốt?",
        choices=[{"text": "dài", "correct": True}, {"text": "có ký hiệu", "correct": True}, {"text": "ngày sinh", "correct": False}],
    )  # fmt: skip
    published(people, course)
    e = actions.enrol(person=people["member"], course=course)
    att = actions.quiz_submit(
        person=people["member"], enrolment=e, answers={short.pk: "ha noi", multi.pk: [0]}
    )
    assert att.score_pct == 50
    att = actions.quiz_submit(
        person=people["member"], enrolment=e, answers={short.pk: "HÀ NỘI ", multi.pk: [1, 0]}
    )
    assert att.passed


def test_a_quiz_without_a_right_answer_cannot_be_published(people, units, client_for):
    provider = provider_of(people, units)
    course = online_course(people, provider, questions=False)
    actions.question_add(
        actor=people["grassroots_chair"], course=course, kind="single", text="Câu hỏi hỏng",
        choices=[{"text": "a", "correct": False}, {"text": "b", "correct": False}],
    )  # fmt: skip
    with pytest.raises(ApplicationError):
        actions.course_submit(actor=people["grassroots_chair"], course=course)
    chair = client_for(people["grassroots_chair"])
    page = chair.post(f"/catalog/manage/courses/{course.pk}/", {"publish": "1"}).content.decode()
    assert "Câu hỏi hỏng" in page
    course.refresh_from_db()
    assert course.status == "draft" and not SearchDoc.objects.exists()


def test_unsafe_lesson_html_is_sanitised(people, units):
    provider = provider_of(people, units)
    course = online_course(people, provider, questions=False)
    m = course.modules.get()
    lesson = actions.lesson_add(
        actor=people["grassroots_chair"], module=m, title="Bài 3", kind="text",
        body='<p onclick="steal()">Xin chào<script>alert(1)</script> <a href="javascript:alert(1)">x</a> <a href="https://a.vn">ok</a></p><style>p{}</style><iframe src="https://evil"></iframe>',
    )  # fmt: skip
    assert "script" not in lesson.body and "onclick" not in lesson.body
    assert (
        "javascript:" not in lesson.body
        and "iframe" not in lesson.body
        and "style" not in lesson.body
    )
    assert 'href="https://a.vn"' in lesson.body and "Xin chào" in lesson.body


def test_a_2_gb_upload_is_refused_politely_and_nothing_is_saved(people, units, client_for):
    provider = provider_of(people, units)
    course = online_course(people, provider, questions=False)
    chair = client_for(people["grassroots_chair"])
    before = course.lessons.count()
    r = chair.post(
        f"/catalog/manage/courses/{course.pk}/",
        {"l-title": "Video", "l-kind": "video", "l-module": course.modules.get().pk},
        CONTENT_LENGTH=str(2 * 1024**3),
    )
    assert r.status_code == 413
    assert "MB" in r.content.decode()
    # A wrong file under the limit: a clear message, no lesson.
    fake = SimpleUploadedFile("bai.mp4", b"not a video at all", content_type="video/mp4")
    page = chair.post(
        f"/catalog/manage/courses/{course.pk}/",
        {
            "l-title": "Video",
            "l-kind": "video",
            "l-module": course.modules.get().pk,
            "l-minutes": 5,
            "l-file": fake,
        },
    ).content.decode()
    assert course.lessons.count() == before
    assert ".mp4" in page


def test_waitlist_and_bulk_in_person_completion(people, units, client_for):
    import datetime as dt

    from django.utils import timezone

    provider = provider_of(people, units)
    a = people["grassroots_chair"]
    course = actions.course_create(
        actor=a, provider=provider, title="Sơ cấp cứu tại nơi làm việc", summary="Thực hành",
        category="safety", format="in_person", hours=Decimal("8"),
    )  # fmt: skip
    run = actions.run_add(
        actor=a, course=course, starts_at=timezone.now() + dt.timedelta(days=3),
        ends_at=timezone.now() + dt.timedelta(days=3, hours=8), place="Hội trường", seats=1,
    )  # fmt: skip
    published(people, course)
    first = actions.enrol(person=people["member"], course=course, run=run)
    second = actions.enrol(person=people["group_leader"], course=course, run=run)
    assert (first.status, second.status) == ("active", "waitlisted")
    assert actions.enrol(person=people["member"], course=course, run=run).pk == first.pk
    moved = actions.enrolment_cancel(actor=people["member"], enrolment=first)
    assert moved.pk == second.pk
    chair = client_for(a)
    chair.post(f"/catalog/manage/courses/{course.pk}/", {"complete": "1", "enrolment": [second.pk]})
    second.refresh_from_db()
    assert second.status == "completed"
    assert LearningEntry.objects.filter(person=people["group_leader"], title=course.title).exists()


def test_resource_studied_logs_a_self_declared_entry_once(people, units, client_for, corpus):
    r = Resource.objects.get()
    member = client_for(people["member"])
    member.post(f"/catalog/resources/{r.pk}/studied/")
    member.post(f"/catalog/resources/{r.pk}/studied/")
    entries = LearningEntry.objects.filter(person=people["member"], title=r.title)
    assert entries.count() == 1 and entries.get().provenance == "self_declared"


@pytest.mark.parametrize("outsider", ["foreign_officer", "association_officer", "member"])
def test_providers_edit_only_their_courses(people, units, client_for, outsider):
    provider = provider_of(people, units)
    course = online_course(people, provider)
    who = client_for(people[outsider])
    before = (
        AuditEvent.objects.count(),
        Course.objects.get(pk=course.pk).title,
        course.lessons.count(),
    )
    assert who.get(f"/catalog/manage/courses/{course.pk}/").status_code == 404
    assert who.get(f"/catalog/manage/{units['grassroots'].pk}/").status_code == 404
    for data in (
        {"c-title": "Bị sửa", "c-summary": "x", "c-category": "law", "c-format": "online", "c-hours": "1", "c-level": "basic", "c-language": "vi", "c-licence": "CC0-1.0", "c-price": 0, "c-pass_pct": 50, "c-attempts_limit": 1, "c-quiz_draw": 0},
        {"m-title": "Mô-đun lạ"},
        {"publish": "1"},
        {"submit": "1"},
    ):  # fmt: skip
        assert who.post(f"/catalog/manage/courses/{course.pk}/", data).status_code == 404
    assert (
        who.post(f"/catalog/manage/{units['grassroots'].pk}/", {"enable": "1"}).status_code == 404
    )
    # A draft is not visible to them either.
    assert who.get(f"/catalog/courses/{course.pk}/").status_code == 404
    after = (
        AuditEvent.objects.count(),
        Course.objects.get(pk=course.pk).title,
        course.lessons.count(),
    )
    assert after == before


def test_members_only_course_is_invisible_to_outsiders(people, units, client_for):
    provider = provider_of(people, units)
    course = published(people, online_course(people, provider, audience_unit=units["grassroots"]))
    assert client_for(people["member"]).get(f"/catalog/courses/{course.pk}/").status_code == 200
    for who in ("foreign_officer", "association_officer"):
        c = client_for(people[who])
        assert c.get(f"/catalog/courses/{course.pk}/").status_code == 404
        assert c.post(f"/catalog/courses/{course.pk}/enrol/").status_code == 404
        assert course.title not in c.get("/catalog/?q=an+toan").content.decode()
    assert client_for(None).get(f"/catalog/courses/{course.pk}/").status_code == 404
    assert not Enrolment.objects.exists()


def test_an_officer_cannot_publish_only_an_admin_can(people, units, client_for):
    provider = provider_of(people, units, key="group", actor="group_leader")
    course = online_course(people, provider)
    leader = client_for(people["group_leader"])  # officer of the union group
    leader.post(f"/catalog/manage/courses/{course.pk}/", {"submit": "1"})
    course.refresh_from_db()
    assert course.status == "review"
    assert leader.post(f"/catalog/manage/courses/{course.pk}/", {"publish": "1"}).status_code == 404
    client_for(people["grassroots_chair"]).post(
        f"/catalog/manage/courses/{course.pk}/", {"publish": "1"}
    )
    course.refresh_from_db()
    assert course.status == "published"


def test_search_page_query_count_is_pinned(
    people, units, client_for, corpus, django_assert_max_num_queries
):
    c = client_for(people["member"])
    with django_assert_max_num_queries(12):
        r = c.get("/catalog/?q=lao+dong")
    assert r.status_code == 200 and "Pháp luật lao động cơ bản" in r.content.decode()
    with django_assert_max_num_queries(14):
        assert c.get("/catalog/").status_code == 200


def test_completion_issues_a_credential_when_the_provider_wants_one(
    people, units, django_capture_on_commit_callbacks
):
    from suotdoi.credentials.actions import issuer_enable
    from suotdoi.credentials.models import Credential

    issuer_enable(actor=people["grassroots_chair"], unit=units["grassroots"])
    provider = provider_of(people, units)
    provider.issues_credentials = True
    provider.save()
    course = published(people, online_course(people, provider, questions=False))
    e = actions.enrol(person=people["member"], course=course)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in course.lessons.all():
            actions.lesson_done(person=people["member"], enrolment=e, lesson=lesson)
    e.refresh_from_db()
    assert e.status == "completed"
    cred = Credential.objects.get()
    assert cred.entry.title == course.title


def test_ids_above_999_are_written_without_thousand_separators(people, units, client_for):
    """Vietnamese number formatting writes 5000 as 5.000: ids in forms must not be formatted."""
    from suotdoi.catalog.models import Question

    provider = provider_of(people, units)
    course = online_course(people, provider, questions=False)
    Question.objects.create(
        pk=5000, course=course, kind="single", text="Câu hỏi",
        choices=[{"text": "a", "correct": True}, {"text": "b", "correct": False}],
    )  # fmt: skip
    course = published(people, course)
    actions.enrol(person=people["member"], course=course)
    html = client_for(people["member"]).get(f"/catalog/courses/{course.pk}/quiz/").content.decode()
    assert 'name="q5000"' in html and "q5.000" not in html
    assert client_for(people["member"]).get("/catalog/?q=an&provider=5000").status_code == 200


def test_a_members_only_course_is_created_on_the_page(people, units, client_for):
    """The audience list was a sliced queryset: every choice was refused as not valid."""
    from suotdoi.catalog import actions as catalog
    from suotdoi.catalog.models import Course

    chair = people["grassroots_chair"]
    g = units["grassroots"]
    catalog.provider_enable(actor=chair, unit=g)
    r = client_for(chair).post(
        f"/catalog/manage/{g.pk}/",
        {"c-title": "Nội quy công ty", "c-summary": "Cho công nhân mới", "c-category": "law",
         "c-level": "basic", "c-format": "online", "c-hours": "2", "c-price": "0",
         "c-audience_unit": str(units["group"].pk), "c-language": "vi", "c-licence": "CC0-1.0",
         "c-pass_pct": "70", "c-attempts_limit": "3", "c-quiz_draw": "0"},
    )  # fmt: skip
    assert r.status_code == 302
    assert Course.objects.get(title="Nội quy công ty").audience_unit_id == units["group"].pk
