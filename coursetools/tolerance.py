"""Declared tolerances for the chapters' output regression (used by ``conftest.py``'s nbval hook).

A chapter cell declares how far its printed numbers may move from the executed reference:

    ```{code-cell} ipython3
    :nbval-tolerance: 0.01     # absolute: every number may differ by at most 0.01
    ```
    ```{code-cell} ipython3
    :nbval-tolerance: 2%       # relative: every number may differ by at most 2 % of the reference
    ```

The text is split into numbers and the text between them. The text between must match exactly and
each number must lie within the tolerance of the reference's number at the same place, so with an
absolute tolerance below 1 an integer count ("8/8 modes") still has to match exactly. Cells without
the key are compared exactly; cells tagged ``nbval-ignore-output`` are not compared at all.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["METADATA_KEY", "NUMBER", "Tolerance", "parse_tolerance", "compare_text"]

METADATA_KEY = "nbval-tolerance"

# A number not glued to the end of a word or a version ("ch5", "x1", "2.13.0" stay text): optional
# sign (ASCII or Unicode minus), digits with optional thousands separators, decimals, exponent.
# A unit may follow ("1.52x", "10.4s").
NUMBER = re.compile(
    r"(?<![\w.])[-\u2212+]?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?(?!\.?\d)"
)


@dataclass(frozen=True)
class Tolerance:
    """How far a number may be from its reference: ``value`` absolute, or relative if ``relative``."""

    value: float
    relative: bool = False

    def allows(self, test: float, reference: float) -> bool:
        limit = self.value * abs(reference) if self.relative else self.value
        # a hair of slack so that "0.01 apart" passes a tolerance of 0.01 despite binary rounding
        return abs(test - reference) <= limit * (1 + 1e-9) + 1e-12

    def __str__(self) -> str:
        return f"{self.value * 100:g}%" if self.relative else f"{self.value:g}"


def parse_tolerance(value) -> Tolerance:
    """A cell's declared tolerance: a non-negative number, or a string like ``"0.01"`` or ``"2%"``."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{METADATA_KEY} must be a number or a percentage like '2%', got {value!r}")
    relative = isinstance(value, str) and value.strip().endswith("%")
    text = value.strip().rstrip("%") if isinstance(value, str) else value
    try:
        number = float(text)
    except (TypeError, ValueError):
        raise ValueError(
            f"{METADATA_KEY} must be a number or a percentage like '2%', got {value!r}"
        ) from None
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{METADATA_KEY} must be finite and >= 0, got {value!r}")
    return Tolerance(number / 100 if relative else number, relative)


def _to_float(token: str) -> float:
    return float(token.replace(",", "").replace("\u2212", "-"))


def compare_text(test: str, reference: str, tolerance: Tolerance) -> tuple[bool, list[str]]:
    """Compare two printed outputs number by number.

    Returns ``(same_text, problems)``: ``same_text`` is False when the text between the numbers
    differs (or their count does), in which case the caller shows the ordinary diff; ``problems``
    lists, one line each, the numbers outside the tolerance ("number 3: 0.662 vs reference
    0.659, tolerance 0.005").
    """
    test_numbers, ref_numbers = NUMBER.findall(test), NUMBER.findall(reference)
    if NUMBER.split(test) != NUMBER.split(reference) or len(test_numbers) != len(ref_numbers):
        return False, []
    problems = []
    for k, (got, want) in enumerate(zip(test_numbers, ref_numbers, strict=True), start=1):
        if not tolerance.allows(_to_float(got), _to_float(want)):
            problems.append(f"number {k}: {got} vs reference {want}, tolerance {tolerance}")
    return True, problems
