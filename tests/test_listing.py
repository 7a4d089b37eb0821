"""dglab.listing: what a chapter shows is the live source (inspect.getsource), selected by name and
marker text, and every chapter shows dglab code through it (no literalinclude left)."""

import inspect
import re
import textwrap

import pytest

import dglab.data
from coursetools import course
from dglab.gan import GANTrainer
from dglab.linear import LogisticRegressionGD, sigmoid
from dglab.listing import ELISION, Listing, show_source, source_lines


@pytest.mark.parametrize("target, obj", [
    ("dglab.linear:LogisticRegressionGD", LogisticRegressionGD),
    ("dglab.gan:GANTrainer.generator_step", GANTrainer.generator_step),
    ("dglab.linear:sigmoid", sigmoid),
])
def test_whole_object_equals_getsource(target, obj):
    expected = textwrap.dedent(inspect.getsource(obj)).rstrip("\n")
    assert show_source(target).code == expected
    assert show_source(obj).code == expected  # the object itself works as well as its name


def test_markdown_is_a_fenced_python_block_of_the_code():
    listing = show_source("dglab.linear:sigmoid")
    markdown = listing._repr_markdown_()
    assert markdown.startswith("```python\n") and markdown.endswith("\n```\n")
    assert markdown[len("```python\n"):-len("\n```\n")] == listing.code


def test_fence_is_longer_than_backticks_inside_the_code():
    from dglab.listing import Listing

    listing = Listing("x = '````'", "x")
    assert listing._repr_markdown_().startswith("`````python\n")


def test_docstring_is_elided():
    full = textwrap.dedent(inspect.getsource(LogisticRegressionGD.fit)).split("\n")
    lines = source_lines("dglab.linear:LogisticRegressionGD.fit", docstring=False)
    assert '"""' not in "\n".join(lines)
    assert lines[1].strip() == ELISION
    # every other shown line is a line of the source, in order
    shown = [line for line in lines if line.strip() != ELISION]
    iterator = iter(full)
    assert all(line in iterator for line in shown)


def test_markers_select_a_part_and_keep_the_signature():
    lines = source_lines("dglab.data", start_at="FRAUD_COEFFICIENTS = {", end_before="#: Smallest number")
    source = inspect.getsource(dglab.data).split("\n")
    start = next(i for i, line in enumerate(source) if "FRAUD_COEFFICIENTS = {" in line)
    assert lines == source[start:start + len(lines)]
    assert "#: Smallest number" in source[start + len(lines)] or not source[start + len(lines)].strip()

    part = source_lines("dglab.linear:LogisticRegressionGD.fit", docstring=False, start_at="return self")
    assert part[0].strip().startswith("def fit(")
    assert part[-2].strip() == ELISION and part[-1].strip() == "return self"


@pytest.mark.parametrize("kwargs, message", [
    ({"start_at": "no such text anywhere"}, "does not occur"),
    ({"start_at": "self"}, "occurs"),
])
def test_bad_marker_is_a_clear_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        show_source("dglab.linear:LogisticRegressionGD", **kwargs)


@pytest.mark.parametrize("target, message", [
    ("dglab.nonexistent:x", "cannot import"),
    ("dglab.linear:NoSuchThing", "has no"),
])
def test_bad_name_is_a_clear_error(target, message):
    with pytest.raises(ValueError, match=message):
        show_source(target)


def test_not_code_is_a_type_error():
    with pytest.raises(TypeError, match="module, class or function"):
        show_source(3)


def test_chapters_use_show_source_not_literalinclude():
    chapters = [p for p in course.chapters() if p.suffix == ".md"]
    listings = 0
    for path in chapters:
        text = path.read_text(encoding="utf-8")
        assert "{literalinclude}" not in text, f"{path.name} still uses literalinclude"
        for call in re.findall(r'show_source\(\s*"([\w.:]+)"', text):
            show_source(call)  # every listing names code that exists
            listings += 1
    assert listings >= 30


def test_html_is_highlighted_code():
    import html
    import re as _re

    listing = show_source("dglab.linear:sigmoid")
    markup = listing._repr_html_()
    assert 'class="dglab-listing"' in markup and "style=" in markup  # inline colours, no stylesheet
    text = html.unescape(_re.sub(r"<[^>]+>", "", markup))
    assert text.strip() == listing.code.strip()


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_colour_of_a_listing_meets_wcag_aa_contrast_on_its_own_background():
    # WCAG 2.1 AA: 4.5:1 for normal text; axe-core found the "default" style's red strings at 3.3:1
    html = Listing("x = 'text'  # comment\nclass A: pass", "t")._repr_html_()
    html += show_source("dglab.gan:GANTrainer")._repr_html_()
    backgrounds = set(re.findall(r"background: (#[0-9a-fA-F]{6})", html))
    assert backgrounds == {"#ffffff"}
    colours = {c.lower() for c in re.findall(r"(?<!background-)color: (#[0-9a-fA-F]{6})", html)}
    assert len(colours) >= 4  # keywords, strings, comments, names are told apart
    white = _luminance("#ffffff")
    ratios = {c: (white + 0.05) / (_luminance(c) + 0.05) for c in colours}
    assert min(ratios.values()) >= 4.5, ratios
