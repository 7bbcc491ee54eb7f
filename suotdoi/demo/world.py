"""The demo world: one province's federation, Study Promotion Association and communes over the
same people, plus a small "foreign" federation in another province.

`make run` builds the full world (~2,000 people); the test suite builds the same shape small
(`size="small"`), so tests and demo exercise the same structure and the same personas.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from suotdoi.audit.actions import audit_log
from suotdoi.organisations import actions as org
from suotdoi.organisations.models import Membership, Role, Unit, UnitType
from suotdoi.people.models import Person

DEMO_PASSWORD = "HocTapSuotDoi@2026"  # noqa: S105 - published demo password, dev only
# Officers must use two-factor sign-in; demo officers share this published TOTP secret so that
# an authenticator app (or `manage.py demo_logins`) gives the code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - published, dev only

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trịnh",
    "Mai",
    "Tạ",
]
MIDDLE_F = ["Thị", "Thị", "Ngọc", "Thu", "Thanh", "Hồng", "Kim", "Minh", "Phương", "Thùy"]
MIDDLE_M = ["Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Xuân", "Thanh", "Công", "Đình"]
GIVEN_F = [
    "An",
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hoa",
    "Hương",
    "Huyền",
    "Lan",
    "Liên",
    "Linh",
    "Mai",
    "Nga",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Thảo",
    "Thủy",
    "Trang",
    "Vân",
    "Yến",
    "Ánh",
    "Duyên",
    "Loan",
]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Giang",
    "Hải",
    "Hiếu",
    "Hùng",
    "Huy",
    "Khánh",
    "Long",
    "Minh",
    "Nam",
    "Phong",
    "Quang",
    "Sơn",
    "Tâm",
    "Thắng",
    "Thành",
    "Toàn",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Đức",
    "Lực",
]
COMPANIES = [
    "Công ty TNHH May Hoa Lư",
    "Công ty CP Xi măng Tam Điệp",
    "Công ty TNHH Giày Kim Sơn",
    "Nhà máy Phân đạm Ninh Bình",
    "Công ty CP Bia Hà Nam",
    "Công ty TNHH Điện tử Gián Khẩu",
    "Công ty CP Dệt Nam Định",
    "Công ty TNHH Chế biến Gỗ Gia Viễn",
    "Công ty CP Du lịch Tràng An",
    "Công ty TNHH Cơ khí Yên Mô",
    "Bệnh viện Đa khoa tỉnh",
    "Công ty Điện lực Ninh Bình",
    "Công ty CP Cấp nước Ninh Bình",
    "Công ty TNHH Thực phẩm Ý Yên",
    "Công ty CP Vận tải Phủ Lý",
    "Công ty TNHH Linh kiện Khánh Phú",
    "Hợp tác xã Nông nghiệp Gia Tân",
    "Công ty CP Gạch Tuynel Yên Khánh",
    "Trường Cao đẳng Cơ điện Xây dựng",
    "Công ty TNHH Thêu ren Văn Lâm",
]
COMMUNES = [
    "Phường Hoa Lư",
    "Phường Tam Điệp",
    "Xã Gia Viễn",
    "Xã Yên Mô",
    "Xã Kim Sơn",
    "Phường Phủ Lý",
    "Xã Ý Yên",
    "Phường Nam Định",
]
VILLAGES = ["Thôn Đông", "Thôn Đoài", "Thôn Thượng", "Tổ dân phố số 3"]
CLANS = ["Dòng họ Nguyễn Văn", "Dòng họ Đinh", "Dòng họ Phạm Đức"]


@dataclass(frozen=True)
class Persona:
    key: str
    full_name: str
    phone: str
    gender: str
    role_label: str  # English; translated where shown


PERSONAS = [
    Persona("member", "Nguyễn Thị Mai", "+84912000001", "female", "Member (worker)"),
    Persona("group_leader", "Trần Văn Hùng", "+84912000002", "male", "Union-group leader"),
    Persona("grassroots_chair", "Lê Thị Hương", "+84912000003", "female", "Grassroots union chair"),
    Persona(
        "provincial_officer",
        "Phạm Quốc Tuấn",
        "+84912000004",
        "male",
        "Provincial federation officer",
    ),
    Persona(
        "association_officer",
        "Hoàng Thị Lan",
        "+84912000005",
        "female",
        "Study Promotion Association officer",
    ),
    Persona("commune_officer", "Vũ Đức Nam", "+84912000006", "male", "Commune officer"),
    Persona(
        "foreign_officer",
        "Đinh Văn Cường",
        "+84913000007",
        "male",
        "Officer of another province's federation (foreign tree)",
    ),
]


@dataclass
class World:
    people: dict
    units: dict


def _types() -> dict[str, UnitType]:
    if not UnitType.objects.exists():
        # A flushed test database loses migration data; seed the types again (idempotent).
        import importlib

        from django.apps import apps

        importlib.import_module("suotdoi.organisations.migrations.0002_seed_unit_types").seed(
            apps, None
        )
    return {t.code: t for t in UnitType.objects.all()}


def _reference_data() -> None:
    """Competence tags, criteria sets and report forms come from migrations; a flushed test
    database (the browser tests') loses them: seed them again (the seeds are idempotent)."""
    import importlib

    from django.apps import apps

    from suotdoi.recognition.models import CriteriaSet, Criterion, Indicator
    from suotdoi.recognition.seeds import seed_sets
    from suotdoi.records.models import CompetenceTag

    if not CompetenceTag.objects.exists():
        importlib.import_module("suotdoi.records.migrations.0002_seed_competence_tags").seed(
            apps, None
        )
    if not CriteriaSet.objects.exists():
        seed_sets(CriteriaSet, Criterion, Indicator)
    from suotdoi.reports.models import ReportForm
    from suotdoi.reports.seeds import seed_forms

    seed_forms(ReportForm)


def _random_person(rng: random.Random, n: int) -> Person:
    female = rng.random() < 0.5
    name = " ".join(
        [
            rng.choice(FAMILY),
            rng.choice(MIDDLE_F if female else MIDDLE_M),
            rng.choice(GIVEN_F if female else GIVEN_M),
        ]
    )
    born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 45))
    # Demo numbers live in a reserved-looking block so nobody real is messaged.
    phone = f"+8498{n:07d}" if rng.random() < 0.85 else None
    cccd = f"0{rng.randrange(1, 96):02d}{1 if born.year < 2000 else 3}{born.year % 100:02d}{n:06d}"
    return Person(
        full_name=name,
        gender="female" if female else "male",
        date_of_birth=born,
        phone=phone,
        national_id=cccd,
    )


