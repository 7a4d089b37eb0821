"""Entry point: ``python -m benchmarks [names] [--list]``; see the package docstring."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import platform
import sys
import time

from benchmarks.common import format_table

# The book rows come first (chapter execution times, cold and warm builds), then the rest by name.
FIRST = ["book"]


def available() -> list[str]:
    names = sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([os.path.dirname(__file__)])
        if m.name.startswith("bench_")
    )
    return [n for n in FIRST if n in names] + [n for n in names if n not in FIRST]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Print the course's benchmark table.")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--chapters", nargs="+", metavar="PREFIX",
                        help="only these chapters in the book benchmark (a smoke run), e.g. --chapters 01 03")
    args = parser.parse_args(argv)
    if args.chapters:
        os.environ["DGLAB_BENCH_CHAPTERS"] = " ".join(args.chapters)
    names = available()
    if args.list:
        print("\n".join(names))
        return 0
    unknown = set(args.names) - set(names)
    if unknown:
        parser.error(f"unknown benchmarks {sorted(unknown)}; available: {names}")
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    rows = []
    for name in args.names or names:
        start = time.perf_counter()
        module = importlib.import_module(f"benchmarks.bench_{name}")
        rows.extend(module.run())
        print(f"# {name}: {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
