"""coursetools.rewrite: the one command line of the scripts that rewrite chapters in place."""

from __future__ import annotations

import pytest

from coursetools import course, rewrite

SCRIPTS = ("lab_citation_links", "lab_collapse_solutions", "lab_first_cell_guard")


def test_only_changed_files_are_written_and_reported(tmp_path, capsys):
    same, changed = tmp_path / "a.md", tmp_path / "b.md"
    same.write_text("nothing to do\n")
    changed.write_text("old text\n")
    written = rewrite.rewrite_chapters(lambda t: t.replace("old", "new"), lambda t: "renewed",
                                       [str(same), str(changed)])
    assert written == [changed.resolve()]
    assert changed.read_text() == "new text\n" and same.read_text() == "nothing to do\n"
    assert capsys.readouterr().out.strip().endswith("b.md: renewed")


def test_the_default_is_every_markdown_chapter_in_toc_order(monkeypatch):
    seen = []
    monkeypatch.setattr(rewrite.Path, "write_text", lambda *a, **k: pytest.fail("wrote a chapter"))
    rewrite.rewrite_chapters(lambda t: seen.append(t) or t, str, [])
    expected = [p for p in course.chapters() if p.suffix == ".md"]
    assert len(seen) == len(expected) and len(expected) >= 16
    assert rewrite.markdown_chapters() == expected


@pytest.mark.parametrize("name", SCRIPTS)
def test_the_scripts_use_the_shared_command_line_and_leave_the_chapters_as_they_are(name, monkeypatch):
    script = course.load_script(name)
    calls = []
    monkeypatch.setattr(script, "rewrite_chapters", lambda *args: calls.append(args))
    script.main([])
    assert len(calls) == 1 and calls[0][2] == []
    # every chapter is already in the form the script produces (the scripts are idempotent)
    transform = calls[0][0]
    for path in rewrite.markdown_chapters():
        text = path.read_text(encoding="utf-8")
        assert transform(text) == text, f"{path.name}: run scripts/{name}.py"
