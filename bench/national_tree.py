"""Benchmark: a national-scale organisation tree on PostgreSQL.

Generates (once; reused on later runs) 34 provinces with ~3,300 communes, a trade-union tree of
~120,000 units (federation → direct-superior unions → grassroots unions → union groups) and
~10 million people, each a member of one union group. Then measures, as medians of 20:

  - counting the members of one province's subtree (the selector the unit page uses);
  - the first page of that province's member list (~300,000 members) with its total;
  - the whole member-list page over HTTP, rendered, as the provincial officer.

    BENCH_DATABASE_URL=postgres://… python bench/national_tree.py [--people 10000000]
"""

from __future__ import annotations

import argparse
import statistics
import time

from _setup import use_database

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def b36(n: int) -> str:
    out = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out


def generate(people: int) -> None:
    from suotdoi.demo.world import FAMILY, GIVEN_F, GIVEN_M, MIDDLE_F, MIDDLE_M

    MIDDLE = sorted(set(MIDDLE_F + MIDDLE_M))
    GIVEN = sorted(set(GIVEN_F + GIVEN_M))
    from django.db import connection
    from django.utils import timezone

    from suotdoi.core.text import fold
    from suotdoi.organisations.models import UnitType

    t = {x.code: x.pk for x in UnitType.objects.all()}
    now = timezone.now()
    units = []  # (path, depth, numchild, name, code, type, tree_key)

    def add(path, name, code, type_code, numchild):
        units.append(
            (
                path,
                len(path) // 4,
                numchild,
                name,
                code,
                t[type_code],
                path[:4],
                fold(f"{name} {code}"),
            )
        )

    # Administrative tree: 34 provinces, ~3,300 communes
    add(b36(1), "Việt Nam", "VN", "tinh", 34)
    for p in range(34):
        pp = b36(1) + b36(p + 1)
        communes = 97 if p < 16 else 98
        add(pp, f"Tỉnh số {p + 1}", f"T{p + 1:02d}", "tinh", communes)
        for c in range(communes):
            add(
                pp + b36(c + 1), f"Xã số {c + 1} tỉnh {p + 1}", f"X{p + 1:02d}-{c + 1:03d}", "xa", 0
            )
    # Union tree: VGCL → 34 federations → 10 superiors → 88 grassroots each → 3 groups
    root = b36(2)
    add(root, "Tổng Liên đoàn Lao động Việt Nam", "TLD", "tong-lien-doan", 34)
    groups = []
    for p in range(34):
        fp = root + b36(p + 1)
        add(fp, f"Liên đoàn Lao động tỉnh số {p + 1}", f"LDLD-{p + 1:02d}", "ldld-tinh", 10)
        for s in range(10):
            sp = fp + b36(s + 1)
            add(
                sp,
                f"Công đoàn cấp trên số {s + 1}",
                f"CT-{p + 1:02d}-{s + 1:02d}",
                "cdct-truc-tiep",
                88,
            )
            for g in range(88):
                gp = sp + b36(g + 1)
                code = f"CS-{p + 1:02d}-{s + 1:02d}-{g + 1:03d}"
                add(gp, f"Công đoàn cơ sở {code}", code, "cdcs", 3)
                for k in range(3):
                    add(
                        gp + b36(k + 1),
                        f"Tổ công đoàn số {k + 1}",
                        f"{code}-{k + 1}",
                        "to-cong-doan",
                        0,
                    )
                    groups.append(gp + b36(k + 1))
    print(f"  units: {len(units):,} ({len(groups):,} union groups)", flush=True)
    with connection.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        with cur.copy(
            "COPY organisations_unit (path, depth, numchild, name, code, unit_type_id, "
            "tree_key, search_text, short_name, address, phone, email, member_count, "
            "created_at, active_from) FROM STDIN"
        ) as copy:
            for u in units:
                copy.write_row((*u, "", "", "", "", 0, now, "2025-07-01"))
        print("  people…", flush=True)
        fam_f = [fold(x) for x in FAMILY]
        mid_f = [fold(x) for x in MIDDLE]
        giv_f = [fold(x) for x in GIVEN]

        def arr(xs):
            return "ARRAY[" + ",".join("'" + x + "'" for x in xs) + "]"

        cur.execute(
            f"""
            INSERT INTO people_person (public_id, password, is_superuser, full_name, name_sort,
                search_text,
                gender, phone, national_id_hash, national_id_cipher, email_sha1, phone_verified,
                language, is_active, is_staff, date_joined)
            SELECT substr(md5(i::text || clock_timestamp()::text), 1, 22), '!', false,
                   f || ' ' || m || ' ' || g,
                   gf || ' ' || ff || ' ' || mf || '|' || lower(g || ' ' || f || ' ' || m),
                   ff || ' ' || mf || ' ' || gf || ' 09' || lpad(i::text, 8, '0'),
                   CASE WHEN i %% 2 = 0 THEN 'female' ELSE 'male' END,
                   '+849' || lpad(i::text, 8, '0'), md5('cccd' || i::text), '', '', false,
                   'vi', true, false,
                   now()
            FROM (
              SELECT i,
                ({arr(FAMILY)})[1 + (i * 7) %% {len(FAMILY)}] AS f,
                ({arr(fam_f)})[1 + (i * 7) %% {len(FAMILY)}] AS ff,
                ({arr(MIDDLE)})[1 + (i * 13) %% {len(MIDDLE)}] AS m,
                ({arr(mid_f)})[1 + (i * 13) %% {len(MIDDLE)}] AS mf,
                ({arr(GIVEN)})[1 + (i * 31) %% {len(GIVEN)}] AS g,
                ({arr(giv_f)})[1 + (i * 31) %% {len(GIVEN)}] AS gf
              FROM generate_series(1, %s) AS i
            ) s
        """,
            [people],
        )
        print("  memberships…", flush=True)
        cur.execute("CREATE TEMP TABLE bench_groups (rn int PRIMARY KEY, id bigint, path text)")
        cur.execute(
            """
            INSERT INTO bench_groups
            SELECT row_number() OVER (ORDER BY path) - 1, id, path FROM organisations_unit
            WHERE unit_type_id = %s
        """,
            [t["to-cong-doan"]],
        )
        cur.execute("SELECT count(*) FROM bench_groups")
        n_groups = cur.fetchone()[0]
        cur.execute(
            """
            INSERT INTO organisations_membership (created_at, updated_at, person_id, unit_id,
                role, position_title, start_date, end_reason, unit_path, person_name_sort,
                added_on_behalf, consent_note, external_id, income_group, occupation_group)
            SELECT now(), now(), p.id, g.id, 'member', '', '2024-01-01', '', g.path,
                   p.name_sort, false, '', '', '', ''
            FROM people_person p JOIN bench_groups g ON g.rn = p.id %% %s
        """,
            [n_groups],
        )
        print("  member counts…", flush=True)
        cur.execute("""
            UPDATE organisations_unit u SET member_count = c.n
            FROM (SELECT unit_id, count(*) AS n FROM organisations_membership
                  WHERE end_date IS NULL GROUP BY unit_id) c
            WHERE c.unit_id = u.id
        """)
        cur.execute("ANALYZE")