@transaction.atomic
def build_world(*, size: str = "full", seed: int = 2026) -> World:
    """Create the demo world through the same actions the product uses (bulk for crowds)."""
    rng = random.Random(seed)
    small = size == "small"
    t = _types()
    _reference_data()
    admin = Person.objects.create_superuser(
        email="admin@suotdoi.local",
        password=DEMO_PASSWORD,
        full_name="Quản trị Hệ thống",
        phone="+84912000000",
    )
    u: dict[str, Unit] = {}

    def unit(key, parent, name, code, type_code, **kw):
        kw.setdefault("active_from", dt.date(2020, 1, 1))
        u[key] = org.unit_create(
            actor=admin, parent=parent, name=name, code=code, unit_type=t[type_code], **kw
        )
        return u[key]

    # Trade-union tree
    unit(
        "vgcl",
        None,
        "Tổng Liên đoàn Lao động Việt Nam",
        "TLD",
        "tong-lien-doan",
        short_name="Tổng LĐLĐVN",
    )
    unit(
        "federation",
        u["vgcl"],
        "Liên đoàn Lao động tỉnh Ninh Bình",
        "LDLD-NB",
        "ldld-tinh",
        short_name="LĐLĐ Ninh Bình",
        address="Đường Lê Hồng Phong, phường Hoa Lư, Ninh Bình",
    )
    superiors = [
        unit(
            "sup1",
            u["federation"],
            "Công đoàn các Khu công nghiệp tỉnh Ninh Bình",
            "CD-KCN",
            "cdct-truc-tiep",
        ),
        unit("sup2", u["federation"], "Công đoàn phường Hoa Lư", "CD-HOALU", "cdct-truc-tiep"),
        unit("sup3", u["federation"], "Công đoàn ngành Y tế tỉnh", "CD-YTE", "cdct-truc-tiep"),
    ]
    n_grassroots = 4 if small else len(COMPANIES)
    groups: list[Unit] = []
    grassroots: list[Unit] = []
    for i in range(n_grassroots):
        g = unit(
            f"grassroots{i}",
            superiors[i % 3],
            f"Công đoàn cơ sở {COMPANIES[i]}",
            f"CDCS-{i + 1:03d}",
            "cdcs",
        )
        grassroots.append(g)
        for j in range(3):
            groups.append(
                unit(
                    f"group{i}_{j}",
                    g,
                    f"Tổ công đoàn số {j + 1}",
                    f"TCD-{i + 1:03d}-{j + 1}",
                    "to-cong-doan",
                )
            )
    u["grassroots"] = grassroots[0]
    u["group"] = groups[0]
    u["sibling_group"] = groups[1]
    # Foreign tree: another province's federation, same confederation root.
    unit(
        "foreign_federation", u["vgcl"], "Liên đoàn Lao động tỉnh Cao Bằng", "LDLD-CB", "ldld-tinh"
    )
    unit(
        "foreign_grassroots",
        u["foreign_federation"],
        "Công đoàn cơ sở Công ty CP Khoáng sản Cao Bằng",
        "CDCS-CB-001",
        "cdcs",
    )

    # Administrative tree and Study Promotion Association tree over the same people
    unit("province", None, "Tỉnh Ninh Bình", "NB", "tinh")
    unit("association", None, "Hội Khuyến học tỉnh Ninh Bình", "HKH-NB", "hkh-tinh")
    villages: list[Unit] = []
    branches: list[Unit] = []
    communes = COMMUNES[:2] if small else COMMUNES
    for i, cname in enumerate(communes):
        c = unit(f"commune{i}", u["province"], cname, f"XA-{i + 1:02d}", "xa")
        a = unit(
            f"assoc_commune{i}",
            u["association"],
            f"Hội Khuyến học {cname.lower()}",
            f"HKH-XA-{i + 1:02d}",
            "hkh-xa",
        )
        for j, vname in enumerate(VILLAGES[: 2 if small else 4]):
            villages.append(unit(f"village{i}_{j}", c, vname, f"TH-{i + 1:02d}-{j + 1}", "thon"))
            branches.append(
                unit(
                    f"branch{i}_{j}",
                    a,
                    f"Chi hội khuyến học {vname.lower()}",
                    f"CH-{i + 1:02d}-{j + 1}",
                    "chi-hoi",
                )
            )
        if i == 0:
            for k, clan in enumerate(CLANS):
                unit(f"clan{k}", a, clan, f"DH-{i + 1:02d}-{k + 1}", "dong-ho")
    u["commune"] = u["commune0"]
    u["village"] = villages[0]
    unit("library", u["commune0"], "Thư viện tỉnh Ninh Bình", "TV-NB", "thu-vien")
    unit("clc", u["commune0"], "Trung tâm học tập cộng đồng phường Hoa Lư", "TTHTCD-HL", "tthtcd")

    # Personas, through the real actions
    people: dict[str, Person] = {"admin": admin}
    for p in PERSONAS:
        people[p.key] = Person.objects.create_user(
            full_name=p.full_name,
            phone=p.phone,
            gender=p.gender,
            password=DEMO_PASSWORD,
            email=f"{p.key.replace('_', '.')}@demo.suotdoi.local",
        )
    today = dt.date(2025, 7, 1)
    grants = [
        ("member", "group", Role.MEMBER, "Công nhân may"),
        ("member", "village", Role.MEMBER, ""),
        ("member", "branch0_0", Role.MEMBER, ""),
        ("member", "clc", Role.MEMBER, "Học viên"),
        ("group_leader", "group", Role.OFFICER, "Tổ trưởng tổ công đoàn"),
        ("grassroots_chair", "grassroots", Role.ADMIN, "Chủ tịch công đoàn cơ sở"),
        ("provincial_officer", "federation", Role.ADMIN, "Trưởng ban Tuyên giáo"),
        ("association_officer", "association", Role.ADMIN, "Phó Chủ tịch Hội"),
        ("commune_officer", "commune", Role.OFFICER, "Công chức Văn hóa - Xã hội"),
        ("foreign_officer", "foreign_federation", Role.ADMIN, "Trưởng ban Tổ chức"),
    ]
    for who, where, role, title in grants:
        org.membership_add(
            actor=admin,
            unit=u[where],
            person=people[who],
            role=role,
            position_title=title,
            start_date=today,
        )
    from allauth.mfa.totp.internal.auth import TOTP

    for key in (
        "group_leader",
        "grassroots_chair",
        "provincial_officer",
        "association_officer",
        "commune_officer",
        "foreign_officer",
    ):
        TOTP.activate(people[key], DEMO_TOTP_SECRET)
    TOTP.activate(admin, DEMO_TOTP_SECRET)

    # The crowd: bulk, like an import
    n_people = 40 if small else 2000
    crowd = [_random_person(rng, i) for i in range(n_people)]
    password = make_password(None)
    for p in crowd:
        p.password = password
        p.fill_derived()
    Person.objects.bulk_create(crowd, batch_size=500)
    rows = []
    for i, p in enumerate(crowd):
        home = villages[i % len(villages)]
        rows.append((p, home))
        if rng.random() < 0.75:
            rows.append((p, groups[rng.randrange(len(groups))]))
        if rng.random() < 0.4:
            rows.append((p, branches[i % len(branches)]))
    start = dt.date(2020, 1, 1)
    Membership.objects.bulk_create(
        [
            Membership(
                person=p,
                unit=unit_,
                role=Role.MEMBER,
                unit_path=unit_.path,
                person_name_sort=p.name_sort,
                start_date=start + dt.timedelta(days=rng.randrange(0, 1800)),
            )
            for p, unit_ in rows
        ],
        batch_size=1000,
    )
    foreign_people = [_random_person(rng, 900000 + i) for i in range(5 if small else 50)]
    for p in foreign_people:
        p.password = password
        p.fill_derived()
    Person.objects.bulk_create(foreign_people)
    Membership.objects.bulk_create(
        [
            Membership(
                person=p,
                unit=u["foreign_grassroots"],
                unit_path=u["foreign_grassroots"].path,
                person_name_sort=p.name_sort,
                start_date=start,
            )
            for p in foreign_people
        ]
    )
    org.unit_recount_members()
    _issuers(admin=admin, u=u)
    audit_log(actor=admin, verb="demo.build_world", data={"size": size, "people": n_people})
    for obj in u.values():
        obj.refresh_from_db()
    return World(people=people, units=u)


