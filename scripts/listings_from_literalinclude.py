"""Replace every ``literalinclude`` of dglab code in the chapters by a ``show_source`` listing cell.

``literalinclude`` shows nothing in JupyterLab and selects lines by number. Each one becomes a
code cell tagged ``remove-input`` (the website shows only the highlighted source, as before)
that calls :func:`dglab.listing.show_source`, which works in JupyterLab too:

* ``:pyobject: Name`` -> ``show_source("dglab.module:Name")``;
* ``:pyobject:`` with ``:lines: 1-k,a-b`` (the signature, then part of the body) ->
  ``docstring=False`` plus ``start_at``/``end_before`` markers: the text of lines ``a`` and
  ``b + 1`` of the object's *current* source (check the result: if lines drifted since the chapter
  was written, adjust the marker by hand);
* ``:start-at:`` / ``:end-before:`` -> the same markers on the module.

Idempotent: run it again after merging other branches (``python scripts/listings_from_literalinclude.py``);
it prints what it replaced.
"""

from __future__ import annotations

import inspect
import re
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dglab.listing import resolve  # noqa: E402

BLOCK = re.compile(r"^```\{literalinclude\} \.\./(dglab/[\w/]+)\.py\n((?::[\w-]+:.*\n)*)```\n", re.M)


def _option(options: str, name: str) -> str | None:
    match = re.search(rf"^:{name}: *(.*)$", options, re.M)
    if not match:
        return None
    value = match.group(1).strip()
    return value[1:-1] if len(value) > 1 and value[0] == value[-1] == '"' else value


def _quote(text: str) -> str:
    return f'"{text}"' if '"' not in text and "\\" not in text else repr(text)


def listing_cell(path: str, options: str) -> str:
    module = path.replace("/", ".")
    pyobject, lines = _option(options, "pyobject"), _option(options, "lines")
    start_at, end_before = _option(options, "start-at"), _option(options, "end-before")
    known = {"pyobject", "lines", "start-at", "end-before"}
    unknown = set(re.findall(r"^:([\w-]+):", options, re.M)) - known
    if unknown:
        raise SystemExit(f"literalinclude of {path} uses {sorted(unknown)}: convert it by hand")
    target = f"{module}:{pyobject}" if pyobject else module
    args = [_quote(target)]
    if lines:
        ranges = [tuple(int(n) for n in part.split("-")) if "-" in part else (int(part), int(part))
                  for part in lines.split(",")]
        if len(ranges) != 2 or ranges[0][0] != 1:
            raise SystemExit(f"{target}: lines {lines} is not 'signature, then one part': convert by hand")
        source = textwrap.dedent(inspect.getsource(resolve(target))).rstrip("\n").split("\n")
        first, last = ranges[1]
        args.append("docstring=False")
        start_at = source[first - 1].strip()
        end_before = source[last].strip() if last < len(source) else None
    if start_at:
        args.append(f"start_at={_quote(start_at)}")
    if end_before:
        args.append(f"end_before={_quote(end_before)}")
    call = f"show_source({', '.join(args)})"
    if len(call) > 96:
        call = "show_source(\n    " + ",\n    ".join(args) + ",\n)"
    return ("```{code-cell} ipython3\n:tags: [remove-input]\n\n"
            f"from dglab.listing import show_source\n\n{call}\n```\n")


def convert(text: str) -> tuple[str, list[str]]:
    done = []

    def replace(match):
        cell = listing_cell(match.group(1), match.group(2))
        done.append(cell.split("\n\n", 2)[2].strip().removesuffix("```").strip())
        return cell

    return BLOCK.sub(replace, text), done


def main(paths) -> None:
    for path in paths:
        text = path.read_text(encoding="utf-8")
        new, done = convert(text)
        if done:
            path.write_text(new, encoding="utf-8")
            print(f"{path.relative_to(ROOT)}: {len(done)} listing(s)")
            for call in done:
                print("   ", call.replace("\n", " "))
        left = re.findall(r"^```\{literalinclude\}.*$", new, re.M)
        if left:
            print(f"{path.relative_to(ROOT)}: left unconverted: {left}")


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]] or sorted((ROOT / "book").glob("*.md")))
