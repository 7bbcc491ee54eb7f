"""`make bench`: run every benchmark and print its figures.

SQLite always; PostgreSQL ones when BENCH_DATABASE_URL points at a database they may wipe.
"""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable


def run(*args: str) -> None:
    print("$", " ".join(["python", *args]), flush=True)
    subprocess.run([PY, *args], cwd=HERE, check=True)


rows = os.environ.get("BENCH_ROWS", "100000")
run("import_members.py", "--db", "sqlite", "--rows", rows)
run("credentials.py", "--db", "sqlite")
run("lrs.py", "--db", "sqlite", "--known", "0")
if os.environ.get("BENCH_DATABASE_URL"):
    run("import_members.py", "--db", "postgres", "--rows", rows)
    run("national_tree.py")
    run("credentials.py", "--db", "postgres")
    run("lrs.py", "--db", "postgres", "--known", "0")
    run("lrs.py", "--db", "postgres", "--known", "1")
    run("lrs_query.py")
    run("campaigns.py")
    run("catalog.py")
    run("recognition.py")
    run("unit_move.py")
    run("api_figures.py", "--db", "postgres")
    run("api_bulk.py", "--db", "postgres", "--members", rows)
    run("funding.py", "--accounts", rows)
    run("credits.py")
    run("contests.py")
    run("packages.py")
else:
    print("BENCH_DATABASE_URL not set: PostgreSQL benchmarks skipped")