def _issuers(*, admin, u) -> None:
    """The community learning centre issues credentials, the commune can endorse them."""
    from suotdoi.credentials import actions as cred

    cred.issuer_enable(
        actor=admin,
        unit=u["clc"],
        signer_name="Nguyễn Văn Bình",
        signer_title="Giám đốc",
        auto_issue_kinds=["course"],
        quality_assurance="Phòng Giáo dục và Đào tạo phường Hoa Lư",
    )
    cred.issuer_enable(actor=admin, unit=u["commune"], signer_title="Chủ tịch UBND")


def seed_learning(world: World) -> None:
    """For `make run`: Mai finished a course at the centre and holds its credential."""
    from suotdoi.credentials import actions as cred
    from suotdoi.records.actions import entry_record
    from suotdoi.records.models import CompetenceTag, EntryKind, Provenance

    admin = Person.objects.filter(is_superuser=True).order_by("pk").first()
    people, u = world.people, world.units
    entry, _created = entry_record(
        actor=admin,
        person=people["member"],
        source_key="demo:clc:tin-hoc",
        title="Tin học cơ bản cho người lớn tuổi",
        kind=EntryKind.COURSE,
        start_date=dt.date(2025, 9, 8),
        end_date=dt.date(2025, 10, 31),
        hours=Decimal("24"),
        provenance=Provenance.UNIT_VERIFIED,
        unit=u["clc"],
        tags=list(CompetenceTag.objects.filter(framework="tt02-2025")[:2]),
    )
    cred.credential_issue_for_entry(actor=admin, entry=entry)


