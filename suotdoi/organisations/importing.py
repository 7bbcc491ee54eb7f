"""Member import from Excel: the template, reading and checking every row, and the import.

Reading is streamed (openpyxl read-only mode) so a 100,000-row file stays in bounded memory.
Checking never writes. The import itself runs in one transaction: a file lands whole (all its
valid rows) or not at all, and rows already on the platform are matched, never duplicated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suotdoi.core.text import clean_name, fold
from suotdoi.core.vn import normalise_cccd, normalise_phone

from .errors import ImportRejected
from .models import OccupationGroup, Role, Unit

MAX_ROWS = 200_000
EXCEL_EPOCH = dt.date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


@dataclass(frozen=True)
class Column:
    key: str
    header: object  # lazy translation
    aliases: tuple[str, ...]
    required: bool = False
    width: int = 18


COLUMNS: tuple[Column, ...] = (
    Column("full_name", gettext_lazy("Full name"), ("ho va ten", "ho ten", "full name"), True, 28),
    Column(
        "date_of_birth", gettext_lazy("Date of birth (dd/mm/yyyy)"), ("ngay sinh", "date of birth")
    ),
    Column("gender", gettext_lazy("Gender (Nam/Nữ)"), ("gioi tinh", "gender"), width=12),
    Column("phone", gettext_lazy("Phone"), ("so dien thoai", "dien thoai", "sdt", "phone")),
    Column("email", gettext_lazy("Email"), ("email", "thu dien tu"), width=26),
    Column(
        "national_id",
        gettext_lazy("Citizen ID (CCCD)"),
        ("so cccd", "cccd", "can cuoc", "citizen id"),
    ),
    Column("unit_code", gettext_lazy("Unit code"), ("ma don vi", "unit code")),
    Column("role", gettext_lazy("Role"), ("vai tro", "role"), width=14),
    Column("position_title", gettext_lazy("Position"), ("chuc vu", "position"), width=20),
    Column("start_date", gettext_lazy("Start date (dd/mm/yyyy)"), ("ngay vao", "start date")),
    Column(
        "occupation_group",
        gettext_lazy("Occupation group (1–9, 0)"),
        ("nhom nghe", "nghe nghiep", "occupation group", "occupation"),
        width=14,
    ),
    Column(
        "income_group",
        gettext_lazy("Household (poor, near-poor…)"),
        ("dien ho", "ho gia dinh", "household", "income group"),
        width=16,
    ),
)

# What the household column may say, folded (either language), and the code it means.
INCOME_WORDS = {
    "": "",
    "ho ngheo": "poor",
    "ngheo": "poor",
    "poor": "poor",
    "poor household": "poor",
    "ho can ngheo": "near_poor",
    "can ngheo": "near_poor",
    "near-poor": "near_poor",
    "near poor": "near_poor",
    "near_poor": "near_poor",
    "near-poor household": "near_poor",
    "ho co muc song trung binh": "average",
    "muc song trung binh": "average",
    "trung binh": "average",
    "average": "average",
    "khac": "other",
    "ho khac": "other",
    "other": "other",
}

ROLE_WORDS = {
    "": Role.MEMBER,
    "doan vien": Role.MEMBER,
    "hoi vien": Role.MEMBER,
    "thanh vien": Role.MEMBER,
    "member": Role.MEMBER,
    "can bo": Role.OFFICER,
    "officer": Role.OFFICER,
    "nguoi danh gia": Role.EVALUATOR,
    "danh gia": Role.EVALUATOR,
    "evaluator": Role.EVALUATOR,
    "bao cao": Role.REPORTER,
    "reporter": Role.REPORTER,
}
GENDER_WORDS = {
    "nam": "male",
    "male": "male",
    "nu": "female",
    "female": "female",
    "khac": "other",
    "other": "other",
    "": "",
}


def _header_key(text: object) -> str | None:
    folded = fold(re.sub(r"\(.*?\)", "", str(text or ""))).strip(" :*")
    for col in COLUMNS:
        if folded in col.aliases:
            return col.key
    return None


# --- The template -----------------------------------------------------------------------


def template_bytes(*, unit: Unit) -> bytes:
    """An XLSX with Vietnamese headers, one example row and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = _("Members")
    ws.append([str(c.header) for c in COLUMNS])
    for i, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="A3161B")
        ws.column_dimensions[cell.column_letter].width = col.width
    # Text format for identity columns keeps leading zeros (CCCD and phones start with 0).
    for key in ("phone", "national_id", "date_of_birth", "start_date", "unit_code"):
        idx = [c.key for c in COLUMNS].index(key) + 1
        for row in range(2, 2002):
            ws.cell(row=row, column=idx).number_format = "@"
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet(_("Instructions"))
    lines = [
        _("How to fill in this file"),
        _("One member per row. Keep the header row as it is."),
        _(
            "Full name is required. Give at least one of: citizen ID, phone, email or date of "
            "birth, so the same person is never created twice."
        ),
        _("Dates as day/month/year, for example 25/12/1980."),
        _("Citizen ID (CCCD): exactly 12 digits. Phone: e.g. 0912 345 678."),
        _("Unit code: leave empty for %(unit)s, or give the code of a unit below it.")
        % {"unit": f"{unit.name} ({unit.code})"},
        _(
            "Role: Đoàn viên / Hội viên / Thành viên (member), Cán bộ (officer), Báo cáo "
            "(reporter). Empty means member."
        ),
        _("Do not merge cells."),
    ]
    for line in lines:
        help_ws.append([line])
    help_ws.column_dimensions["A"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- Reading and checking ---------------------------------------------------------------


@dataclass
class RowResult:
    row: int
    raw: list
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class CheckReport:
    total_rows: int = 0
    valid: list[RowResult] = field(default_factory=list)
    invalid: list[RowResult] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


def _reject(message: str) -> ImportRejected:
    return ImportRejected(message)


# What the parts of an .xlsx may expand to, checked from the archive's directory before any part
# is read (Python's zipfile never reads a part past its declared size). A real sheet of
# MAX_ROWS rows stays far below these; a "zip bomb" (a 1 MB file whose parts expand to
# gigabytes) is refused at once.
PART_LIMITS = {"xl/worksheets/": 400 * 1024**2, "xl/sharedStrings.xml": 128 * 1024**2}
OTHER_PART_LIMIT = 16 * 1024**2
TOTAL_LIMIT = 512 * 1024**2
RATIO_LIMIT = 100  # uncompressed : compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 8 * 1024**2
MAX_PARTS = 2000


def precheck(data: bytes) -> zipfile.ZipFile:
    """Cheap checks that need no parsing: size, kind of file, and what its parts would expand
    to. Runs in the request; the row-by-row check runs in the worker."""
    limit = settings.SUOTDOI_MAX_IMPORT_BYTES
    if len(data) > limit:
        raise _reject(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": round(len(data) / 1048576, 1), "limit": limit // 1048576}
        )
    if len(data) == 0:
        raise _reject(_("The file is empty."))
    if not data.startswith(b"PK\x03\x04"):
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise _reject(
                _(
                    "This is an old Excel file (.xls). Open it in Excel and save it as "
                    ".xlsx, then upload again."
                )
            )
        raise _reject(
            _(
                "This is not an Excel file (.xlsx). If it is a CSV or text file, open "
                "it in Excel and save it as .xlsx."
            )
        )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception as exc:  # noqa: BLE001 - any archive failure is a broken file
        raise _reject(_("The Excel file could not be read; it may be damaged.")) from exc
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise _reject(_("This is not an Excel file (.xlsx)."))
    too_big = _("The file expands to far more than its size; it cannot be a normal sheet.")
    if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > TOTAL_LIMIT:
        raise _reject(too_big)
    for info in infos:
        cap = next(
            (v for k, v in PART_LIMITS.items() if info.filename.startswith(k)), OTHER_PART_LIMIT
        )
        if info.file_size > cap:
            raise _reject(too_big)
        if info.file_size > RATIO_FLOOR and info.file_size > RATIO_LIMIT * max(
            info.compress_size, 1
        ):
            raise _reject(too_big)
    return zf


def open_sheet(data: bytes):
    """Open the first sheet of an XLSX, or reject the file with a clear reason."""
    from openpyxl import load_workbook

    zf = precheck(data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any parser failure is a broken file
        raise _reject(_("The Excel file could not be read; it may be damaged.")) from exc
    if not wb.worksheets:
        raise _reject(_("The file has no sheet."))
    ws = wb.worksheets[0]
    merged = _merged_ranges(zf, getattr(ws, "_worksheet_path", ""))
    return wb, ws, merged


def _merged_ranges(zf: zipfile.ZipFile, path: str) -> list[str]:
    if not path:
        return []
    try:
        with zf.open(path.lstrip("/")) as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - 2_000_000))
            tail = fh.read().decode("utf-8", "ignore")
    except (KeyError, OSError):
        return []
    return re.findall(r'<mergeCell ref="([A-Z]+\d+:[A-Z]+\d+)"', tail)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_name(str(value))


