"""The disk cache of explorer frames: a frame is rendered once per code, data and values."""

import numpy as np
import pytest
from matplotlib.figure import Figure

import dglab.widgets as widgets
from dglab import _frame_cache
from dglab.widgets import explore


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(_frame_cache.ENV, str(tmp_path))
    rendered = []
    real = widgets._output_to_html

    def counting(output, alt, dpi):  # called only when a frame is not found in the cache
        rendered.append(alt)
        return real(output, alt, dpi)

    monkeypatch.setattr(widgets, "_output_to_html", counting)
    return tmp_path, rendered


def make_render(data, offset=0.0):
    def render(scale):
        fig = Figure(figsize=(2, 2))
        fig.subplots().plot(data * scale + offset)
        return fig

    return render


def test_a_second_explorer_of_the_same_code_and_data_reads_every_frame_from_disk(cache):
    root, rendered = cache
    data = np.arange(5.0)
    first = explore(make_render(data), title="Scale", scale=[1, 2, 3]).to_html()
    assert len(rendered) == 3 and len(list(root.rglob("*.html"))) == 3
    second = explore(make_render(data.copy()), title="Scale", scale=[1, 2, 3])
    assert second.to_html().split("dglab-explorer-view")[1] == first.split("dglab-explorer-view")[1]
    assert len(rendered) == 3  # nothing rendered again


@pytest.mark.parametrize("change", ["data", "closure constant", "code", "title", "values", "dpi"])
def test_any_change_to_what_a_frame_shows_renders_it_again(cache, change):
    _, rendered = cache
    data = np.arange(5.0)
    explore(make_render(data), title="Scale", scale=[1, 2]).precompute()
    assert len(rendered) == 2
    render, title, scale, dpi = make_render(data), "Scale", [1, 2], 80
    if change == "data":
        render = make_render(data + 1e-9)
    elif change == "closure constant":
        render = make_render(data, offset=1.0)
    elif change == "code":
        def render(scale):
            fig = Figure(figsize=(2, 2))
            fig.subplots().plot(data * scale - 1)
            return fig
    elif change == "title":
        title = "Scale again"
    elif change == "values":
        scale = [1, 4]
    else:
        dpi = 60
    explore(render, title=title, scale=scale, dpi=dpi).precompute()
    assert len(rendered) == (3 if change == "values" else 4)


def test_module_level_data_a_render_reads_is_part_of_the_key(cache):
    _, rendered = cache
    namespace = {"np": np, "Figure": Figure, "DATA": np.arange(3.0)}
    exec("def render(k):\n    return f'{DATA.sum() * k}'", namespace)
    explore(namespace["render"], title="Sum", k=[1, 2]).precompute()
    namespace["DATA"] = np.arange(4.0)
    ex = explore(namespace["render"], title="Sum", k=[1, 2])
    assert ex.frame_for(k=2) == '<pre class="dglab-explorer-text">12.0</pre>'
    assert len(rendered) == 3


def test_a_render_reading_something_unpicklable_is_rendered_every_time(cache):
    root, rendered = cache
    handle = open(__file__)  # noqa: SIM115 - an open file cannot be hashed
    try:
        def render(k):
            return f"{handle.name}:{k}"

        explore(render, title="File", k=[1, 2]).precompute()
        explore(render, title="File", k=[1, 2]).precompute()
    finally:
        handle.close()
    assert len(rendered) == 4 and not list(root.rglob("*.html"))


def test_without_the_environment_variable_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.delenv(_frame_cache.ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    explore(make_render(np.arange(3.0)), title="Scale", scale=[1, 2]).precompute()
    assert _frame_cache.cache_dir() is None and not list(tmp_path.iterdir())
