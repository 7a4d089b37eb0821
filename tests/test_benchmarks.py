"""The benchmark's own logic (not its timings): goals, the smoke run's table of contents, pytest parsing."""

import nbformat
import yaml

from benchmarks import bench_book, bench_tests
from benchmarks.common import goal_row, slowest_cells
from coursetools import course


def test_a_goal_row_says_by_how_much_it_is_met_or_missed():
    met, missed = goal_row("x", 6.0, "s", 8.0), goal_row("y", 12.0, "s", 8.0)
    assert met.ok and met.status() == "ok" and "met, 2 s to spare" in met.note
    assert not missed.ok and missed.status() == "MISS" and "missed by 4 s (+50%)" in missed.note


def test_a_smoke_run_keeps_the_chosen_chapters_and_a_valid_table_of_contents(tmp_path):
    (tmp_path / "_toc.yml").write_text((course.ROOT / "_toc.yml").read_text(encoding="utf-8"))
    (tmp_path / "book").symlink_to(course.BOOK)
    chosen = [p for p in course.chapters() if p.name.startswith(("01", "03"))]
    bench_book._keep_chapters(tmp_path, {p.stem for p in chosen})
    kept = [p.stem for p in course.chapters(tmp_path)]
    assert kept == [p.stem for p in chosen]
    toc = yaml.safe_load((tmp_path / "_toc.yml").read_text(encoding="utf-8"))
    assert all(part["chapters"] for part in toc["parts"])  # no part left empty (malformed)
    assert "prerequisites" not in {p.stem for p in course.toc_files(tmp_path)}
    assert "glossary" in {p.stem for p in course.toc_files(tmp_path)}


def test_make_book_is_run_without_reinstalling():
    command = bench_book._make_command(course.ROOT)
    assert command[:2] == ["make", "--no-print-directory"] and "book" in command
    assert "-o" in command and ".venv/.installed" in command and "_static/vendor/.complete" in command


def test_the_slowest_tests_are_read_from_pytest_durations():
    out = ("==== slowest 40 durations ====\n35.20s call     book/05_gans.md::Cell 12\n"
           "3.01s setup    tests/test_gan.py::test_fit\n")
    assert bench_tests.slowest(out, 1) == [(35.2, "book/05_gans.md::Cell 12")]
    assert bench_tests.RUNS["unit + nbval, not slow"].startswith("not slow")


def test_a_chapter_over_budget_names_its_slowest_cells():
    def cell(source, start, end):
        timing = {"iopub.execute_input": f"2026-11-30T10:00:{start:06.3f}Z",
                  "shell.execute_reply": f"2026-11-30T10:00:{end:06.3f}Z"}
        return nbformat.v4.new_code_cell(source, metadata={"execution": timing})

    nb = nbformat.v4.new_notebook(cells=[
        cell("import numpy as np", 0.0, 1.5), cell("trainer.train(200)\nprint(1)", 2.0, 9.3),
        nbformat.v4.new_markdown_cell("prose"), cell("fig", 10.0, 10.5), nbformat.v4.new_code_cell("unrun")])
    assert slowest_cells(nb) == "'trainer.train(200)' 7.3 s, 'import numpy as np' 1.5 s"
    assert slowest_cells(nb, k=5).endswith("'fig' 0.5 s")
