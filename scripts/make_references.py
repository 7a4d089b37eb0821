"""Regenerate the executed reference copies of the chapters in tests/reference/.

    python scripts/make_references.py            # every chapter in _toc.yml
    python scripts/make_references.py 01 03_...  # chapters whose file name starts with these

Each chapter is read through jupytext, executed top to bottom from book/ (as nbval and the
book build run it), stripped of what nbval does not compare (images, ignored outputs) and
written to tests/reference/<chapter>.ipynb. Commit the result with the chapter change.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

# The course's tooling is not installed (only dglab is): run from any directory of a checkout.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from coursetools import course  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("prefixes", nargs="*", help="only chapters whose file name starts with one of these")
    parser.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell")
    args = parser.parse_args(argv)

    selected = [
        p for p in course.chapters()
        if not args.prefixes or any(p.name.startswith(prefix) for prefix in args.prefixes)
    ]
    if not selected:
        print(f"no chapter matches {args.prefixes}", file=sys.stderr)
        return 2
    course.REFERENCES.mkdir(parents=True, exist_ok=True)
    for path in selected:
        nb = course.read_chapter(path)
        executed, seconds = course.execute(nb, timeout=args.timeout)
        reference = course.strip_for_reference(executed)
        out = course.reference_path(path)
        nbformat.write(reference, out)
        print(f"{path.name}: executed in {seconds:.1f} s -> {out.relative_to(course.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
