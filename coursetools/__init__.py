"""The course's build tooling: the Sphinx extension of the website, the slides, the doctor and the
paths of the repository (chapters in ``_toc.yml``, executed references).

Not part of ``dglab`` (``pip install .`` installs only the learner's package): these modules assume
a checkout of the course repository and need Sphinx, docutils, PyYAML and nbconvert. Run from the
repository root: ``python -m coursetools slides|doctor``.
"""
