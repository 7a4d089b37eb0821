import json
import re

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from dglab.widgets import MAX_FRAMES, Explorer, Param, explore


@pytest.fixture(autouse=True)
def no_frame_cache(monkeypatch):
    """These tests count render calls: frames must not come from the disk cache that
    ``make test`` shares with the book (``DGLAB_FRAME_CACHE``, see tests/test_frame_cache.py)."""
    monkeypatch.delenv("DGLAB_FRAME_CACHE", raising=False)


def render_line(slope, colour="k"):
    fig = Figure(figsize=(2, 2))
    ax = fig.subplots()
    ax.plot([0, 1], [0, slope], color=colour)
    ax.set_ylim(-1, 3)
    return fig


def frames_of(html):
    payload = re.search(r'<script type="application/json" class="dglab-explorer-data">(.*?)</script>', html, re.S)
    return json.loads(payload.group(1).replace("<\\/", "</"))


def test_static_html_holds_one_distinct_frame_per_combination():
    ex = explore(render_line, title="Slope", slope=[0.0, 1.0, 2.0], colour=["k", "r"])
    html = ex.to_html()
    data = frames_of(html)
    assert sorted(data["frames"]) == [f"{i},{j}" for i in range(3) for j in range(2)]
    # every frame is a different picture (moving a slider changes what is shown)
    assert len(set(data["frames"].values())) == 6
    assert data["labels"] == [["0", "1", "2"], ["k", "r"]]
    # numeric parameters get a range slider, labels a select box; the default frame is shown
    assert html.count('type="range"') == 1 and html.count("<select") == 1
    assert data["frames"]["0,0"] in html.split('class="dglab-explorer-view">')[1]


def test_frames_have_alt_text_naming_the_settings():
    ex = explore(render_line, title="Slope", slope=Param([0.5, 1.5], label="slope a", fmt="{:.1f}"))
    assert 'alt="Slope (slope a = 1.5)"' in ex.frame((1,))


def test_frames_are_rendered_once_and_cached():
    calls = []

    def render(k):
        calls.append(k)
        return f"k={k}"

    ex = explore(render, title="Cache", k=[1, 2, 3])
    ex.to_html()
    ex.to_html()
    ex.frame_for(k=2)
    assert sorted(calls) == [1, 2, 3]
    assert set(ex.render_seconds_) == {(0,), (1,), (2,)}


def test_float_defaults_match_with_tolerance():
    ex = explore(lambda lr: f"{lr:g}", title="LR", lr=Param(np.logspace(-4, 1, 6), default=1e-1))
    assert ex.default_index == (3,)
    assert ex.frame_for(lr=0.1) == '<pre class="dglab-explorer-text">0.1</pre>'


def test_text_and_dataframe_outputs_are_escaped_or_rendered():
    import pandas as pd

    ex = explore(lambda n: ("<b>" + str(n), pd.DataFrame({"n": [n]})), title="Mixed", n=[1])
    html = ex.frame((0,))
    assert "&lt;b&gt;1" in html and "<table" in html


def test_script_cannot_be_closed_by_frame_content():
    ex = explore(lambda n: "</script><script>alert(1)</script>", title="Escape", n=[1, 2])
    html = ex.to_html()
    body = html.split('class="dglab-explorer-data">')[1]
    assert body.index("</script>") > body.index("&lt;/script&gt;")


def test_live_widget_swaps_frames_when_a_slider_moves():
    ex = explore(render_line, title="Slope", slope=[0.0, 1.0], colour=["k", "r"])
    box = ex.widget()
    slope_slider, colour_toggle = box.children[1].children
    view = box.children[2]
    first = view.value
    slope_slider.value = 1
    assert view.value != first and view.value == ex.frame((1, 0))
    colour_toggle.value = 1
    assert view.value == ex.frame((1, 1))


def test_mimebundle_outside_a_kernel_is_static_only():
    bundle = explore(lambda n: str(n), title="T", n=[1, 2])._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}


def test_figures_are_closed_after_rendering():
    import matplotlib.pyplot as plt

    def render(n):
        fig, ax = plt.subplots()
        ax.plot([0, n])
        return fig

    before = len(plt.get_fignums())
    explore(render, title="Pyplot", n=[1, 2, 3]).precompute()
    assert len(plt.get_fignums()) == before


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (dict(title="T"), ValueError, "at least one parameter"),
        (dict(title="", n=[1]), ValueError, "title"),
        (dict(title="T", n=[]), ValueError, "at least one value"),
        (dict(title="T", n="abc"), TypeError, "sequence"),
        (dict(title="T", a=list(range(20)), b=list(range(20))), ValueError, str(MAX_FRAMES)),
    ],
)
def test_bad_explorers_are_rejected(kwargs, error, match):
    with pytest.raises(error, match=match):
        explore(lambda **kw: "x", **kwargs)


