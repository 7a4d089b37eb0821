"""Command line of the course's build tooling (run from a checkout of the repository).

    python -m coursetools doctor [--skip-chapter]   check this machine's setup (PASS/FAIL lines)
    python -m coursetools slides                    write the chapters' reveal.js slides into the site
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv.pop(0) if argv else ""
    if command == "doctor":
        from coursetools.doctor import main as doctor

        return doctor(argv)
    if command == "slides":
        from coursetools.slides import build_slides

        for path in build_slides():
            print(f"slides: {path}")
        return 0
    print(__doc__.strip(), file=sys.stderr)
    return 0 if command in {"-h", "--help"} else 2


if __name__ == "__main__":
    sys.exit(main())
