"""Every chapter in a real JupyterLab, as a learner meets it: opened by its ``.md`` path (jupytext),
MyST rendered by jupyterlab-myst, Run All, then checked:

* Run All finishes with no error output (the time it took is printed, ``-s`` shows it);
* no raw MyST is left in the rendered markdown (``{cite``, ```` ```{ ````, ``:::{``, ``{exercise``);
* every ``show_source`` listing is visible and shows the object's current source;
* no bibliography key is shown: citations read "Author (Year)" (scripts/lab_citation_links.py);
* every solution cell is collapsed when the chapter opens (input, and outputs of code cells).
  Known gaps: Run All expands them again (JupyterLab's run action shows a markdown cell's input
  and drops a code cell's ``outputs_hidden``), and jupyterlab-myst 2.7 renders a markdown cell
  whose input is hidden anyway, so the prose of a solution stays visible;
* in a chapter with an explorer, moving a live slider changes the figure.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from coursetools import course
from dglab.listing import show_source

pytestmark = pytest.mark.lab

CHAPTERS = [p for p in course.chapters() if p.suffix == ".md" and re.match(r"\d\d_", p.name)]
RAW_MYST = ("{cite", "```{", ":::{", "{exercise", "{solution", "{ref}", "{numref}")
BIB_KEY = re.compile(r"\bch\d+-[a-z_]+\d{4}[a-z_]*\b")
RUN_ALL_TIMEOUT_S = 300
SCREENS = Path(os.environ.get("DGLAB_LAB_SCREENS", course.ROOT / "_build" / "screens" / "lab"))

NOTEBOOK_READY = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.content || !w.context || !w.context.isReady) return false;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle' && w.content.widgets.length > 0;
}"""

RUN_STATE = """() => {
  const nb = window.jupyterapp.shell.currentWidget;
  const cells = nb.content.widgets;
  let pending = 0, running = 0, total = 0;
  const errors = [];
  for (const cell of cells) {
    if (cell.model.type !== 'code') continue;
    total++;
    if (cell.model.executionCount === null) pending++;
    if (cell.promptNode && cell.promptNode.textContent.includes('*')) running++;
    const outputs = cell.model.outputs;
    for (let j = 0; j < outputs.length; j++) {
      const o = outputs.get(j).toJSON();
      if (o.output_type === 'error') errors.push(o.ename + ': ' + o.evalue);
    }
  }
  const kernel = nb.sessionContext.session && nb.sessionContext.session.kernel;
  return {pending, running, total, errors, status: kernel ? kernel.status : 'none'};
}"""

CELLS = """() => {
  const nb = window.jupyterapp.shell.currentWidget;
  return nb.content.widgets.map((cell, index) => {
    const meta = cell.model.getMetadata('jupyter') || {};
    const tags = cell.model.getMetadata('tags') || [];
    const out = cell.model.type === 'code' ? cell.node.querySelector('.jp-OutputArea') : null;
    const box = out ? out.getBoundingClientRect() : null;
    return {
      index, type: cell.model.type, source: cell.model.sharedModel.getSource(), tags,
      sourceHiddenMeta: !!meta.source_hidden, outputsHiddenMeta: !!meta.outputs_hidden,
      inputHidden: cell.inputHidden, outputHidden: cell.model.type === 'code' ? cell.outputHidden : null,
      rendered: cell.model.type === 'markdown' ? cell.rendered : null,
      text: cell.model.type === 'markdown' ? cell.inputArea.node.innerText : '',
      outputText: out ? out.innerText : '',
      outputVisible: !!box && box.width > 0 && box.height > 0 && !cell.outputHidden,
    };
  });
}"""

SLIDER_VIEW = """handle => {
  const box = handle.closest('.widget-vbox');
  const views = box ? box.querySelectorAll('.widget-html-content') : [];
  return views.length ? views[views.length - 1].innerHTML : null;
}"""


def _open(page, lab, chapter):
    base, token = lab
    # a workspace of its own, so JupyterLab does not reopen the chapters of earlier tests
    page.goto(f"{base}/lab/workspaces/{chapter.stem}/tree/{chapter.relative_to(course.ROOT).as_posix()}"
              f"?reset&token={token}")
    page.wait_for_function(NOTEBOOK_READY, timeout=240_000, polling=250)


def _run_all(page) -> tuple[float, dict]:
    start = time.monotonic()
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    state = {}
    while time.monotonic() - start < RUN_ALL_TIMEOUT_S:
        page.wait_for_timeout(250)
        state = page.evaluate(RUN_STATE)
        finished = state["pending"] == 0 or state["errors"]
        if finished and not state["running"] and state["status"] == "idle":
            return time.monotonic() - start, state
    pytest.fail(f"Run All did not finish in {RUN_ALL_TIMEOUT_S} s: {state}")


