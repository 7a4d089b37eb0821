"""python -m coursetools doctor: each check passes and fails when it should; a failure exits non-zero."""

import json

import nbformat
import pytest

from coursetools import doctor
from coursetools.__main__ import main as dglab_main
from coursetools.doctor import Check


def test_python_version_against_requires_python():
    assert doctor.check_python("3.11.4").ok
    assert doctor.check_python("3.12.0").ok
    failed = doctor.check_python("3.10.12")
    assert not failed.ok and ">=3.11" in failed.detail and failed.fix


def test_requirements_installed_missing_and_wrong_version(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(
        "# a comment\n-e .\nnumpy>=1.0  # inline comment\npytest<1\n"
        "surely-not-an-installed-package-xyz>=1\n",
        encoding="utf-8",
    )
    checks = {c.name: c for c in doctor.check_requirements(requirements)}
    assert set(checks) == {"package numpy", "package pytest", "package surely-not-an-installed-package-xyz"}
    assert checks["package numpy"].ok
    assert not checks["package pytest"].ok and "needs <1" in checks["package pytest"].detail
    missing = checks["package surely-not-an-installed-package-xyz"]
    assert not missing.ok and "not installed" in missing.detail


def test_the_course_requirements_are_met_here():
    assert all(c.ok for c in doctor.check_requirements()), [c.line() for c in doctor.check_requirements()]
    assert doctor.check_dglab().ok


def _labextension(root, package, version="1.0.0"):
    (root / package).mkdir(parents=True)
    (root / package / "package.json").write_text(json.dumps({"name": package, "version": version}))


def test_lab_extensions_found_missing_and_disabled(tmp_path):
    _labextension(tmp_path, "@jupyter-widgets/jupyterlab-manager", "5.0.1")
    checks = {c.name: c for c in doctor.check_lab_extensions([tmp_path], {})}
    assert checks["lab extension ipywidgets"].ok and "5.0.1 enabled" in checks["lab extension ipywidgets"].detail
    assert not checks["lab extension jupytext"].ok and "not found" in checks["lab extension jupytext"].detail
    _labextension(tmp_path, "jupyterlab-jupytext")
    disabled = doctor.check_lab_extensions([tmp_path], {"jupyterlab-jupytext": True})
    assert [c.ok for c in disabled] == [True, False, False]
    assert "jupyter labextension enable jupyterlab-jupytext" in disabled[1].fix


def test_lab_extension_myst_is_checked(tmp_path):
    for package in ("@jupyter-widgets/jupyterlab-manager", "jupyterlab-jupytext"):
        _labextension(tmp_path, package)
    missing = {c.name: c for c in doctor.check_lab_extensions([tmp_path], {})}
    assert not missing["lab extension myst"].ok and "jupyterlab-myst not found" in missing["lab extension myst"].detail
    _labextension(tmp_path, "jupyterlab-myst", "2.7.0")
    found = {c.name: c for c in doctor.check_lab_extensions([tmp_path], {})}
    assert found["lab extension myst"].ok and "2.7.0 enabled" in found["lab extension myst"].detail
    disabled = {c.name: c for c in doctor.check_lab_extensions([tmp_path], {"jupyterlab-myst": True})}
    assert not disabled["lab extension myst"].ok


def test_lab_extensions_installed_in_this_environment():
    assert all(c.ok for c in doctor.check_lab_extensions())


def _lab_app_dir(tmp_path, overrides):
    """A JupyterLab application directory with the real docmanager schema and given overrides."""
    from jupyterlab.commands import get_app_dir

    real = get_app_dir()
    app_dir = tmp_path / "lab"
    schema = "schemas/@jupyterlab/docmanager-extension/plugin.json"
    (app_dir / schema).parent.mkdir(parents=True)
    (app_dir / schema).write_text(open(f"{real}/{schema}", encoding="utf-8").read(), encoding="utf-8")
    (app_dir / "settings").mkdir()
    if overrides is not None:
        (app_dir / "settings" / "overrides.json").write_text(json.dumps(overrides), encoding="utf-8")
    return str(app_dir)


def test_default_viewer_comes_from_the_repository_overrides(tmp_path):
    from coursetools.course import ROOT

    overrides = json.loads((ROOT / "jupyter" / "overrides.json").read_text(encoding="utf-8"))
    check = doctor.check_default_viewer(_lab_app_dir(tmp_path, overrides), str(tmp_path / "user"))
    assert check.ok, check.line()


def test_default_viewer_missing_or_overridden_by_the_user(tmp_path):
    check = doctor.check_default_viewer(_lab_app_dir(tmp_path, None), str(tmp_path / "user"))
    assert not check.ok and "overrides.json" in check.fix
    user = tmp_path / "user2" / "@jupyterlab" / "docmanager-extension"
    user.mkdir(parents=True)
    (user / "plugin.jupyterlab-settings").write_text('{"defaultViewers": {"markdown": "Markdown Preview"}}')
    overrides = {doctor.DOCMANAGER: {"defaultViewers": {"markdown": doctor.JUPYTEXT_VIEWER}}}
    check = doctor.check_default_viewer(_lab_app_dir(tmp_path / "b", overrides), str(tmp_path / "user2"))
    assert not check.ok and "Markdown Preview" in check.detail


def test_torch_device_is_reported():
    check = doctor.check_torch()
    assert check.ok and ("CPU" in check.detail or "GPU" in check.detail)


def test_chapter_check_passes_and_fails(tmp_path):
    good, bad = tmp_path / "good.ipynb", tmp_path / "bad.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("x = 1 + 1")]
    nbformat.write(nb, good)
    nb.cells = [nbformat.v4.new_code_cell("raise ValueError('broken chapter')")]
    nbformat.write(nb, bad)
    passed = doctor.check_chapter(good, timeout=60)
    assert passed.ok and "executed in" in passed.detail
    failed = doctor.check_chapter(bad, timeout=60)
    assert not failed.ok and "broken chapter" in failed.detail


def test_run_prints_pass_fail_lines_and_exits_non_zero_on_failure(capsys):
    def crashes():
        raise RuntimeError("boom")

    status = doctor.run([lambda: Check("a", True, "fine"),
                         lambda: [Check("b", False, "broken", "fix it"), Check("c", True, "ok")],
                         crashes])
    out = capsys.readouterr().out
    assert status == 1
    assert out.splitlines()[:4] == [
        f"PASS  {'a':<34} fine", f"FAIL  {'b':<34} broken", "      fix: fix it", f"PASS  {'c':<34} ok",
    ]
    assert "FAIL  crashes" in out and "boom" in out
    assert "2 passed, 2 failed." in out
    assert doctor.run([lambda: Check("a", True, "fine")]) == 0


def test_command_line_exit_status(monkeypatch, capsys):
    monkeypatch.setattr(doctor, "default_checks", lambda chapter: [lambda: Check("x", False, "no")])
    assert dglab_main(["doctor", "--skip-chapter"]) == 1
    monkeypatch.setattr(doctor, "default_checks", lambda chapter: [lambda: Check("x", True, "yes")])
    assert dglab_main(["doctor"]) == 0
    assert "PASS  x" in capsys.readouterr().out
    assert dglab_main(["no-such-command"]) == 2


@pytest.mark.slow
def test_doctor_passes_on_this_machine_without_the_chapter(capsys):
    assert doctor.main(["--skip-chapter"]) == 0, capsys.readouterr().out