def test_param_default_must_be_on_the_grid():
    with pytest.raises(ValueError, match="not one of"):
        Param([1, 2], default=3)


def test_render_returning_something_unshowable_is_a_clear_error():
    with pytest.raises(TypeError, match="must return a matplotlib Figure"):
        explore(lambda n: 42, title="T", n=[1]).frame((0,))


def test_unknown_parameter_and_out_of_grid_index():
    ex = explore(lambda n: str(n), title="T", n=[1, 2])
    with pytest.raises(ValueError, match="unknown parameters"):
        ex.frame_for(m=1)
    with pytest.raises(IndexError):
        ex.frame((5,))


def test_repr():
    assert repr(Explorer(lambda n: "", {"n": [1, 2]}, title="T")) == "Explorer('T'; n: 2 values)"
    assert matplotlib.get_backend()  # rendering never needs a display


# -- Play ----------------------------------------------------------------------------------------

def test_a_step_parameter_gets_a_play_button_on_the_static_page():
    ex = explore(lambda step, lr: f"{step} {lr}", title="Path", step=[0, 5, 10], lr=["small", "large"])
    html = ex.to_html()
    buttons = re.findall(r"<button[^>]*data-dglab-play[^>]*>", html)
    assert len(buttons) == 1
    # a toggle button naming what it plays, controlling the first (the step) slider
    assert 'data-dglab-play="0"' in buttons[0] and 'aria-pressed="false"' in buttons[0]
    assert 'aria-label="Play step"' in buttons[0] and 'type="button"' in buttons[0]
    # outside the slider's <label> (a button inside a label would take over its clicks)
    assert re.search(r"</label><button[^>]*data-dglab-play", html)
    assert "setInterval" in html and "aria-pressed" in html


def test_play_is_opt_in_for_other_names_and_opt_out_for_step():
    assert "<button" not in explore(lambda n: str(n), title="T", n=[1, 2]).to_html()
    flagged = explore(lambda epoch: str(epoch), title="T", epoch=Param([1, 2, 3], play=True))
    assert 'data-dglab-play="0"' in flagged.to_html()
    off = explore(lambda step: str(step), title="T", step=Param([1, 2], play=False))
    assert "<button" not in off.to_html()
    assert explore(lambda step: step, title="T", step=["a", "b"]).params["step"].play is False
    with pytest.raises(ValueError, match="numeric"):
        Param(["a", "b"], play=True)
    with pytest.raises(ValueError, match="play must be"):
        Param([1, 2], play="yes")


def test_live_play_widget_is_linked_to_the_step_slider():
    import ipywidgets as w

    def render(step, colour):
        return render_line(step, colour)

    ex = explore(render, title="Slope", step=Param([0.0, 1.0, 2.0], default=1.0), colour=["k", "r"])
    box = ex.widget()
    step_box, colour_toggle = box.children[1].children
    play, slider = step_box.children
    assert isinstance(play, w.Play) and isinstance(slider, w.SelectionSlider)
    assert isinstance(colour_toggle, w.ToggleButtons)
    assert (play.min, play.max, play.value) == (0, 2, 1) == (0, len(slider.options) - 1, slider.index)
    from ipywidgets.widgets.widget import _instances

    links = [x for x in _instances.values() if isinstance(x, w.widgets.widget_link.Link)
             and x.source[0] is play]
    assert len(links) == 1 and links[0].source[1] == "value" and links[0].target == (slider, "index")
    # the slider (moved by the link in the browser) still drives the view
    slider.value = 2
    assert box.children[2].value == ex.frame((2, 0))


def test_a_figure_returned_again_is_encoded_once_unless_it_changed(monkeypatch):
    import dglab.plots.base as base

    calls = []
    real = base.figure_png

    def counting(fig, dpi=None, **kw):
        calls.append(fig)
        return real(fig, dpi, **kw)

    monkeypatch.setattr(base, "figure_png", counting)
    shared = render_line(1.0)
    ex = explore(lambda t: ("t", shared), title="Shared", t=[1, 2, 3])
    frames = [ex.frame((i,)) for i in range(3)]
    assert len(calls) == 1
    # same picture, each frame with its own alt text
    assert frames[0].split(' alt="')[0] == frames[2].split(' alt="')[0]
    assert 't = 3' in frames[2] and 't = 1' in frames[0]

    # a figure changed in place after it was shown is drawn again
    fig = render_line(1.0)

    def redraw(k):
        fig.axes[0].lines[0].set_ydata([0, k])
        return fig

    moving = explore(redraw, title="Moving", k=[0.0, 2.0])
    first, second = moving.frame((0,)), moving.frame((1,))
    assert first.split(' alt="')[0] != second.split(' alt="')[0]