def median_ms(fn, n=20):
    fn()  # warm caches once, as a running server would have them
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples), max(samples)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=10_000_000)
    ap.add_argument("--regenerate", action="store_true")
    args = ap.parse_args()
    import os

    if not os.environ.get("BENCH_DATABASE_URL"):
        raise SystemExit("set BENCH_DATABASE_URL to a PostgreSQL database the bench may wipe")
    # Reuse a generated world when it is there: generation takes minutes.
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    import django

    django.setup()
    from django.db import connection

    from suotdoi.organisations.models import Membership, Unit

    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('organisations_unit')")
        exists = cur.fetchone()[0] is not None
    have = exists and Membership.objects.count() >= args.people * 0.99
    if args.regenerate or not have:
        use_database("postgres")
        t0 = time.perf_counter()
        print(f"generating {args.people:,} people…", flush=True)
        generate(args.people)
        print(f"  generated in {time.perf_counter() - t0:.0f} s", flush=True)

    from django.test import Client

    from suotdoi.organisations import selectors
    from suotdoi.organisations.actions import membership_add
    from suotdoi.people.models import Person

    province = Unit.objects.get(code="LDLD-07")
    print(f"units={Unit.objects.count():,} memberships={Membership.objects.count():,}")
    count = selectors.unit_subtree_member_count(unit=province)

    def first_page():
        qs = selectors.membership_list(unit=province)
        return list(qs[:50]), selectors.unit_subtree_member_count(unit=province)

    officer = Person.objects.filter(email="bench.officer@example.vn").first()
    if officer is None:
        officer = Person.objects.create_user(
            full_name="Cán bộ Tỉnh", password=None, email="bench.officer@example.vn"
        )
        membership_add(actor=officer, unit=province, person=officer, role="reporter")
    client = Client()
    client.force_login(officer)

    def page():
        r = client.get(f"/units/{province.pk}/members/", HTTP_HOST="127.0.0.1")
        assert r.status_code == 200, r.status_code

    m1, x1 = median_ms(lambda: selectors.unit_subtree_member_count(unit=province))
    m2, x2 = median_ms(first_page)
    m3, x3 = median_ms(page)
    rows, _ = first_page()
    print(f"national_tree province=LDLD-07 subtree_members={count:,}")
    print(f"  count members of the province subtree: median {m1:.1f} ms (max {x1:.1f})")
    print(f"  first page (50 of {count:,}) + total:    median {m2:.1f} ms (max {x2:.1f})")
    print(f"  member-list page over HTTP, rendered:   median {m3:.1f} ms (max {x3:.1f})")
    print(f"  first names on the page: {[m.person.full_name for m in rows[:3]]}")


if __name__ == "__main__":
    main()
