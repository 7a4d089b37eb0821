"""Benchmarks: scripts that print measured times and ratios against a reference, in one run.

    make bench                         # everything (the book rows build the book twice: ~minutes)
    python -m benchmarks linear gan    # only bench_linear.py and bench_gan.py
    python -m benchmarks --list

Each ``bench_<name>.py`` module defines ``run() -> list[Row]``. Timings are medians of repeats
measured in the same process, so ratios compare like with like. Goals come from the issues; a
missed goal is printed as MISS, never hidden (the exit status stays 0: benchmarks report, tests
assert correctness).
"""
