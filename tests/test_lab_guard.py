"""The first code cell of every chapter stops a kernel without dglab with one message naming the
fix (scripts/lab_first_cell_guard.py), and is silent in the course's environment."""

import subprocess
import sys

import pytest

from coursetools import course

CHAPTERS = [p for p in course.chapters() if p.suffix == ".md"]


def _first_code_cell(chapter):
    return next(c for c in course.read_chapter(chapter).cells if c.cell_type == "code")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_first_cell_is_the_guard_and_hidden_on_the_site(chapter):
    cell = _first_code_cell(chapter)
    assert 'find_spec("dglab")' in cell.source and "make lab" in cell.source
    assert "remove-cell" in cell.metadata.get("tags", [])


def test_guard_names_the_fix_in_a_python_without_dglab(tmp_path):
    source = _first_code_cell(CHAPTERS[0]).source
    # -I -S: no site-packages (where dglab is installed) and no PYTHONPATH, as in a system Python
    result = subprocess.run([sys.executable, "-I", "-S", "-c", source], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ModuleNotFoundError: This kernel has no dglab") and "`make lab`" in last


def test_guard_is_silent_with_dglab(tmp_path):
    source = _first_code_cell(CHAPTERS[0]).source
    result = subprocess.run([sys.executable, "-c", source], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout == result.stderr == ""
