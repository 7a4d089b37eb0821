"""Explorers: one mechanism that turns a rendering function and slider values into an interactive view.

An :class:`Explorer` wraps a function ``render(**params)`` that returns a matplotlib ``Figure``
(or text, or an object with ``_repr_html_`` such as a DataFrame, or a tuple of those) and a
small grid of values for each parameter. Displayed in a notebook it offers two representations
of the same thing:

* **live** (JupyterLab, a running kernel): an ipywidget with one slider per parameter;
* **static** (the built website, no kernel): a self-contained HTML scrubber whose sliders swap
  between outputs rendered once, at build time, for every combination of values.

A parameter named ``step`` (training snapshots), or any :class:`Param` with ``play=True``, also
gets a **Play** control that walks its slider from the current value to the last one and stops
there: an ipywidgets ``Play`` linked to the slider in JupyterLab, a Play/Pause toggle button on
the static page. Nothing plays until the reader presses it (so ``prefers-reduced-motion`` is
respected: no motion starts by itself).

Both are served from one cache of rendered frames, so they always show the same pictures, and a
slider move never waits for a model to train. The static page needs no JavaScript library: the
frames travel inside the page. The book's configuration (``nb_mime_priority_overrides`` in
``_config.yml``) tells the HTML builder to prefer the static representation.

When the frames are rendered (``$DGLAB_STATIC_EXPLORERS``)
-----------------------------------------------------------
Rendering every frame costs ~0.1-0.3 s each, which a learner in JupyterLab should not wait for
(chapter 5's training explorer has dozens). So there are two modes:

* **on demand** (the default inside a Jupyter kernel: JupyterLab, the classroom hub): displaying
  an explorer renders only the default frame; every other frame is rendered the first time a
  slider (or Play) reaches it, then kept in memory. Its ``text/html`` fallback holds just the
  default frame and a one-line note, no sliders. ``render`` then reads the module-level names as
  they were bound when the explorer was displayed (a later cell may reuse a name for other data).
* **every frame** (``DGLAB_STATIC_EXPLORERS=1``, and always outside a kernel): displaying renders
  every combination for the static scrubber, as the published page needs.

Whatever executes a chapter to publish or compare it sets ``DGLAB_STATIC_EXPLORERS=1`` for its
kernels: ``python -m coursetools execute`` (the parallel execution of ``make book``), the book's
Sphinx extension (``coursetools/sphinxext.py``, for jupyter-book's own execution), the nbval run
of ``pytest book/...`` (``conftest.py``), ``scripts/make_references.py`` and the benchmark's
"build" rows (all through ``coursetools.course.execute``). ``DGLAB_STATIC_EXPLORERS=0`` forces on
demand even there (the benchmark's "JupyterLab" rows). To export a notebook from JupyterLab with
working static sliders, start JupyterLab with ``DGLAB_STATIC_EXPLORERS=1``.

Examples
--------
>>> import numpy as np
>>> from dglab.widgets import Param, explore
>>> def render(slope, name):
...     return f"{name}: y = {slope:.1f} x"
>>> ex = explore(render, title="Lines", slope=Param(np.linspace(0, 2, 5), default=1.0),
...              name=["a", "b"])
>>> ex.shape
(5, 2)
>>> ex.frame_for(slope=1.0, name="b")
'<pre class="dglab-explorer-text">b: y = 1.0 x</pre>'
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import os
import time
import types
import uuid
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from dglab import _frame_cache
from dglab._validation import _is_real, check_callable, check_int

__all__ = ["Param", "Explorer", "explore"]

#: Set to 1 to render every frame when an explorer is displayed (see "When the frames are rendered").
STATIC_ENV = "DGLAB_STATIC_EXPLORERS"

#: More frames than this make pages heavy and builds slow; split the explorer instead.
MAX_FRAMES = 240


@dataclass(frozen=True)
class Param:
    """The values one slider of an :class:`Explorer` can take.

    Each value is one stop of the slider. A static page holds one frame per combination of the
    stops of all the sliders (at most ``MAX_FRAMES``), so keep the grids short.

    Parameters
    ----------
    values : sequence
        The grid of values, in slider order (numbers or labels such as strategy names).
    label : str, optional
        Text shown next to the slider; defaults to the parameter's name with spaces.
    fmt : str or callable, optional
        How a value is shown, e.g. ``"{:.0e}"`` or ``lambda v: f"{v:.0%}"``.
    default : optional
        The value shown first (must be one of ``values``); defaults to the first value.
    play : bool, optional
        Give the slider a Play button that steps through the values in order (training steps,
        say). ``None`` (the default) means: only for a parameter named ``step``. Needs numeric
        values (a slider).
    """

    values: Sequence[Any]
    label: str | None = None
    fmt: str | Callable[[Any], str] | None = None
    default: Any = None
    play: bool | None = None
    _values: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if isinstance(self.values, (str, bytes)) or not isinstance(self.values, Iterable):
            raise TypeError(f"Param values must be a sequence of values, got {self.values!r}")
        values = tuple(v.item() if isinstance(v, np.generic) else v for v in self.values)
        if not values:
            raise ValueError("a Param needs at least one value")
        bad = [v for v in values if _is_real(v) and not np.isfinite(v)]
        if bad:
            raise ValueError(f"Param values must be finite numbers, got {bad[0]!r} in {list(values)}")
        object.__setattr__(self, "_values", values)
        if self.default is not None:
            self.index_of(self.default)  # raises if the default is not on the grid
        if self.play is not None and not isinstance(self.play, (bool, np.bool_)):
            raise ValueError(f"play must be True, False or None, got {self.play!r}")
        if self.play and not self.numeric:
            raise ValueError("play=True needs numeric values (a slider), got labels "
                             f"{list(values)}")

    @property
    def numeric(self) -> bool:
        return all(_is_real(v) for v in self._values)

    @property
    def grid(self) -> tuple:
        return self._values

    @property
    def default_index(self) -> int:
        return 0 if self.default is None else self.index_of(self.default)

    def index_of(self, value) -> int:
        """Position of ``value`` on the grid (floats compared with a relative tolerance)."""
        for i, v in enumerate(self._values):
            if _is_real(v) and _is_real(value):
                if np.isclose(v, value, rtol=1e-9, atol=0.0):
                    return i
            elif v == value:
                return i
        raise ValueError(f"{value!r} is not one of the values {list(self._values)}")

    def format(self, value) -> str:
        if callable(self.fmt):
            return str(self.fmt(value))
        if isinstance(self.fmt, str):
            return self.fmt.format(value)
        if isinstance(value, float):
            return f"{value:.3g}"
        return str(value)


#: A parameter with this name gets a Play button unless its Param says ``play=False``.
PLAY_NAME = "step"

#: Milliseconds between two frames while playing (the static page and the live Play widget).
PLAY_INTERVAL_MS = 700


def _as_param(name: str, spec) -> Param:
    param = spec if isinstance(spec, Param) else Param(spec)
    label = name.replace("_", " ") if param.label is None else param.label
    play = (name == PLAY_NAME and param.numeric) if param.play is None else bool(param.play)
    return Param(param.grid, label=label, fmt=param.fmt, default=param.default, play=play)


#: Encoded images of figures that a render function returned, for when it returns the same one
#: again (one panel shared by many frames, e.g. a curve for every temperature at one training
#: step): ``{figure: (dpi, base64 PNG, width, height)}``. Weak keys: the entry goes with the figure.
_ENCODED = weakref.WeakKeyDictionary()


def _figure_to_html(fig: Figure, alt: str, dpi: int) -> str:
    from dglab.plots.base import figure_png

    known = _ENCODED.get(fig)
    # Matplotlib marks a figure stale when any of its artists changes after it was drawn, so a
    # figure redrawn in place is encoded again, never shown with an old image.
    if known is not None and known[0] == dpi and not fig.stale:
        _, data, width, height = known
    else:
        # 2 image pixels per CSS pixel (sharp on high-DPI screens), shown at the figure's size at dpi
        png, width, height = figure_png(fig, dpi)
        data = base64.b64encode(png).decode("ascii")
        _ENCODED[fig] = (dpi, data, width, height)
        fig.stale = False  # saving with bbox_inches="tight" leaves it stale; this image is current
    import matplotlib.pyplot as plt

    plt.close(fig)  # figures made with pyplot would otherwise also display at the end of the cell
    return (f'<img src="data:image/png;base64,{data}" width="{width}" height="{height}" '
            f'alt="{html.escape(alt, quote=True)}">')


def _output_to_html(output, alt: str, dpi: int) -> str:
    if isinstance(output, Figure):
        return _figure_to_html(output, alt, dpi)
    if isinstance(output, str):
        return f'<pre class="dglab-explorer-text">{html.escape(output)}</pre>'
    if isinstance(output, (tuple, list)):
        return "".join(_output_to_html(part, alt, dpi) for part in output)
    if hasattr(output, "_repr_html_"):
        return f'<div class="dglab-explorer-html">{output._repr_html_()}</div>'
    raise TypeError(
        "an explorer's render function must return a matplotlib Figure, a str, an object with "
        f"_repr_html_ (e.g. a DataFrame) or a tuple of those; got {type(output).__name__}"
    )


_CSS = """
.dglab-explorer{border:1px solid #9ca3af;border-radius:8px;padding:.6em .8em;margin:.5em 0;
  max-width:100%;box-sizing:border-box;color:inherit;background:transparent;color-scheme:light dark}
