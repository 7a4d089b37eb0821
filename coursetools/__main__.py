"""Command line of the course's build tooling (run from a checkout of the repository).

    python -m coursetools doctor [--skip-chapter]   check this machine's setup (PASS/FAIL lines)
    python -m coursetools slides                    write the chapters' reveal.js slides into the site
    python -m coursetools execute [--jobs N]        run the stale chapters in parallel into the build cache
    python -m coursetools reading-times             refresh each chapter's reading-time text (JupyterLab)
    python -m coursetools prerequisites             list what the chapters' front matter gets wrong
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv.pop(0) if argv else ""
    if command == "doctor":
        from coursetools.doctor import main as doctor

        return doctor(argv)
    if command == "execute":
        from coursetools.execute import main as execute

        return execute(argv)
    if command == "slides":
        from coursetools.slides import build_slides

        written = build_slides()
        for path in written:
            print(f"slides: {path}")
        print(f"slides: {len(written)} deck(s) written, the others unchanged")
        return 0
    if command == "reading-times":
        from coursetools.prerequisites import refresh_reading_times

        for path in refresh_reading_times():
            print(f"reading time updated: {path.name}")
        return 0
    if command == "prerequisites":
        from coursetools.prerequisites import problems

        found = problems()
        print("\n".join(found) or "prerequisites: no problems")
        return 1 if found else 0
    print(__doc__.strip(), file=sys.stderr)
    return 0 if command in {"-h", "--help"} else 2


if __name__ == "__main__":
    sys.exit(main())
