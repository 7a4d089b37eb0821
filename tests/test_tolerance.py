"""Declared nbval tolerances: numbers compared within the tolerance, the text around them exactly."""

from types import SimpleNamespace

import nbformat
import pytest
from nbval.plugin import nocolors

from conftest import TolerantCell
from coursetools.tolerance import NUMBER, Tolerance, compare_text, parse_tolerance


def test_numbers_are_found_but_not_inside_words_or_versions():
    text = "torch 2.13.0, ch5: 8/8 modes, 92.5% good, 1,000 steps, -0.5 and \u22121.2e-3, 1.52x."
    assert NUMBER.findall(text) == ["8", "8", "92.5", "1,000", "-0.5", "\u22121.2e-3", "1.52"]


@pytest.mark.parametrize(
    ("declared", "expected"),
    [(0.01, Tolerance(0.01)), ("0.01", Tolerance(0.01)), ("2%", Tolerance(0.02, relative=True)),
     (0, Tolerance(0.0))],
)
def test_parse_tolerance(declared, expected):
    assert parse_tolerance(declared) == expected


@pytest.mark.parametrize("declared", [True, None, "", "abc", "-1", -0.1, float("nan"), "inf%", [1]])
def test_a_bad_tolerance_is_a_clear_error(declared):
    with pytest.raises(ValueError, match="nbval-tolerance"):
        parse_tolerance(declared)


def test_within_tolerance_passes_and_outside_names_the_number():
    tol = parse_tolerance(0.005)
    assert compare_text("acc 0.662, f1 0.500", "acc 0.659, f1 0.501", tol) == (True, [])
    same, problems = compare_text("acc 0.670, f1 0.500", "acc 0.659, f1 0.501", tol)
    assert same and problems == ["number 1: 0.670 vs reference 0.659, tolerance 0.005"]


def test_integers_stay_exact_under_a_small_absolute_tolerance():
    assert compare_text("7/8 modes", "8/8 modes", parse_tolerance(0.05))[1] == [
        "number 1: 7 vs reference 8, tolerance 0.05"
    ]


def test_relative_tolerance_scales_with_the_reference():
    tol = parse_tolerance("2%")
    assert compare_text("FD 101.9", "FD 100.0", tol) == (True, [])
    assert compare_text("FD 0.103", "FD 0.100", tol)[1] == [
        "number 1: 0.103 vs reference 0.100, tolerance 2%"
    ]


def test_different_text_or_number_count_is_not_hidden():
    tol = parse_tolerance(1.0)
    assert compare_text("accuracy 0.5", "precision 0.5", tol) == (False, [])
    assert compare_text("0.5 0.5", "0.5", tol) == (False, [])


def _cell(declared, ref_text):
    """A TolerantCell wired to just what compare_outputs needs (no kernel)."""
    cell = object.__new__(TolerantCell)
    metadata = {} if declared is None else {"nbval-tolerance": declared}
    cell.cell = nbformat.v4.new_code_cell("print(x)", metadata=metadata)
    cell.cell_num = 4
    cell.colors = nocolors
    cell.parent = SimpleNamespace(
        sanitize_patterns={r"\d+(\.\d+)? s\b": "T"},
        skip_compare=("metadata", "traceback", "output_type", "name", "execution_count"),
    )
    ref = [nbformat.v4.new_output("stream", name="stdout", text=ref_text)]
    return cell, ref


def _stdout(text):
    return [nbformat.v4.new_output("stream", name="stdout", text=text)]


def test_tolerant_cell_accepts_numbers_within_tolerance():
    cell, ref = _cell("0.01", "accuracy 0.905 (took 2.1 s)\n")
    assert cell.compare_outputs(_stdout("accuracy 0.912 (took 3.4 s)\n"), ref)


def test_tolerant_cell_reports_cell_and_number():
    cell, ref = _cell("0.01", "accuracy 0.905, 8/8 modes\n")
    assert not cell.compare_outputs(_stdout("accuracy 0.925, 8/8 modes\n"), ref)
    assert cell.comparison_traceback == [
        "cell 4, number 1: 0.925 vs reference 0.905, tolerance 0.01"
    ]


def test_without_a_declared_tolerance_the_comparison_is_exact(monkeypatch):
    cell, ref = _cell(None, "accuracy 0.905\n")
    monkeypatch.setattr(TolerantCell, "format_output_compare", lambda self, *a: None)
    cell.comparison_traceback = []
    assert not cell.compare_outputs(_stdout("accuracy 0.906\n"), ref)
    assert cell.compare_outputs(_stdout("accuracy 0.905\n"), ref)


def test_changed_text_still_fails_under_a_tolerance(monkeypatch):
    cell, ref = _cell("0.5", "accuracy 0.905\n")
    monkeypatch.setattr(TolerantCell, "format_output_compare", lambda self, *a: None)
    assert not cell.compare_outputs(_stdout("precision 0.905\n"), ref)
