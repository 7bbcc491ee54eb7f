"""Benchmark: the catalogue's search and lesson page with 100,000 courses and resources
(PostgreSQL).

Fills a fresh database (BENCH_DATABASE_URL; the bench wipes it) with 200 providers, 70,000
published courses and 30,000 open resources whose titles are drawn from Vietnamese topic words,
indexed as the catalogue's actions index them (bulk, not timed). Then serves the app with
granian (production settings, 2 workers) on 127.0.0.1 and times, sequentially over HTTP:

  - search pages for a mix of queries (without accents, with accents, with a typo, with a
    filter), as an anonymous visitor and as a signed-in member (target p95 ≤ 50 ms);
  - a lesson page of an online course for a signed-in learner (target median ≤ 50 ms).

    BENCH_DATABASE_URL=postgres://…/scratch python bench/catalog.py [--docs 100000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import urllib.parse
import urllib.request
from decimal import Decimal

from _setup import BENCH_SECRET, serve_production, use_database

TOPICS = [
    "Kỹ năng số", "Pháp luật lao động", "An toàn trên mạng", "An toàn lao động", "Tin học văn phòng",
    "Tiếng Anh giao tiếp", "Tiếng Hàn", "Tiếng Nhật", "Sơ cấp cứu", "Phòng cháy chữa cháy",
    "Chăm sóc sức khỏe", "Dinh dưỡng", "Nuôi dạy con", "Tài chính gia đình", "Kỹ năng giao tiếp",
    "Làm việc nhóm", "May công nghiệp", "Điện dân dụng", "Trồng rau an toàn", "Chăn nuôi",
    "Lịch sử địa phương", "Di sản văn hóa", "Đọc sách", "Tư tưởng Hồ Chí Minh", "Luật Công đoàn",
    "Bảo hiểm xã hội", "Hợp đồng lao động", "Dịch vụ công trực tuyến", "Thương mại điện tử",
    "Khởi nghiệp", "Quản lý thời gian", "Kỹ năng thuyết trình", "Sửa chữa xe máy", "Nấu ăn",
    "Hàn điện", "Lái xe an toàn", "Phòng chống ma túy", "Bình đẳng giới", "Chuyển đổi số",
]  # fmt: skip
QUALIFIERS = [
    "cơ bản", "nâng cao", "cho người lao động", "cho người cao tuổi", "cho thanh niên",
    "cho phụ nữ", "tại nơi làm việc", "trong gia đình", "thực hành", "trực tuyến", "cấp tốc",
    "cho cán bộ công đoàn", "cho nông dân", "cho doanh nghiệp nhỏ", "ở khu công nghiệp",
]  # fmt: skip
QUERIES = [
    "ky nang so", "Kỹ năng số", "phap luat lao dong", "an toan mang", "an toan mnag",
    "tieng anh giao tiep", "so cap cuu", "phong chay", "cham soc suc khoe nguoi cao tuoi",
    "tai chinh gia dinh", "may cong nghiep nang cao", "dien dan dung", "trong rau", "luat cong doan",
    "bao hiem xa hoi", "hop dong lao dong", "chuyen doi so", "khoi nghiep", "nau an",
    "lai xe an toan", "thuyet trinh", "quan ly thoi gian", "tieng han", "tieng nhat co ban",
    "ky nang giao tiep cho thanh nien", "tu tuong ho chi minh", "binh dang gioi", "phap luaat",
    "thuong mai dien tu", "doc sach",
]  # fmt: skip


def build(n_docs: int):
    from suotdoi.catalog import search as catalog_search
    from suotdoi.catalog.models import (
        Category,
        Course,
        Format,
        Lesson,
        Module,
        Provider,
        Resource,
        SearchDoc,
        Status,
    )
    from suotdoi.core.text import fold
    from suotdoi.organisations.models import Unit, UnitType
    from suotdoi.people.models import Person

    rng = random.Random(7)
    officer = Person.objects.create_user(full_name="Cán Bộ Thử", phone="+84912999998", password="x")
    tinh = UnitType.objects.get(code="ldld-tinh")
    cdcs = UnitType.objects.get(code="cdcs")
    root = Unit.objects.add_root(
        {"name": "Liên đoàn Lao động tỉnh Thử Tải", "code": "LDLD-CAT", "unit_type": tinh}
    )
    providers = [
        Provider.objects.create(
            unit=Unit.objects.add_child(
                root,
                {"name": f"Trung tâm đào tạo số {i + 1}", "code": f"TT-{i}", "unit_type": cdcs},
            )
        )
        for i in range(200)
    ]
    cats = [c for c, _l in Category.choices]
    fmts = [Format.ONLINE, Format.IN_PERSON, Format.BLENDED, Format.EXTERNAL]
    n_courses = n_docs * 7 // 10
    courses, resources = [], []
    for i in range(n_courses):
        title = f"{rng.choice(TOPICS)} {rng.choice(QUALIFIERS)}"
        if i % 3 == 0:
            title += f" (khóa {i % 97 + 1})"
        courses.append(
            Course(
                provider=rng.choice(providers),
                title=title,
                summary=f"{title}: khóa học {rng.choice(QUALIFIERS)}, {rng.choice(TOPICS).lower()}.",
                category=rng.choice(cats),
                format=rng.choice(fmts),
                hours=Decimal(rng.choice([1, 2, 4, 8, 16, 40])),
                price=rng.choice([0, 0, 0, 200000, 500000]),
                status=Status.PUBLISHED,
                created_by=officer,
                external_url="https://example.vn/",
            )
        )
    Course.objects.bulk_create(courses, batch_size=5000)
    for _i in range(n_docs - n_courses):
        title = f"Tài liệu {rng.choice(TOPICS).lower()} {rng.choice(QUALIFIERS)}"
        resources.append(
            Resource(
                provider=rng.choice(providers),
                title=title,
                summary=f"Học liệu mở về {rng.choice(TOPICS).lower()}.",
                kind=rng.choice(["document", "video", "link"]),
                category=rng.choice(cats),
                url="https://example.vn/",
                licence="CC-BY-4.0",
                author="Biên soạn",
                created_by=officer,
            )
        )
    Resource.objects.bulk_create(resources, batch_size=5000)
    units = {p.pk: p.unit for p in providers}
    docs = []
    texts = []
    for kind, rows in ((SearchDoc.COURSE, courses), (SearchDoc.RESOURCE, resources)):
        for o in rows:
            body = f"{o.summary} {units[o.provider_id].name} {o.get_category_display()}"
            texts.append(o.title + " " + body)
            docs.append(
                SearchDoc(
                    kind=kind,
                    object_id=o.pk,
                    title=o.title,
                    title_folded=fold(o.title),
                    body_folded=fold(body),
                    category=o.category,
                    format=getattr(o, "format", ""),
                    price=getattr(o, "price", 0),
                    hours=getattr(o, "hours", Decimal(o.minutes) / 60 if kind == "resource" else 0),
                    provider_id=o.provider_id,
                    audience_path="",
                )
            )
    SearchDoc.objects.bulk_create(docs, batch_size=5000)
    catalog_search.remember_words(texts)
    # One online course with a lesson, for the lesson page.
    course = courses[0]
    course.format = Format.ONLINE
    course.save(update_fields=["format"])
    m = Module.objects.create(course=course, title="Nội dung", order=1)
    lessons = [
        Lesson.objects.create(
            module=m,
            course=course,
            order=j + 1,
            title=f"Bài {j + 1}",
            kind="text",
            body="<p>" + "Nội dung bài học ngắn gọn trên điện thoại. " * 40 + "</p>",
        )
        for j in range(5)
    ]
    from django.db import connection

    with connection.cursor() as cur:  # what autovacuum does after a bulk load (GIN pending list)
        cur.execute("VACUUM ANALYZE")
    return course, lessons


def timed(url: str, n: int, cookie: str | None = None) -> list[float]:
    out = []
    for _ in range(n):
        req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
        t0 = time.perf_counter()
        with urllib.request.urlopen(req, timeout=10) as r:  # noqa: S310 - 127.0.0.1 only
            r.read()
            assert r.status == 200
        out.append((time.perf_counter() - t0) * 1000)
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--port", type=int, default=8794)
    args = parser.parse_args()
    url = use_database("postgres")
    from django.conf import settings

    settings.SECRET_KEY = BENCH_SECRET
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from suotdoi.catalog import actions
    from suotdoi.catalog.models import SearchDoc
    from suotdoi.people.models import Person

    t0 = time.perf_counter()
    course, lessons = build(args.docs)
    print(f"catalogue: {SearchDoc.objects.count():,} courses and resources indexed "
          f"({time.perf_counter() - t0:.0f} s to build)")  # fmt: skip
    learner = Person.objects.create_user(full_name="Người Học", phone="+84912999997", password="x")
    e = actions.enrol(person=learner, course=course)
    store = SessionStore()
    store[SESSION_KEY] = str(learner.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = learner.get_session_auth_hash()
    store.create()
    cookie = f"sessionid={store.session_key}"
    assert e.pk
    with serve_production(url, args.port, static=True) as base:
        rng = random.Random(11)
        timed(f"{base}/catalog/?q=ky+nang+so", 20)  # warm up both workers
        anon, member = [], []
        filters = ["", "&price=free", "&format=online", "&category=law", "&kind=course"]
        for i in range(args.requests):
            q = urllib.parse.quote_plus(rng.choice(QUERIES)) + rng.choice(filters)
            (anon if i % 2 else member).extend(
                timed(f"{base}/catalog/?q={q}", 1, None if i % 2 else cookie)
            )
        both = anon + member
        print(
            f"search page over HTTP, {len(both)} queries: median {statistics.median(both):.1f} ms, "
            f"p95 {pct(both, 95):.1f} ms, max {max(both):.1f} ms "
            f"(anonymous p95 {pct(anon, 95):.1f} ms, signed-in p95 {pct(member, 95):.1f} ms)"
        )
        lesson_url = f"{base}/catalog/courses/{course.pk}/lessons/{lessons[2].pk}/"
        timed(lesson_url, 10, cookie)
        times = timed(lesson_url, 200, cookie)
        print(
            f"lesson page over HTTP (signed-in learner), 200 requests: median "
            f"{statistics.median(times):.1f} ms, p95 {pct(times, 95):.1f} ms"
        )
    from suotdoi.catalog.search import search

    t0 = time.perf_counter()
    for q in QUERIES:
        search(q)
    took = (time.perf_counter() - t0) * 1000 / len(QUERIES)
    print(f"search function alone (a page of 20 and its count): {took:.1f} ms per query on average")


if __name__ == "__main__":
    sys.exit(main())
