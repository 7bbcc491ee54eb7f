"""The layer rules are enforced: a core module importing a domain app breaks `make lint`."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _run(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tmp_path / "pyproject.toml")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )


def test_contracts_hold_on_the_tree(tmp_path):
    shutil.copytree(ROOT / "suotdoi", tmp_path / "suotdoi")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    r = _run(tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr


def test_core_importing_a_domain_app_breaks_the_contract(tmp_path):
    shutil.copytree(ROOT / "suotdoi", tmp_path / "suotdoi")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with (tmp_path / "suotdoi" / "core" / "text.py").open("a") as fh:
        fh.write("\nimport suotdoi.organisations.models  # noqa\n")
    r = _run(tmp_path)
    assert r.returncode != 0
    assert "core imports no domain app BROKEN" in r.stdout
