"""Shared fixtures: the Hypothesis profiles of the property-based tests (tests/test_properties*.py)
and the headless browser of the site and JupyterLab tests.

* ``quick`` (default, what ``make test`` and ``bash .ci/run`` run): few examples per property,
  the whole property suite within its share of the test budget.
* ``long`` (``DGLAB_HYPOTHESIS_PROFILE=long``, what ``make test-long`` runs): many more
  examples per property, for a nightly job or before a release.

No deadline: the machines the course runs on are shared and slow, and timing is not what these
tests are about. The database is off so that runs are reproducible from the seed printed on failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "quick", max_examples=10, deadline=None, database=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long", max_examples=400, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("DGLAB_HYPOTHESIS_PROFILE", "quick"))


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's), shared by the site and the JupyterLab tests."""
    from chromium import CHROMIUM, CHROMIUM_FLAGS

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()
