"""Member import from Excel: happy path, matching, idempotency and the bad-input corpus."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from suotdoi.organisations import import_actions
from suotdoi.organisations.models import ImportStatus, MemberImport, Membership, Unit
from suotdoi.people.models import Person
from tests.conftest import xlsx_bytes

pytestmark = pytest.mark.django_db

ROWS = [
    [
        "Nguyễn Văn Toàn",
        "15/03/1988",
        "Nam",
        "0977 111 001",
        "toan@example.vn",
        "001088000001",
        "TCD-001-1",
        "Đoàn viên",
        "Thợ hàn",
        "01/01/2024",
    ],
    [
        "Trần Thị Bích",
        dt.datetime(1990, 5, 20),
        "Nữ",
        "+84 977 111 002",
        "",
        "001190000002",
        "TCD-001-2",
        "",
        "",
        45292,
    ],  # a real date cell and an Excel serial number
    ["Lê Văn Cường", "1979-11-02", "nam", "0977111003", "", "", "", "Cán bộ", "Tổ phó", ""],
]


def upload(client, unit, data, name="thanh-vien.xlsx"):
    return client.post(f"/units/{unit.pk}/import/", {"file": SimpleUploadedFile(name, data)})


def run(client, people, units, data):
    c = client(people["grassroots_chair"])
    r = upload(c, units["grassroots"], data)
    imp = MemberImport.objects.latest("id")
    assert r.status_code == 302 and r["Location"] == f"/units/imports/{imp.pk}/"
    return c, imp


def test_template_has_vietnamese_headers(client_for, people, units):
    from openpyxl import load_workbook

    r = client_for(people["grassroots_chair"]).get(
        f"/units/{units['grassroots'].pk}/import/template.xlsx"
    )
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws[1]][:3] == [
        "Họ và tên",
        "Ngày sinh (dd/mm/yyyy)",
        "Giới tính (Nam/Nữ)",
    ]


def test_import_checks_then_imports_on_confirm(
    client_for, people, units, django_capture_on_commit_callbacks
):
    c, imp = run(client_for, people, units, xlsx_bytes(ROWS))
    assert (imp.status, imp.total_rows, imp.valid_rows, imp.error_rows) == (
        ImportStatus.VALIDATED,
        3,
        3,
        0,
    )
    assert not Person.objects.filter(phone="+84977111001").exists()  # nothing yet
    page = c.get(f"/units/imports/{imp.pk}/").content.decode()
    assert "3 dòng sẵn sàng nhập" in page
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/units/imports/{imp.pk}/confirm/")
    imp.refresh_from_db()
    assert imp.status == ImportStatus.DONE, imp.file_error
    assert (imp.people_created, imp.memberships_created) == (3, 3)
    toan = Person.objects.get(phone="+84977111001")
    assert toan.national_id == "001088000001" and toan.date_of_birth == dt.date(1988, 3, 15)
    bich = Person.objects.get(phone="+84977111002")
    m = Membership.objects.get(person=bich)
    assert m.unit.code == "TCD-001-2" and m.start_date == dt.date(2024, 1, 1)
    cuong = Membership.objects.get(person__full_name="Lê Văn Cường")
    assert cuong.unit_id == units["grassroots"].pk and cuong.role == "officer"
    assert (
        Unit.objects.get(code="TCD-001-2").member_count
        == Membership.objects.filter(unit__code="TCD-001-2", end_date__isnull=True).count()
    )
    # a second click on confirm does nothing
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/units/imports/{imp.pk}/confirm/")
    assert Membership.objects.filter(import_batch=imp).count() == 3


def test_reimporting_the_same_file_changes_nothing(
    client_for, people, units, django_capture_on_commit_callbacks
):
    data = xlsx_bytes(ROWS)
    for _ in range(2):
        c, imp = run(client_for, people, units, data)
        with django_capture_on_commit_callbacks(execute=True):
            c.post(f"/units/imports/{imp.pk}/confirm/")
    imp.refresh_from_db()
    assert imp.status == ImportStatus.DONE
    assert (
        imp.people_created,
        imp.people_matched,
        imp.memberships_created,
        imp.memberships_unchanged,
    ) == (0, 3, 0, 3)
    assert Person.objects.filter(full_name="Lê Văn Cường").count() == 1


def test_people_already_on_the_platform_are_matched_not_duplicated(
    client_for, people, units, django_capture_on_commit_callbacks
):
    mai = people["member"]  # phone 0912000001, member of TCD-001-1, village, association
    rows = [["Nguyễn Thị Mai", "", "Nữ", "0912 000 001", "", "", "TCD-002-1", "", "", ""]]
    # TCD-002-1 is not below CDCS-001: the chair may not import there
    c, imp = run(client_for, people, units, xlsx_bytes(rows))
    assert imp.error_rows == 1 and "không phải CDCS-001" in str(imp.row_errors)
    rows[0][6] = "TCD-001-2"
    c, imp = run(client_for, people, units, xlsx_bytes(rows))
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/units/imports/{imp.pk}/confirm/")
    imp.refresh_from_db()
    assert (imp.people_created, imp.people_matched, imp.memberships_created) == (0, 1, 1)
    assert Membership.objects.filter(person=mai, end_date__isnull=True).count() == 5


def test_a_crash_midway_leaves_nothing_half_imported(
    client_for, people, units, django_capture_on_commit_callbacks
):
    c, imp = run(client_for, people, units, xlsx_bytes(ROWS))
    before = (Person.objects.count(), Membership.objects.count())
    boom = RuntimeError("disk full")
    # The task backend records the task's failure; the import is marked failed.
    with (
        mock.patch.object(Membership.objects, "bulk_create", side_effect=boom),
        django_capture_on_commit_callbacks(execute=True),
    ):
        c.post(f"/units/imports/{imp.pk}/confirm/")
    imp.refresh_from_db()
    assert imp.status == ImportStatus.FAILED
    assert (Person.objects.count(), Membership.objects.count()) == before


def test_row_errors_are_listed_and_downloadable(client_for, people, units):
    from openpyxl import load_workbook

    bad = [
        ["", "", "", "0977111009", "", "", "", "", "", ""],  # no name
        ["Phạm Văn Đức", "31/02/1990", "", "0977111010", "", "", "", "", "", ""],
        ["Võ Thị Lan", "", "", "0977 111", "", "", "", "", "", ""],
        ["Hồ Văn Hải", "", "", "", "", "00108800000", "", "", "", ""],  # 11-digit CCCD
        ["Đỗ Thị Yến", "", "", "0977111011", "", "", "KHONG-CO", "", "", ""],
        ["Bùi Văn Tâm", "", "Không rõ", "0977111012", "", "", "", "Chủ tịch", "", ""],
        ["Ngô Thị Hà", "01/01/2090", "", "0977111013", "", "", "", "", "", ""],
        ["Mai Văn Nam", "", "", "", "", "", "", "", "", ""],  # nothing to recognise him by
        *ROWS,
    ]
    c, imp = run(client_for, people, units, xlsx_bytes(bad))
    assert (imp.total_rows, imp.valid_rows, imp.error_rows) == (11, 3, 8)
    page = c.get(f"/units/imports/{imp.pk}/").content.decode()
    for text in [
        "Thiếu họ và tên",
        "không phải là ngày",
        "không phải số điện thoại Việt Nam",
        "phải có đúng 12 chữ số",
        "Mã đơn vị “KHONG-CO”",
        "Không hiểu giới tính",
        "Không hiểu vai trò",
        "là ngày ở tương lai",
        "Cần ít nhất một trong",
    ]:
        assert text in page, text
    r = c.get(f"/units/imports/{imp.pk}/errors.xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][-2:] == ("Dòng", "Lỗi") and len(rows) == 9
    assert rows[2][0] == "Phạm Văn Đức" and "không phải là ngày" in rows[2][-1]


def test_numeric_cells_lose_no_leading_zero_silently(client_for, people, units):
    rows = [["Hồ Văn Hải", "", "", 977111020, "", 1088000001, "", "", "", ""]]
    c, imp = run(client_for, people, units, xlsx_bytes(rows))
    errors = " ".join(imp.row_errors[0]["errors"])
    assert "số 0 ở đầu" in errors  # the CCCD lost its 0 and is reported
    assert "điện thoại" not in errors  # the phone's lost 0 is restored (+84 977 111 020)


def test_reordered_columns_are_read_by_their_headers(client_for, people, units):
    header = ["Số điện thoại", "Họ và tên", "Mã đơn vị"]
    c, imp = run(
        client_for,
        people,
        units,
        xlsx_bytes([["0977111030", "Lý Văn Phúc", "TCD-001-3"]], header=header),
    )
    assert (imp.valid_rows, imp.error_rows) == (1, 0)


EMPTY_OK = [[None] * 10, ROWS[0], [None] * 10, ["", "  ", "", "", "", "", "", "", "", ""]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"ho ten,ngay sinh\nNguyen Van A,01/01/1990\n", "không phải tệp Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "tệp Excel cũ (.xls)"),
        (b"PK\x03\x04garbage", "Không đọc được tệp Excel"),
        (xlsx_bytes([], header=["Tên", "Tuổi"]), "thiếu cột"),
        (
            xlsx_bytes([ROWS[0]], header=["Họ và tên", "Ngày sinh", "Biệt danh"]),
            "không có trong tệp mẫu",
        ),
        (xlsx_bytes([ROWS[0], ROWS[1]], merge="A2:A3"), "ô bị gộp"),
        (xlsx_bytes([]), "không có thành viên nào"),
    ],
    ids=[
        "csv-renamed",
        "old-xls",
        "broken-zip",
        "wrong-headers",
        "unknown-column",
        "merged-cells",
        "no-rows",
    ],
)
def test_bad_files_are_rejected_clearly_and_import_nothing(
    client_for, people, units, data, message
):
    before = (Person.objects.count(), Membership.objects.count())
    c, imp = run(client_for, people, units, data)
    assert imp.status == ImportStatus.REJECTED
    assert message in imp.file_error
    assert message in c.get(f"/units/imports/{imp.pk}/").content.decode()
    assert (Person.objects.count(), Membership.objects.count()) == before


def test_an_empty_file_is_refused_by_the_form(client_for, people, units):
    r = upload(client_for(people["grassroots_chair"]), units["grassroots"], b"")
    assert r.status_code == 200 and "errorlist" in r.content.decode()
    assert not MemberImport.objects.exists()


def test_empty_rows_are_skipped(client_for, people, units):
    c, imp = run(client_for, people, units, xlsx_bytes(EMPTY_OK))
    assert (imp.total_rows, imp.valid_rows) == (1, 1)


def test_a_fifty_megabyte_file_is_refused_before_it_is_read(client_for, people, units):
    big = b"PK\x03\x04" + b"0" * (50 * 1024 * 1024)
    c = client_for(people["grassroots_chair"])
    r = upload(c, units["grassroots"], big)
    assert r.status_code == 200
    assert "giới hạn là 20 MB" in r.content.decode()
    assert not MemberImport.objects.exists()


def test_fifty_megabytes_are_refused_by_the_reader_too():
    from suotdoi.core.errors import ApplicationError
    from suotdoi.organisations.importing import open_sheet

    with pytest.raises(ApplicationError) as exc:
        open_sheet(b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024))
    assert "50.0 MB" in str(exc.value.message) or "50,0 MB" in str(exc.value.message)


def test_progress_is_reported(client_for, people, units, django_capture_on_commit_callbacks):
    c, imp = run(client_for, people, units, xlsx_bytes(ROWS))
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/units/imports/{imp.pk}/confirm/")
    imp.refresh_from_db()
    assert import_actions.import_progress(imp) == {"phase": "done", "done": 3, "total": 3}
    partial = c.get(f"/units/imports/{imp.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<progress" in partial and 'value="3"' in partial
