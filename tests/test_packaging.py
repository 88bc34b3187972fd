"""The project as a user gets it: the wheel carries every data folder and finds it when
installed, and CI runs exactly the test command the README gives."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(ROOT)], check=True, capture_output=True)
    (found,) = out.glob("policykg-*.whl")
    return found


def test_the_wheel_contains_the_data_folders(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("ontology", "queries", "site", "corpus"):
        source = sorted(p.relative_to(ROOT / folder).as_posix()
                        for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        assert source, folder
        missing = [name for name in source if f"kg/_data/{folder}/{name}" not in names]
        assert not missing, f"{folder}: {missing[:5]}"
    data_files = [p.relative_to(ROOT).as_posix() for p in (ROOT / "extract" / "data").rglob("*") if p.is_file()]
    assert data_files and all(name in names for name in data_files)
    assert "kg/cli.py" in names and "extract/pipeline.py" in names


def test_the_installed_wheel_finds_its_data(wheel, tmp_path):
    """Unpacked alone on the path (as site-packages would hold it), the package reads its
    data from ``kg/_data`` and not from this checkout."""
    zipfile.ZipFile(wheel).extractall(tmp_path)
    script = ("import kg.resources as r, json; "
              "print(json.dumps([str(r.data_dir(n)) for n in r.DATA_FOLDERS] + "
              "[len(list(r.default_corpus().glob('*.txt')))]))")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                            capture_output=True, text=True, check=True)
    *folders, documents = __import__("json").loads(result.stdout)
    assert all(Path(f).is_relative_to(tmp_path / "kg" / "_data") for f in folders)
    assert documents == 5


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
    assert command in readme and command in ci
    assert os.access(ROOT / ".ci" / "run", os.X_OK)