def _listing(source: str) -> str | None:
    """The code a listing cell displays, computed here from the live object."""
    match = re.search(r"show_source\(.*\)", source, re.S)
    return eval(match.group(0), {"show_source": show_source}).code if match else None  # noqa: S307


def _move_slider(page) -> tuple[bool, str]:
    handle = page.locator(".jp-OutputArea .widget-slider .noUi-handle").first
    handle.scroll_into_view_if_needed()
    before = handle.evaluate(SLIDER_VIEW)
    now, top = (handle.get_attribute(k) for k in ("aria-valuenow", "aria-valuemax"))
    handle.focus()
    page.keyboard.press("ArrowLeft" if now is not None and now == top else "ArrowRight")
    try:
        page.wait_for_function(f"() => {{ const h = document.querySelector('.jp-OutputArea .widget-slider .noUi-handle');"
                               f" return ({SLIDER_VIEW})(h) !== {before!r}; }}".replace("'", "'"),
                               timeout=30_000, polling=200)
    except Exception:
        return False, before or ""
    return True, before or ""


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_in_jupyterlab(lab_page, lab, chapter):
    page = lab_page
    _open(page, lab, chapter)
    # solutions are collapsed when the chapter opens. (Run All expands them again: JupyterLab's
    # run action shows a markdown cell's input and clears a code cell's outputs_hidden; known gap.)
    opened = page.evaluate(CELLS)
    hidden = [c for c in opened if c["sourceHiddenMeta"]]
    assert hidden, f"{chapter.name} has no collapsed solution"
    not_collapsed = [c["index"] for c in hidden if not c["inputHidden"]]
    not_collapsed += [c["index"] for c in opened if c["outputsHiddenMeta"] and not c["outputHidden"]]
    assert not not_collapsed, f"{chapter.name}: solution cells {not_collapsed} are not collapsed on opening"

    if chapter.name.startswith("03_"):  # the first solution, collapsed
        _screenshot(page, next(c["index"] for c in opened if "solution-start" in c["source"]), "solution")
    seconds, state = _run_all(page)
    print(f"\nRUN-ALL {chapter.name}: {seconds:.1f} s, {state['total']} code cells")
    assert not state["errors"], f"{chapter.name}: error output after Run All: {state['errors']}"
    assert state["pending"] == 0

    cells = page.evaluate(CELLS)
    problems = []
    for cell in cells:
        if cell["type"] == "markdown":
            if not cell["rendered"]:
                problems.append(f"markdown cell {cell['index']} is not rendered")
            key = BIB_KEY.search(cell["text"])
            if key:
                problems.append(f"markdown cell {cell['index']} shows the bibliography key {key.group(0)!r}")
            for raw in RAW_MYST:
                if raw in cell["text"]:
                    problems.append(f"markdown cell {cell['index']} shows raw MyST {raw!r}: "
                                    f"{cell['text'][max(0, cell['text'].find(raw) - 60):][:160]!r}")
        code = _listing(cell["source"]) if cell["type"] == "code" else None
        if code is not None:
            lines = [line.strip() for line in code.splitlines() if line.strip()]
            if not cell["outputVisible"] or lines[0] not in cell["outputText"] or lines[-1] not in cell["outputText"]:
                problems.append(f"listing cell {cell['index']} does not show {lines[0]!r}")
    assert not problems, f"{chapter.name}:\n" + "\n".join(problems)
    # the check above reads rendered text: the title is there, its markdown source is not
    title = re.search(r"^# (.+)$", chapter.read_text(encoding="utf-8"), re.M).group(1)
    shown = "\n".join(c["text"] for c in cells if c["type"] == "markdown")
    assert title in shown and f"# {title}" not in shown, f"{chapter.name}: markdown not rendered as MyST"

    if "explore(" in chapter.read_text(encoding="utf-8"):
        assert page.locator(".jp-OutputArea .widget-slider .noUi-handle").count(), \
            f"{chapter.name}: no live slider after Run All"
        changed, _ = _move_slider(page)
        assert changed, f"{chapter.name}: moving the slider did not change the figure"

    if chapter.name.startswith("03_"):  # a citation, the estimator's listing
        _screenshot(page, next(c["index"] for c in cells if "largest guaranteed" in c["text"]), "citation")
        _screenshot(page, next(c["index"] for c in cells if "show_source(" in c["source"]), "listing")


def _screenshot(page, index: int, name: str):
    """Chapter 3 as a learner sees it, cell ``index`` scrolled to the top, into SCREENS/ch03_<name>.png."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.evaluate("i => window.jupyterapp.shell.currentWidget.content.widgets[i].node.scrollIntoView()", index)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(SCREENS / f"ch03_{name}.png"))
