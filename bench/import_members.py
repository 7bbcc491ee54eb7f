"""Benchmark: import N members from one XLSX (check + import, the code the task runs).

    python bench/import_members.py --db sqlite --rows 100000
    BENCH_DATABASE_URL=postgres://… python bench/import_members.py --db postgres

Prints the time of each phase and the process's peak memory (ru_maxrss).
"""

from __future__ import annotations

import argparse
import time

from _setup import peak_rss_mb, use_database


def make_file(rows: int, group_codes: list[str]) -> bytes:
    from suotdoi.demo.sheets import member_sheet

    return member_sheet(rows, group_codes)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    use_database(args.db)

    from django.conf import settings

    from suotdoi.organisations import actions, import_actions
    from suotdoi.organisations.models import ImportStatus, Membership, UnitType
    from suotdoi.people.models import Person

    settings.SUOTDOI_MAX_IMPORT_BYTES = 200 * 1024 * 1024
    admin = Person.objects.create_user(
        full_name="Quản trị", email="bench@example.vn", password=None
    )
    t = {x.code: x for x in UnitType.objects.all()}
    root = actions.unit_create(
        actor=admin, parent=None, name="LĐLĐ tỉnh", code="LDLD", unit_type=t["ldld-tinh"]
    )
    cdcs = actions.unit_create(
        actor=admin, parent=root, name="CĐCS lớn", code="CDCS", unit_type=t["cdcs"]
    )
    codes = []
    for i in range(60):
        actions.unit_create(
            actor=admin, parent=cdcs, name=f"Tổ {i}", code=f"T{i}", unit_type=t["to-cong-doan"]
        )
        codes.append(f"T{i}")
    t0 = time.perf_counter()
    data = make_file(args.rows, codes)
    t_file = time.perf_counter() - t0
    t0 = time.perf_counter()
    imp = import_actions.member_import_upload(
        actor=admin, unit=cdcs, file_name="bench.xlsx", data=data
    )
    t_check = time.perf_counter() - t0
    assert imp.valid_rows == args.rows, (imp.status, imp.file_error, imp.row_errors[:3])
    from django.db import transaction

    with transaction.atomic():
        import_actions.member_import_confirm(actor=admin, imp=imp)
    t0 = time.perf_counter()
    imp = import_actions.member_import_execute(import_id=imp.pk)
    t_run = time.perf_counter() - t0
    assert imp.status == ImportStatus.DONE, imp.file_error
    n = Membership.objects.filter(import_batch=imp).count()
    print(
        f"import_members db={args.db} rows={args.rows} file_mb={len(data) / 1048576:.1f} "
        f"make_file_s={t_file:.1f} check_s={t_check:.1f} import_s={t_run:.1f} "
        f"total_s={t_check + t_run:.1f} memberships={n} peak_rss_mb={peak_rss_mb():.0f}"
    )


if __name__ == "__main__":
    main()
