"""The declared lower bounds are versions the code actually runs on.

Nothing is installed: each rule names an API with the first release that has it, and a pattern that
finds its use in the course's sources. Where the code uses it, requirements.txt and pyproject.toml
must not allow an older release. Add a rule when you start using something new.
"""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [*ROOT.glob("dglab/**/*.py"), *ROOT.glob("book/*.md"), *ROOT.glob("scripts/*.py")]

# (distribution, first release with the feature, what the feature is, pattern of its use)
RULES = [
    ("scikit-learn", "1.6", "GroupKFold(shuffle=...)", r"GroupKFold\([^)]*shuffle"),
    ("scikit-learn", "1.6", "sklearn.utils.validation.validate_data", r"\bvalidate_data\b"),
    ("numpy", "2.0", "np.trapezoid", r"\bnp\.trapezoid\b"),
    # imbalanced-learn 0.12 breaks on scikit-learn >= 1.6 (removed BaseEstimator._validate_data)
    ("imbalanced-learn", "0.13", "imblearn on scikit-learn 1.6", r"\bimblearn\b"),
    ("torch", "2.2", "torch.export.Dim dynamic shapes", r"\bDim\b.*torch\.export|from torch\.export import Dim"),
]


def _lower_bounds(lines) -> dict[str, Version]:
    bounds = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(line)
        floors = [Version(s.version) for s in req.specifier if s.operator in (">=", "==", "~=")]
        if floors:
            bounds[req.name.lower()] = max(floors)
    return bounds


def _declared():
    requirements = _lower_bounds((ROOT / "requirements.txt").read_text().splitlines())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    package = _lower_bounds(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        package.update(_lower_bounds(extra))
    return {"requirements.txt": requirements, "pyproject.toml": package}


def _users(pattern: str) -> list[str]:
    rx = re.compile(pattern)
    return [p.relative_to(ROOT).as_posix() for p in SOURCES if rx.search(p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize(("dist", "minimum", "feature", "pattern"), RULES, ids=[r[2] for r in RULES])
def test_lower_bounds_cover_the_features_used(dist, minimum, feature, pattern):
    users = _users(pattern)
    if not users:
        pytest.skip(f"{feature} is not used any more: drop the rule")
    for where, bounds in _declared().items():
        if dist in bounds:
            assert bounds[dist] >= Version(minimum), (
                f"{', '.join(users[:3])} use {feature}, new in {dist} {minimum}, "
                f"but {where} allows {dist}>={bounds[dist]}"
            )


def test_the_two_files_agree_on_the_packages_they_share():
    declared = _declared()
    requirements, package = declared["requirements.txt"], declared["pyproject.toml"]
    shared = sorted(set(requirements) & set(package))
    assert shared, "pyproject.toml and requirements.txt share no package: the parser is broken"
    different = {name: (str(requirements[name]), str(package[name])) for name in shared
                 if name != "torch" and requirements[name] != package[name]}
    assert not different, f"lower bounds differ (requirements.txt, pyproject.toml): {different}"


def test_a_rule_catches_an_old_bound():
    old = _lower_bounds(["scikit-learn>=1.5,<2"])
    assert old["scikit-learn"] < Version("1.6")
    assert _users(RULES[1][3]), "validate_data is used by the estimators"