.dglab-explorer-title{font-weight:600;margin-bottom:.3em}
.dglab-explorer-controls{display:flex;flex-wrap:wrap;gap:.4em 1.6em;margin-bottom:.4em;
  font-size:.9em}
.dglab-explorer-controls label{display:flex;flex-wrap:wrap;align-items:center;gap:.2em .5em;
  max-width:100%}
.dglab-explorer-controls input[type=range]{width:14em;max-width:100%}
.dglab-explorer-controls input:focus-visible,.dglab-explorer-controls select:focus-visible{
  outline:2px solid #2563eb;outline-offset:2px}
.dglab-explorer-controls output{font-family:monospace;min-width:4em}
.dglab-explorer-play{font:inherit;min-width:5.5em;min-height:2em;padding:.1em .6em;
  border:1px solid #6b7280;border-radius:4px;background:transparent;color:inherit;cursor:pointer}
.dglab-explorer-play[aria-pressed=true]{background:rgba(37,99,235,.15)}
.dglab-explorer-play:focus-visible{outline:2px solid #2563eb;outline-offset:2px}
.dglab-explorer-view img{display:block;max-width:100%;height:auto;background:#fff}
.dglab-explorer-text{white-space:pre-wrap;font-size:.85em}
.dglab-explorer-html{overflow-x:auto}
@media (max-width:600px){
  .dglab-explorer{padding:.4em .3em;margin-left:-.3em;margin-right:-.3em;max-width:calc(100% + .6em)}
  .dglab-explorer-controls{flex-direction:column;gap:.5em}
  .dglab-explorer-controls label{display:grid;grid-template-columns:1fr auto;width:100%}
  .dglab-explorer-controls input[type=range],.dglab-explorer-controls select{grid-column:1 / -1;
    width:100%;min-height:2em;order:3}
}
"""

_JS = """
(function () {
  var root = document.getElementById("%(id)s");
  var data = JSON.parse(root.querySelector("script.dglab-explorer-data").textContent);
  var view = root.querySelector(".dglab-explorer-view");
  var controls = Array.prototype.slice.call(root.querySelectorAll("[data-dglab-param]"));
  function update() {
    var key = controls.map(function (c) { return c.value; }).join(",");
    view.innerHTML = data.frames[key];
    controls.forEach(function (c, i) {
      var shown = data.labels[i][Number(c.value)];
      var out = root.querySelector('output[data-dglab-output="' + i + '"]');
      if (out) { out.textContent = shown; }
      // screen readers announce the value as shown, not the slider's index
      if (c.type === "range") { c.setAttribute("aria-valuetext", shown); }
    });
  }
  controls.forEach(function (c) {
    c.addEventListener("input", update);
    c.addEventListener("change", update);
  });
  // Play: step one slider to its last value, then stop. Only a press starts it (nothing
  // moves on its own, which respects prefers-reduced-motion); a second press pauses.
  root.querySelectorAll("button[data-dglab-play]").forEach(function (button) {
    var slider = controls[Number(button.getAttribute("data-dglab-play"))];
    var timer = null;
    function show(playing) {
      button.setAttribute("aria-pressed", playing ? "true" : "false");
      button.textContent = playing ? "\u275a\u275a Pause" : "\u25b6 Play";
    }
    function stop() { clearInterval(timer); timer = null; show(false); }
    function advance() {
      var next = Number(slider.value) + 1;
      if (next > Number(slider.max)) { stop(); return; }
      slider.value = String(next);
      update();
      if (next >= Number(slider.max)) { stop(); }
    }
    button.addEventListener("click", function () {
      if (timer !== null) { stop(); return; }
      if (Number(slider.value) >= Number(slider.max)) { slider.value = slider.min; update(); }
      show(true);
      timer = setInterval(advance, %(interval)d);
    });
    // moving the slider by hand takes over from Play
    slider.addEventListener("pointerdown", function () { if (timer !== null) { stop(); } });
    slider.addEventListener("keydown", function () { if (timer !== null) { stop(); } });
  });
})();
"""


class Explorer:
    """An interactive view of ``render(**params)`` over a grid of parameter values.

    Build one with :func:`explore`. Displaying it renders every frame once when publishing
    (outside a kernel or with ``$DGLAB_STATIC_EXPLORERS=1``), else only the default frame and
    the others as sliders reach them (the cost is in :attr:`render_seconds_`; with ``$DGLAB_FRAME_CACHE`` set, frames rendered
    before by the same code on the same data are read from disk, see :mod:`dglab._frame_cache`)
    and shows a live ipywidget in JupyterLab and a
    static HTML scrubber on the built website.

    Parameters
    ----------
    render : callable
        ``render(**params)`` returning a Figure, text, an HTML-able object, or a tuple of those.
    params : mapping of str to Param
        One slider per entry, in order.
    title : str
        Shown above the sliders and used in the images' alt text.
    dpi : int
        Resolution of the rendered figures.
    """

    def __init__(self, render: Callable[..., Any], params: Mapping[str, Param], *, title: str,
                 dpi: int = 80):
        check_callable("render", render)
        if not params:
            raise ValueError("an explorer needs at least one parameter to vary")
        if not isinstance(title, str) or not title.strip():
            raise ValueError("an explorer needs a non-empty title (it is also the figures' alt text)")
        self.render = render
        self.params = {name: _as_param(name, spec) for name, spec in params.items()}
        self.title = title
        self.dpi = check_int("dpi", dpi, minimum=10, maximum=600)
        n_frames = int(np.prod(self.shape))
        if n_frames > MAX_FRAMES:
            raise ValueError(
                f"{n_frames} combinations of slider values is more than {MAX_FRAMES}; "
                "use fewer values or split the explorer"
            )
        self._frames: dict[tuple[int, ...], str] = {}
        #: Seconds spent rendering each frame, keyed by the tuple of value indices.
        self.render_seconds_: dict[tuple[int, ...], float] = {}
        self._render_digest: str | None = None
        self._widget = None

    # -- frames ------------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        """Number of values of each parameter."""
        return tuple(len(p.grid) for p in self.params.values())

    @property
    def default_index(self) -> tuple[int, ...]:
        return tuple(p.default_index for p in self.params.values())

    def values_at(self, index: Sequence[int]) -> dict[str, Any]:
        """The parameter values at a tuple of grid indices."""
        if len(index) != len(self.params):
            raise ValueError(f"expected {len(self.params)} indices, got {len(index)}")
        return {name: p.grid[i] for (name, p), i in zip(self.params.items(), index, strict=True)}

    def alt_text(self, index: Sequence[int]) -> str:
        settings = ", ".join(
            f"{p.label} = {p.format(p.grid[i])}" for p, i in zip(self.params.values(), index, strict=True)
        )
        return f"{self.title} ({settings})"

    def frame(self, index: Sequence[int]) -> str:
        """HTML of the output at a tuple of grid indices (rendered once, then cached)."""
        index = tuple(int(i) for i in index)
        if index not in self._frames:
            for i, n in zip(index, self.shape, strict=True):
                if not 0 <= i < n:
                    raise IndexError(f"index {index} is outside the grid of shape {self.shape}")
            start = time.perf_counter()
            values, alt = self.values_at(index), self.alt_text(index)
            key = self._cache_key(values, alt)
            cached = _frame_cache.load(key)
            if cached is None:
                cached = _output_to_html(self.render(**values), alt, self.dpi)
                _frame_cache.store(key, cached)
            self._frames[index] = cached
            self.render_seconds_[index] = time.perf_counter() - start
        return self._frames[index]

    def _cache_key(self, values: Mapping[str, Any], alt: str) -> str | None:
        """The frame's key in the disk cache (``$DGLAB_FRAME_CACHE``), or None when not caching."""
        if _frame_cache.cache_dir() is None:
            return None
        if self._render_digest is None:  # what render reads is hashed once per explorer
            self._render_digest = _frame_cache.frame_key(self.render, {}, title=self.title, dpi=self.dpi) or ""
        if not self._render_digest:
            return None
        return _frame_cache.frame_key(None, dict(values, _digest=self._render_digest), title=alt,
                                      dpi=self.dpi)

    def frame_for(self, **values) -> str:
        """HTML of the output for given parameter values (each must be on its grid)."""
        unknown = set(values) - set(self.params)
        if unknown:
            raise ValueError(f"unknown parameters {sorted(unknown)}; this explorer has {list(self.params)}")
        index = tuple(
            p.index_of(values[name]) if name in values else p.default_index
            for name, p in self.params.items()
        )
        return self.frame(index)

    def precompute(self) -> Explorer:
        """Render every combination of values (what the static page needs)."""
        for index in itertools.product(*(range(n) for n in self.shape)):
            self.frame(index)
        return self

    # -- static representation ----------------------------------------------------------------
    def to_html_default_only(self) -> str:
        """The on-demand mode's fallback: the default frame and a note, no sliders (one frame rendered)."""
        note = ("Only the default setting is shown here: the sliders render the other frames on demand "
                "in JupyterLab (run the cell there), and every frame is on the course website.")
        paragraph = f'<p class="dglab-explorer-note" style="font-size:.85em;margin:.3em 0 0">{html.escape(note)}</p>'
        return self._html_shell("default-only", after=lambda dom_id: paragraph)

    def _html_shell(self, kind: str, *, controls: str = "", after=lambda dom_id: "") -> str:
        """The explorer's HTML: title, optional controls, the default frame, then ``after(id)``:
        what follows the frame, given the element's id (for scripts that find their element)."""
        dom_id = f"dglab-explorer-{uuid.uuid4().hex[:12]}"
        tail = after(dom_id)
        controls = f'<div class="dglab-explorer-controls">{controls}</div>' if controls else ""
        return (
            f'<div class="dglab-explorer" id="{dom_id}" data-dglab-explorer="{kind}">'
            f"<style>{_CSS}</style>"
            f'<div class="dglab-explorer-title">{html.escape(self.title)}</div>'
            f"{controls}"
            f'<div class="dglab-explorer-view">{self.frame(self.default_index)}</div>'
            f"{tail}</div>"
        )

    def to_html(self) -> str:
        """A self-contained HTML scrubber over every precomputed frame (no kernel, no libraries)."""
        self.precompute()
        controls, labels = [], []
        for i, (name, p) in enumerate(self.params.items()):
            shown = [p.format(v) for v in p.grid]
            labels.append(shown)
            label = html.escape(p.label)
            if p.numeric:
                control = (
                    f'<input type="range" min="0" max="{len(p.grid) - 1}" step="1" '
                    f'value="{p.default_index}" data-dglab-param="{html.escape(name)}" '
                    f'aria-valuetext="{html.escape(shown[p.default_index], quote=True)}">'
                    f'<output data-dglab-output="{i}" aria-hidden="true">'
                    f"{html.escape(shown[p.default_index])}</output>"
                )
            else:
                options = "".join(
                    f'<option value="{j}"{" selected" if j == p.default_index else ""}>'
                    f"{html.escape(s)}</option>"
                    for j, s in enumerate(shown)
                )
                control = f'<select data-dglab-param="{html.escape(name)}">{options}</select>'
            # the <label> names its control: its visible text is the accessible name
            controls.append(f"<label><span>{label}</span> {control}</label>")
            if p.play:  # outside the <label>: a button inside one would steal its clicks
                controls.append(
                    f'<button type="button" class="dglab-explorer-play" data-dglab-play="{i}" '
                    f'aria-pressed="false" aria-label="Play {label}">\u25b6 Play</button>'
                )
        payload = {
            "frames": {",".join(map(str, k)): v for k, v in sorted(self._frames.items())},
            "labels": labels,
        }
        # "</" inside a <script> element would end it early; JSON allows the escaped form.
        data = json.dumps(payload, separators=(",", ":")).replace("</", "<\\/")
        return self._html_shell(
            "static", controls="".join(controls),
            after=lambda dom_id: (f'<script type="application/json" class="dglab-explorer-data">{data}</script>'
                                  f"<script>{_JS % {'id': dom_id, 'interval': PLAY_INTERVAL_MS}}</script>"))

    # -- live representation ------------------------------------------------------------------
    def widget(self):
        """The live ipywidget: one slider (or toggle) per parameter above the current frame."""
        import ipywidgets as w

        if self._widget is not None:
            return self._widget
        controls, boxes = [], []
        for p in self.params.values():
            options = [(p.format(v), i) for i, v in enumerate(p.grid)]
            common = dict(options=options, value=p.default_index, description=p.label,
                          style={"description_width": "initial"})
            if p.numeric:
                control = w.SelectionSlider(continuous_update=True, layout=w.Layout(width="28em"), **common)
            else:
                control = w.ToggleButtons(**common)
            controls.append(control)
            if p.play:
                # jslink runs in the browser: playing does not wait for the kernel per frame
                play = w.Play(value=p.default_index, min=0, max=len(p.grid) - 1, step=1,
                              interval=PLAY_INTERVAL_MS,
                              tooltip=f"Play {p.label}")
                w.jslink((play, "value"), (control, "index"))
                boxes.append(w.HBox([play, control]))
            else:
                boxes.append(control)
        view = w.HTML(value=self.frame(self.default_index))

        def update(_change=None):
            view.value = self.frame(tuple(c.value for c in controls))

        for control in controls:
            control.observe(update, names="value")
        title = w.HTML(value=f"<b>{html.escape(self.title)}</b>")
        self._widget = w.VBox([title, w.HBox(boxes, layout=w.Layout(flex_flow="row wrap")), view])
        return self._widget

    def _repr_mimebundle_(self, include=None, exclude=None):
        in_kernel = _in_kernel()
        # on demand only where a live widget can render the rest (see the module docstring)
        static = not in_kernel or static_explorers()
        if not static:
            # frames rendered later must show what they would have shown now: a later cell that
            # rebinds a name render reads (chapter 6 reuses ``estimates``) must not change them
            self.render = _with_globals_of_now(self.render)
        page = self.to_html() if static else self.to_html_default_only()
        bundle = {"text/plain": repr(self), "text/html": page}
        if in_kernel:
            live = self.widget()._repr_mimebundle_()
            bundle["application/vnd.jupyter.widget-view+json"] = live[
                "application/vnd.jupyter.widget-view+json"
            ]
        return bundle

    def __repr__(self) -> str:
        sliders = ", ".join(f"{name}: {len(p.grid)} values" for name, p in self.params.items())
        return f"Explorer({self.title!r}; {sliders})"


def _with_globals_of_now(render):
    """``render`` reading the module-level names it refers to as they are bound now (a shallow
    copy of its globals; the objects themselves are shared). Only plain functions; others as is."""
    if not isinstance(render, types.FunctionType) or getattr(render, "_dglab_frozen", False):
        return render
    frozen = types.FunctionType(render.__code__, dict(render.__globals__), render.__name__,
                                render.__defaults__, render.__closure__)
    frozen.__kwdefaults__ = render.__kwdefaults__
    frozen.__qualname__, frozen.__doc__, frozen.__module__ = render.__qualname__, render.__doc__, render.__module__
    frozen.__dict__.update(render.__dict__)
    frozen._dglab_frozen = True
    return frozen


def static_explorers() -> bool:
    """True when ``$DGLAB_STATIC_EXPLORERS`` asks for every frame at display time (publishing, nbval)."""
    value = os.environ.get(STATIC_ENV, "").strip().lower()
    if value in {"", "0", "false", "no"}:
        return False
    if value in {"1", "true", "yes"}:
        return True
    raise ValueError(f"${STATIC_ENV} must be 1 (every frame) or 0 (on demand), got {value!r}")


def _in_kernel() -> bool:
    """True inside a Jupyter kernel, where widgets have a front end to talk to."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def explore(render: Callable[..., Any], *, title: str, dpi: int = 80, **params) -> Explorer:
    """Make an :class:`Explorer` of ``render`` with one slider per keyword argument.

    Each keyword names a parameter of ``render``; its value is a :class:`Param` or a plain
    sequence of values. See the module docstring for an example.
    """
    return Explorer(render, params, title=title, dpi=dpi)