# -- when the frames are rendered: on demand in JupyterLab, all of them when publishing ----------
def counting_explorer():
    calls = []

    def render(slope, colour):
        calls.append((slope, colour))
        return f"{colour}: {slope}"

    ex = explore(render, title="Count", slope=Param([0.0, 1.0, 2.0], default=1.0), colour=["k", "r"])
    return ex, calls


def test_in_jupyterlab_only_the_default_frame_is_rendered_then_one_per_slider_move(monkeypatch):
    from dglab import widgets

    monkeypatch.setattr(widgets, "_in_kernel", lambda: True)
    monkeypatch.delenv(widgets.STATIC_ENV, raising=False)
    ex, calls = counting_explorer()
    bundle = ex._repr_mimebundle_()
    assert calls == [(1.0, "k")]
    assert "application/vnd.jupyter.widget-view+json" in bundle
    # the fallback shows the default frame and says why there are no sliders
    assert "k: 1.0" in bundle["text/html"] and "on demand" in bundle["text/html"]
    assert 'type="range"' not in bundle["text/html"] and "dglab-explorer-data" not in bundle["text/html"]
    slope, colour = ex.widget().children[1].children
    view = ex.widget().children[2]
    slope.value = 2
    assert calls == [(1.0, "k"), (2.0, "k")] and view.value == ex.frame((2, 0))
    colour.value = 1
    assert calls[-1] == (2.0, "r") and len(calls) == 3
    slope.value = 1  # back to a frame already seen: kept in memory, not rendered again
    colour.value = 0
    assert len(calls) == 4 and calls[-1] == (1.0, "r")
    assert view.value == ex.frame((1, 0))


@pytest.mark.parametrize("in_kernel", [True, False])
def test_when_publishing_every_frame_is_rendered(monkeypatch, in_kernel):
    from dglab import widgets

    monkeypatch.setattr(widgets, "_in_kernel", lambda: in_kernel)
    if in_kernel:
        monkeypatch.setenv(widgets.STATIC_ENV, "1")
    else:  # outside a kernel (scripts, doctests) there is no live widget: always every frame
        monkeypatch.setenv(widgets.STATIC_ENV, "0")
    ex, calls = counting_explorer()
    bundle = ex._repr_mimebundle_()
    assert len(calls) == 6
    assert sorted(frames_of(bundle["text/html"])["frames"]) == [f"{i},{j}" for i in range(3) for j in range(2)]
    # the same bytes as before the switch existed: what the site and the references hold
    assert bundle["text/html"].split("dglab-explorer-view")[1] == ex.to_html().split("dglab-explorer-view")[1]


def test_a_misspelt_switch_is_a_clear_error(monkeypatch):
    from dglab import widgets

    monkeypatch.setattr(widgets, "_in_kernel", lambda: True)
    monkeypatch.setenv(widgets.STATIC_ENV, "all")
    with pytest.raises(ValueError, match="DGLAB_STATIC_EXPLORERS must be 1"):
        explore(lambda n: str(n), title="T", n=[1, 2])._repr_mimebundle_()


def test_kernels_inherit_the_mode_from_whatever_executes_the_chapter():
    """End to end through a real kernel, as the build (course.execute) and JupyterLab run it."""
    import nbformat

    from coursetools import course

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from dglab.widgets import explore\n"
        "explore(lambda n: f'frame {n}', title='T', n=[1, 2, 3])"
    )])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    pages = {}
    for static in (True, False):
        executed, _ = course.execute(nb, static_explorers=static)
        pages[static] = executed.cells[0].outputs[0]["data"]["text/html"]
    assert all(f"frame {n}" in pages[True] for n in (1, 2, 3))
    assert "frame 1" in pages[False] and "frame 2" not in pages[False]


def test_frames_rendered_on_demand_ignore_names_rebound_after_display(monkeypatch):
    """Chapter 6 rebinds ``estimates`` in a later cell: after Run All, moving the live slider must
    still draw the explorer's data (as every frame rendered at display time did)."""
    from dglab import widgets

    monkeypatch.setattr(widgets, "_in_kernel", lambda: True)
    monkeypatch.delenv(widgets.STATIC_ENV, raising=False)
    namespace = {"estimates": {1: "one", 2: "two"}}
    exec("def render(n):\n    return estimates[n]\n", namespace)  # a notebook's global namespace
    ex = explore(namespace["render"], title="Later", n=[1, 2])
    ex._repr_mimebundle_()
    namespace["estimates"] = {"KL": "something else"}  # a later cell
    slider = ex.widget().children[1].children[0]
    slider.value = 1
    assert ex.widget().children[2].value == '<pre class="dglab-explorer-text">two</pre>'