def parse_date(value) -> dt.date | None:
    """Dates arrive as real dates, Excel serial numbers, or text (dd/mm/yyyy, yyyy-mm-dd)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 80000:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError
    text = str(value).strip()
    m = _DMY.match(text)
    if m:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError


def iter_rows(ws) -> Iterator[tuple[int, list]]:
    for idx, row in enumerate(ws.iter_rows(values_only=True), start=1):
        yield idx, list(row)


def check_file(
    data: bytes,
    *,
    unit: Unit,
    actor=None,
    progress: Callable[[int], None] | None = None,
) -> CheckReport:
    """Read and check every row; write nothing. Raises ImportRejected for a broken file.
    `actor` is who imports: rows naming people outside their units say nothing about them."""
    wb, ws, merged = open_sheet(data)
    try:
        rows = iter_rows(ws)
        report = CheckReport()
        header_row = None
        for idx, values in rows:
            if any(v not in (None, "") for v in values):
                header_row = (idx, values)
                break
        if header_row is None:
            raise _reject(_("The sheet is empty: no header row and no members."))
        header_idx, header_values = header_row
        mapping: dict[int, str] = {}
        unknown = []
        for pos, text in enumerate(header_values):
            if text in (None, ""):
                continue
            key = _header_key(text)
            if key is None:
                unknown.append(str(text))
            elif key in mapping.values():
                raise _reject(_("The column “%(name)s” appears twice.") % {"name": text})
            else:
                mapping[pos] = key
        report.header = [str(v or "") for v in header_values]
        missing = [str(c.header) for c in COLUMNS if c.required and c.key not in mapping.values()]
        if missing:
            raise _reject(
                _(
                    "The header row does not match the template: column “%(cols)s” is missing. "
                    "Download the template and copy your data into it."
                )
                % {"cols": ", ".join(missing)}
            )
        if unknown:
            raise _reject(
                _(
                    "The header row has columns the template does not know: %(cols)s. Use the "
                    "headers of the template."
                )
                % {"cols": ", ".join(f"“{u}”" for u in unknown)}
            )
        if merged:
            raise _reject(
                _(
                    "The sheet has merged cells (%(ranges)s). Unmerge them and fill every cell, "
                    "then upload again."
                )
                % {"ranges": ", ".join(merged[:5])}
            )
        checker = RowChecker(unit=unit, actor=actor)
        for idx, values in rows:
            if not any(v not in (None, "") and str(v).strip() != "" for v in values):
                continue  # empty rows are skipped
            report.total_rows += 1
            if report.total_rows > MAX_ROWS:
                raise _reject(
                    _("The file has more than %(max)s rows. Split it into smaller files.")
                    % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
                )
            raw = {mapping[p]: (values[p] if p < len(values) else None) for p in mapping}
            result = checker.check(idx, raw, values)
            if result.errors:
                report.invalid.append(result)
            else:
                result.raw = []  # only rejected rows are echoed back; keeps 100k rows small
                report.valid.append(result)
            if progress and report.total_rows % 2000 == 0:
                progress(report.total_rows)
        if report.total_rows == 0:
            raise _reject(_("The file has a header row but no members."))
        checker.finish(report)
        return report
    finally:
        wb.close()


class RowChecker:
    def __init__(self, *, unit: Unit, actor=None):
        self.unit = unit
        self.actor = actor
        self.today = timezone.localdate()
        self.codes: dict[str, Unit | None] = {unit.code: unit}
        self.seen: dict[tuple, int] = {}

    def _unit_for(self, code: str) -> Unit | None:
        code = code.strip().upper()
        if code not in self.codes:
            self.codes[code] = Unit.objects.filter(
                tree_key=self.unit.tree_key, code=code, path__startswith=self.unit.path
            ).first()
        return self.codes[code]

    def check(self, idx: int, raw: dict, values: list) -> RowResult:
        r = RowResult(row=idx, raw=values)
        v = r.values
        err = r.errors
        name = _text(raw.get("full_name"))
        if not name:
            err.append(_("Full name is missing."))
        elif len(name) < 2 or len(name) > 150 or re.search(r"[<>{}\d]", name):
            err.append(_("Full name “%(value)s” is not a person's name.") % {"value": name})
        v["full_name"] = name
        for key, label in (("date_of_birth", _("Date of birth")), ("start_date", _("Start date"))):
            try:
                d = parse_date(raw.get(key))
            except (ValueError, OverflowError):
                err.append(
                    _("%(field)s “%(value)s” is not a date; write it as dd/mm/yyyy.")
                    % {"field": label, "value": _text(raw.get(key))}
                )
                d = None
            if d is not None and d > self.today:
                err.append(
                    _("%(field)s %(value)s is in the future.")
                    % {"field": label, "value": d.strftime("%d/%m/%Y")}
                )
            if d is not None and d.year < 1900:
                err.append(
                    _("%(field)s %(value)s is too far in the past.")
                    % {"field": label, "value": d.strftime("%d/%m/%Y")}
                )
            v[key] = d
        gender = fold(_text(raw.get("gender")))
        if gender not in GENDER_WORDS:
            err.append(
                _("Gender “%(value)s” is not understood; write Nam or Nữ.")
                % {"value": _text(raw.get("gender"))}
            )
        v["gender"] = GENDER_WORDS.get(gender, "")
        phone = _text(raw.get("phone"))
        v["phone"] = None
        if phone:
            if isinstance(raw.get("phone"), int | float) and not phone.startswith("0"):
                phone = "0" + phone  # Excel dropped the leading zero of a number cell
            try:
                v["phone"] = normalise_phone(phone)
            except ValidationError as exc:
                err.extend(exc.messages)
        email = _text(raw.get("email")).lower()
        v["email"] = None
        if email:
            try:
                validate_email(email)
                v["email"] = email
            except ValidationError:
                err.append(_("Email “%(value)s” is not valid.") % {"value": email})
        cccd = _text(raw.get("national_id"))
        v["national_id"] = None
        if cccd:
            try:
                v["national_id"] = normalise_cccd(cccd)
            except ValidationError as exc:
                msg = exc.messages[0]
                if isinstance(raw.get("national_id"), int | float):
                    msg += " " + _(
                        "Excel may have removed a leading 0: format the column as "
                        "Text and type the number again."
                    )
                err.append(msg)
        if not (cccd or phone or email or v.get("date_of_birth")):
            err.append(
                _(
                    "Give at least one of citizen ID, phone, email or date of birth, so "
                    "the person can be recognised."
                )
            )
        code = _text(raw.get("unit_code"))
        target = self.unit if not code else self._unit_for(code)
        if target is None:
            err.append(
                _("Unit code “%(value)s” is not %(unit)s or a unit below it.")
                % {"value": code, "unit": self.unit.code}
            )
        v["unit_id"] = target.pk if target else None
        v["unit_path"] = target.path if target else ""
        role_text = fold(_text(raw.get("role")))
        if role_text not in ROLE_WORDS:
            err.append(
                _("Role “%(value)s” is not understood; leave it empty for a member.")
                % {"value": _text(raw.get("role"))}
            )
        v["role"] = ROLE_WORDS.get(role_text, Role.MEMBER)
        v["position_title"] = _text(raw.get("position_title"))[:120]
        occupation = _text(raw.get("occupation_group")).split(" ")[0].strip(".:-")
        if occupation and occupation not in OccupationGroup.values:
            err.append(
                _("Occupation group “%(value)s” is not one of 1 to 9 or 0.")
                % {"value": _text(raw.get("occupation_group"))[:40]}
            )
        v["occupation_group"] = occupation if occupation in OccupationGroup.values else ""
        household = fold(_text(raw.get("income_group")))
        if household not in INCOME_WORDS:
            err.append(
                _("Household “%(value)s” is not understood; write hộ nghèo, hộ cận nghèo, "
                  "trung bình or khác.") % {"value": _text(raw.get("income_group"))[:40]}
            )  # fmt: skip
        v["income_group"] = INCOME_WORDS.get(household, "")
        if not err:
            for kind in ("national_id", "phone", "email"):
                if v[kind]:
                    key = (kind, v[kind], v["unit_id"])
                    if key in self.seen:
                        err.append(_("Same person as row %(row)s.") % {"row": self.seen[key]})
                        break
                    self.seen[key] = idx
        return r

    def finish(self, report: CheckReport) -> None:
        """Cross-row checks against people already on the platform."""
        from .matching import PersonMatcher

        matcher = PersonMatcher(actor=self.actor)
        matcher.load(report.valid)
        still_valid = []
        for r in report.valid:
            problem = matcher.conflict(r.values)
            if problem:
                r.errors.append(problem)
                report.invalid.append(r)
            else:
                still_valid.append(r)
        report.valid = still_valid
        report.invalid.sort(key=lambda r: r.row)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def errors_workbook(*, header: list[str], invalid: list[dict]) -> bytes:
    """The rejected rows as they were, with an error column the officer can fix and re-upload."""
    from openpyxl import Workbook

    from suotdoi.core.sheets import add_row, add_sheet

    wb = Workbook(write_only=True)
    ws = add_sheet(wb, _("Rows to fix"), [*map(str, header), _("Row"), _("Errors")])
    for item in invalid:
        raw = list(item.get("raw") or [])
        raw += [None] * (len(header) - len(raw))
        add_row(
            ws, [*(_cell(x) for x in raw[: len(header)]), item["row"], "; ".join(item["errors"])]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(value):
    if isinstance(value, dt.datetime | dt.date | int | float) or value is None:
        return value
    return str(value)