def seed_campaign(world: World) -> None:
    """For `make run`: the federation's campaign on the article "Học tập suốt đời", half-way:
    some grassroots unions done, some with a session but no report, some not started."""
    from django.utils import timezone

    from suotdoi.campaigns import actions as camp

    today = timezone.localdate()
    officer = world.people["provincial_officer"]
    campaign = camp.campaign_create(
        actor=officer,
        issuer=world.units["federation"],
        title="Nghiên cứu, quán triệt bài viết “Học tập suốt đời” của Tổng Bí thư Tô Lâm",
        purpose=(
            "Tổ chức nghiên cứu, học tập bài viết bằng hội nghị, hội thảo, tọa đàm, sinh hoạt "
            "chuyên đề; đưa vào chương trình công tác của công đoàn cơ sở; gắn với thi đua."
        ),
        target_type_codes=["cdcs"],
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=60),
        report_due=today + dt.timedelta(days=30),
        min_sessions=1,
        min_attendance_pct=30,
    )
    camp.document_add(
        actor=officer,
        campaign=campaign,
        title="Bài viết “Học tập suốt đời” của Tổng Bí thư Tô Lâm",
        url="https://tulieuvankien.dangcongsan.vn/",
    )
    camp.document_add(
        actor=officer,
        campaign=campaign,
        title="Kế hoạch triển khai của Liên đoàn Lao động tỉnh",
        upload=_plan_pdf(campaign),
    )
    for text, choices in (
        (
            "Theo bài viết, học tập suốt đời là việc của ai?",
            ["Của mọi người, ở mọi lứa tuổi", "Chỉ của học sinh, sinh viên", "Chỉ của cán bộ"],
        ),
        (
            "Công đoàn cơ sở đưa việc học tập bài viết vào đâu?",
            ["Chương trình công tác và phong trào thi đua", "Chỉ báo cáo cuối năm", "Không cần"],
        ),
        (
            "Hình thức nào được dùng để học tập bài viết?",
            ["Hội nghị, hội thảo, tọa đàm, sinh hoạt chuyên đề", "Chỉ đọc một mình", "Không có"],
        ),
        (
            "Ai theo dõi tiến độ học tập của các đơn vị?",
            ["Đơn vị cấp trên, theo số liệu cập nhật", "Không ai", "Chỉ đơn vị tự biết"],
        ),
        (
            "Kết quả học tập được ghi vào đâu?",
            ["Hồ sơ học tập suốt đời của mỗi người", "Không ghi lại", "Sổ tay cá nhân"],
        ),
    ):
        camp.question_add(actor=officer, campaign=campaign, text=text, choices=choices, correct=0)
    camp.campaign_launch(actor=officer, campaign=campaign)
    tasks = list(campaign.tasks.select_related("unit").order_by("unit__path"))
    started = list(enumerate(tasks[: len(tasks) * 2 // 3]))
    started.sort(key=lambda it: -(10 - it[0] % 7))  # oldest session first, for the chart
    for i, task in started:
        held = timezone.now() - dt.timedelta(days=10 - i % 7)
        session = camp.session_create(
            actor=officer,
            task=task,
            kind="thematic",
            title="Sinh hoạt chuyên đề “Học tập suốt đời”",
            starts_at=held,
            hours=Decimal("2"),
            place="Hội trường",
        )
        members = (
            Membership.objects.filter(unit_path__startswith=task.unit_path, end_date__isnull=True)
            .select_related("person")
            .order_by("person_id")
        )
        seen = set()
        share = max(1, task.members * (45 if i % 2 == 0 else 20) // 100)
        for m in members:
            if m.person_id in seen or len(seen) >= share:
                continue
            seen.add(m.person_id)
            camp.attendance_record(actor=officer, session=session, person=m.person, method="manual")
        if i % 2 == 0:
            task.refresh_from_db()
            camp.task_report_submit(
                actor=officer, task=task, note="Đã tổ chức sinh hoạt chuyên đề theo kế hoạch."
            )
        camp.campaign_snapshot(campaign=campaign, day=timezone.localtime(held).date())


def _plan_pdf(campaign):
    """A one-page plan, made here so the demo has a real file to download."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from suotdoi.core.pdf import render_pdf

    html = (
        "<html lang='vi'><head><meta charset='utf-8'>"
        f"<title>Kế hoạch triển khai: {campaign.title}</title>"
        "<meta name='author' content='Liên đoàn Lao động tỉnh Ninh Bình'></head>"
        "<body style='font-family: Noto Serif, serif'>"
        "<p style='text-align:center'><b>LIÊN ĐOÀN LAO ĐỘNG TỈNH NINH BÌNH</b></p>"
        "<h1 style='text-align:center;font-size:14pt'>KẾ HOẠCH</h1>"
        f"<p style='text-align:center'><b>{campaign.title}</b></p>"
        f"<p>{campaign.purpose}</p>"
        "<p>1. Công đoàn cơ sở tổ chức ít nhất một buổi sinh hoạt chuyên đề.</p>"
        "<p>2. Đoàn viên làm bài trắc nghiệm trên Suốt Đời.</p>"
        "<p>3. Báo cáo kết quả về Liên đoàn Lao động tỉnh đúng hạn.</p>"
        "</body></html>"
    )
    return SimpleUploadedFile("ke-hoach-trien-khai.pdf", render_pdf(html), "application/pdf")


def world_is_built() -> bool:
    return Unit.objects.filter(code="LDLD-NB").exists()


def load_world() -> World:
    people = {p.key: Person.objects.get(phone=p.phone) for p in PERSONAS}
    people["admin"] = Person.objects.get(email="admin@suotdoi.local")
    units = {
        "federation": Unit.objects.get(code="LDLD-NB"),
        "grassroots": Unit.objects.get(code="CDCS-001"),
        "group": Unit.objects.get(code="TCD-001-1"),
        "association": Unit.objects.get(code="HKH-NB"),
        "commune": Unit.objects.get(code="XA-01"),
        "foreign_federation": Unit.objects.get(code="LDLD-CB"),
    }
    return World(people=people, units=units)
