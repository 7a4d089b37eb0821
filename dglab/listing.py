"""Show the current source of a ``dglab`` object in a chapter, on the website and in JupyterLab alike.

``literalinclude`` only works on the website and selects by line numbers, which drift silently
when a docstring is edited. A chapter instead runs ``show_source(...)`` in a cell tagged
``remove-input``: the output is the code highlighted by Pygments with inline styles
(``text/html``, shown the same way by myst-nb on the site and by JupyterLab), with a fenced
Python block (``text/markdown``) and the plain code (``text/plain``) as alternatives. What is shown is
read from the live object with :func:`inspect.getsource`, so it is always the code that runs.

Selections name code, never line numbers: a whole object (``"dglab.gan:GANTrainer.generator_step"``),
optionally without its docstring, or the part of it that starts at (and ends before) a line
containing a given marker text, which must occur exactly once.

>>> from dglab.listing import show_source
>>> listing = show_source("dglab.linear:sigmoid", docstring=False)
>>> print(listing.code.splitlines()[0])
def sigmoid(z):
"""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
import types

__all__ = ["Listing", "resolve", "show_source", "source_lines"]

#: Shown where a selection leaves lines out.
ELISION = "..."


class Listing:
    """A piece of Python source that displays as a highlighted code block.

    Parameters
    ----------
    code : str
        The source text, without a trailing newline.
    name : str
        What it shows (the qualified name), for ``repr`` and error messages.
    """

    def __init__(self, code: str, name: str):
        self.code = code
        self.name = name

    def _repr_html_(self) -> str:
        # highlighted with inline styles, so it needs no stylesheet in JupyterLab or on the site;
        # Pygments' "xcode" colours all reach 5:1 contrast on white (WCAG AA asks 4.5:1), and the
        # white background and black text are set on the box itself, so dark mode keeps them
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer

        formatter = HtmlFormatter(noclasses=True, style=LISTING_STYLE, cssclass="dglab-listing",
                                  prestyles="margin: 0; padding: 0.5em; line-height: 1.25; "
                                            "background: #ffffff; color: #000000;")
        return highlight(self.code, PythonLexer(), formatter)

    def _repr_markdown_(self) -> str:
        # a fence longer than any backtick run inside the code, so the code cannot close it
        longest = max((len(run) for run in _backtick_runs(self.code)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{fence}python\n{self.code}\n{fence}\n"

    def __repr__(self) -> str:
        return self.code

    def __str__(self) -> str:
        return self.code


#: The Pygments style of listings: its every colour has at least 4.5:1 contrast on white.
LISTING_STYLE = "xcode"


def _backtick_runs(text: str):
    run = ""
    for char in text:
        if char == "`":
            run += char
        elif run:
            yield run
            run = ""
    if run:
        yield run


def resolve(target):
    """The object that ``target`` names: an object itself, or ``"package.module:Qual.name"``."""
    if not isinstance(target, str):
        return target
    module_name, _, qualname = target.partition(":")
    try:
        obj = importlib.import_module(module_name)
    except ImportError as error:
        raise ValueError(f"show_source: cannot import module {module_name!r} of {target!r}") from error
    for part in filter(None, qualname.split(".")):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise ValueError(f"show_source: {module_name!r} has no {qualname!r} ({part!r} is missing)") from None
    return obj


def _docstring_lines(tree: ast.AST) -> range | None:
    """0-based line range of the docstring of the first definition (or module) in ``tree``."""
    node = tree.body[0] if not isinstance(tree, ast.Module) or not _is_docstring(tree.body) else tree
    if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and _is_docstring(node.body):
        doc = node.body[0]
        return range(doc.lineno - 1, doc.end_lineno)
    return None


def _is_docstring(body) -> bool:
    return bool(body) and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
        and isinstance(body[0].value.value, str)


def _header_end(tree: ast.AST) -> int:
    """0-based index of the last line of the first definition's header (``def f(...):``)."""
    node = tree.body[0]
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return -1
    return node.body[0].lineno - 2 if node.body else node.lineno - 1


def _find(lines: list[str], marker: str, name: str, after: int = 0) -> int:
    hits = [i for i, line in enumerate(lines) if marker in line and i >= after]
    if len(hits) != 1:
        where = "does not occur" if not hits else f"occurs {len(hits)} times"
        raise ValueError(f"show_source({name}): the marker {marker!r} {where} in its source; "
                         "a marker must name exactly one line")
    return hits[0]


def source_lines(target, *, docstring: bool = True, start_at: str | None = None,
                 end_before: str | None = None) -> list[str]:
    """The lines :func:`show_source` displays (see there); elided parts appear as ``...``."""
    obj = resolve(target)
    name = target if isinstance(target, str) else getattr(obj, "__qualname__", repr(obj))
    if not isinstance(obj, types.ModuleType | type | types.FunctionType | types.MethodType) \
            and not callable(obj):
        raise TypeError(f"show_source({name}): expected a module, class or function, "
                        f"got {type(obj).__name__}")
    try:
        source = textwrap.dedent(inspect.getsource(obj))
    except (OSError, TypeError) as error:
        raise ValueError(f"show_source({name}): its source is not available ({error})") from error
    lines = source.rstrip("\n").split("\n")
    tree = ast.parse(source)
    keep = [True] * len(lines)
    if not docstring:
        doc = _docstring_lines(tree)
        if doc is not None:
            for i in doc:
                keep[i] = False
    header = _header_end(tree)
    if start_at is not None or end_before is not None:
        start = _find(lines, start_at, name) if start_at is not None else header + 1
        stop = _find(lines, end_before, name, after=start) if end_before is not None else len(lines)
        for i in range(len(lines)):
            # a definition keeps its header (signature), so the excerpt says where it lives
            if not (start <= i < stop or i <= header):
                keep[i] = False
    shown, elided = [], False
    for line, kept in zip(lines, keep, strict=True):
        if kept:
            shown.append(line)
            elided = False
        elif not elided and shown:
            indent = line[: len(line) - len(line.lstrip())] or "    "
            shown.append(indent + ELISION)
            elided = True
    if elided and shown and shown[-1].strip() == ELISION:
        shown.pop()  # nothing follows: an elision at the end says nothing
    return shown


def show_source(target, *, docstring: bool = True, start_at: str | None = None,
                end_before: str | None = None) -> Listing:
    """Display the current source of a ``dglab`` object as a highlighted code block.

    Parameters
    ----------
    target : object or str
        A module, class, function or method, or its name as ``"module:Qual.name"``
        (``"dglab.gan:GANTrainer.generator_step"``); a bare module name selects the module.
    docstring : bool, default True
        Whether to show the definition's docstring (``False`` shows ``...`` in its place).
    start_at, end_before : str, optional
        Show only the lines from the one containing ``start_at`` up to the one containing
        ``end_before`` (each must occur exactly once). A class or function keeps its header line(s).

    Returns
    -------
    Listing
        Displays as highlighted HTML (or a fenced ``python`` block); ``.code`` holds the text.

    Raises
    ------
    ValueError
        If the name cannot be imported, the source is unavailable, or a marker is missing or ambiguous.
    TypeError
        If ``target`` is not a module, class or function.
    """
    name = target if isinstance(target, str) else getattr(resolve(target), "__qualname__", repr(target))
    lines = source_lines(target, docstring=docstring, start_at=start_at, end_before=end_before)
    return Listing("\n".join(lines), str(name))
