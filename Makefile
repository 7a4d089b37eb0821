# The course's commands. Each one creates .venv/ and installs what it needs on first use.
#   make book     build the website into _build/html (the main job), slides included
#   make test     run every test: ruff, unit tests + nbval (then the slow tests, timed apart; again on generic torch kernels), the book build, the browser tests
#   make lab      open the course in JupyterLab (chapters open as notebooks)
#   make slides   (re)generate the reveal.js slides of every chapter into _build/html/slides
#   make doctor   check this machine's setup (python -m coursetools doctor)
#   make hub      serve the course to a room: JupyterHub on port 8000 (HUB_PASSWORD=... make hub, as root)
#   make hub-load load-test the hub: N simulated learners run chapter 1 (LEARNERS="5 10 20 30")
#   make test-long  the property-based tests with many more generated inputs (nightly)
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# Kernels started by the build, nbval and JupyterLab must find the venv's python first.
export PATH := $(BIN):$(PATH)
export PYTHONHASHSEED := 0
# The build tooling (coursetools/: Sphinx extension, slides, doctor, chapter paths) is not installed;
# kernels (chapter 15 reads the table of contents through it), pytest and scripts find it here.
export PYTHONPATH := $(CURDIR)$(if $(PYTHONPATH),:$(PYTHONPATH))
# Explorer frames are rendered once and shared by nbval, the references and the book build
# (keyed by the rendering code, its data and the slider values: dglab/_frame_cache.py).
export DGLAB_FRAME_CACHE ?= $(CURDIR)/_build/.dglab-frames
INSTALLED := $(VENV)/.installed
# Third-party web assets (MathJax, require.js, the widget manager, reveal.js) come from npm
# (package-lock.json) and are copied into _static/vendor/, which the site serves itself.
VENDOR := _static/vendor/.complete
CHROMIUM := /usr/bin/chromium
# Debian packages are installed with sudo unless we already are root.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help install vendor chromium html slides book test test-long lab doctor references bench clean

help:
	@sed -n 's/^#   //p' Makefile

$(INSTALLED): requirements.txt pyproject.toml jupyter/overrides.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@# JupyterLab opens .md chapters as notebooks (jupytext) without any manual setting.
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $@

install: $(INSTALLED)

$(VENDOR): package.json package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y nodejs npm; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf _static/vendor
	mkdir -p _static/vendor/mathjax _static/vendor/html-manager
	@# MathJax 3: the TeX+CHTML component, what it loads on demand, and its fonts (not the speech engine).
	cp node_modules/mathjax/es5/tex-mml-chtml.js _static/vendor/mathjax/
	cp -r node_modules/mathjax/es5/{input,output,ui,a11y,adaptors} _static/vendor/mathjax/
	rm -f _static/vendor/mathjax/a11y/sre.js
	cp node_modules/requirejs/require.js _static/vendor/require.js
	@# The Jupyter widget manager (AMD build) and the Font Awesome fonts its CSS points at
	@# (woff2/woff: what current browsers fetch).
	cp node_modules/@jupyter-widgets/html-manager/dist/{embed-amd.js,*.woff2,*.woff} _static/vendor/html-manager/
	@# reveal.js for the slides: the library, the notes plugin, the "white" theme and its font.
	mkdir -p _static/vendor/reveal.js/dist/theme/fonts/source-sans-pro _static/vendor/reveal.js/plugin/notes
	cp node_modules/reveal.js/dist/{reveal.js,reveal.css} _static/vendor/reveal.js/dist/
	cp node_modules/reveal.js/dist/theme/white.css _static/vendor/reveal.js/dist/theme/
	cp node_modules/reveal.js/dist/theme/fonts/source-sans-pro/{*.css,*.woff,LICENSE} \
		_static/vendor/reveal.js/dist/theme/fonts/source-sans-pro/
	cp node_modules/reveal.js/plugin/notes/notes.js _static/vendor/reveal.js/plugin/notes/
	@# axe-core: the accessibility engine the browser tests inject into every page (no page loads it).
	mkdir -p _static/vendor/axe-core
	cp node_modules/axe-core/{axe.min.js,LICENSE} _static/vendor/axe-core/
	@# their licences travel with them (require.js carries its own in the file)
	cp node_modules/mathjax/LICENSE _static/vendor/mathjax/
	cp node_modules/reveal.js/LICENSE _static/vendor/reveal.js/
	cp node_modules/@jupyter-widgets/html-manager/dist/embed.js.LICENSE.txt _static/vendor/html-manager/LICENSES.txt
	touch $@

vendor: $(VENDOR)

# The browser tests drive Debian's headless Chromium (never a downloaded browser).
chromium:
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }

# Everything the site is made from. A stamp in _build/html records the last successful build: when
# none of these changed since (a warm `make book`), nothing runs at all, not even the cache checks
# of `coursetools execute` or Sphinx's rewrite of every page (~20 s). `make clean` (or removing the stamps) forces
# a full build.
BOOK_SOURCES := $(shell find book dglab coursetools _static _templates -type f -not -path '*/__pycache__/*' \
	-not -path '*/.ipynb_checkpoints/*' -not -path '_static/vendor/*' 2>/dev/null) _config.yml _toc.yml references.bib
# (kept outside the published _build/html; forgotten when the site itself was removed, e.g. `jupyter-book clean`)
HTML_STAMP := _build/.html-built
SLIDES_STAMP := _build/.slides-built
$(shell test -f _build/html/index.html || rm -f $(HTML_STAMP) $(SLIDES_STAMP))
$(shell test -d _build/html/slides || rm -f $(SLIDES_STAMP))

# Chapters are independent: the stale ones execute side by side into the build's cache first,
# then Sphinx finds them all there and only renders.
html: $(HTML_STAMP)

$(HTML_STAMP): $(INSTALLED) $(VENDOR) $(BOOK_SOURCES)
	$(BIN)/python -m coursetools execute
	$(BIN)/jupyter-book build . -W -n --keep-going
	touch $@

# Decks are rewritten only for chapters whose executed notebook changed (coursetools/slides.py).
slides: $(SLIDES_STAMP)

$(SLIDES_STAMP): $(HTML_STAMP)
	$(BIN)/python -m coursetools slides
	touch $@

book: html slides

# Tests run on two workers; a chapter's cells stay together on one worker (they share a kernel).
PARALLEL := -n 2 --dist loadfile
# Chapters that run PyTorch: their nbval check runs a second time on PyTorch's generic kernels,
# which round floating point the way another CPU does, so a CPU-dependent output fails here first.
TORCH_CHAPTERS = $(shell grep -lE '\btorch\b|dglab\.(gan|text|training|coverage|embedding)\b' book/[0-9]*.md)

test: $(INSTALLED) $(VENDOR) chromium
	$(BIN)/ruff check .
	@# two timed runs (benchmarks/bench_tests.py runs the same two): the suite without the slow tests
	@# (goal: 5 minutes on two workers), then the slow robustness tests on their own
	$(BIN)/python -m pytest tests book -m "not slow and not browser and not hub and not lab" $(PARALLEL) --durations=15
	$(BIN)/python -m pytest tests book -m "slow and not browser and not hub and not lab" $(PARALLEL) --durations=15
	ATEN_CPU_CAPABILITY=default $(BIN)/python -m pytest $(TORCH_CHAPTERS) $(PARALLEL)
	$(MAKE) book
	$(BIN)/python -m pytest tests/browser -m browser -n 2
	$(BIN)/python -m pytest tests/hub -m hub
	$(BIN)/python -m pytest tests/lab -m lab

# Hypothesis's long profile (tests/conftest.py): 400 inputs per property instead of 10.
test-long: $(INSTALLED)
	DGLAB_HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest tests/test_properties.py

lab: $(INSTALLED)
	$(BIN)/jupyter lab --ServerApp.root_dir=$(CURDIR) $(if $(filter 0,$(shell id -u)),--allow-root) \
		book/01_discriminative_models.md

doctor: $(INSTALLED)
	$(BIN)/python -m coursetools doctor

# Re-execute the chapters into tests/reference/ (after changing a chapter's code or outputs).
references: $(INSTALLED)
	$(BIN)/python scripts/make_references.py $(CHAPTERS)

bench: book chromium
	$(BIN)/python -m benchmarks

# The classroom hub (hub/, book/running_a_room.md). It runs from the existing .venv and node_modules
# and never installs anything: it works with the network cable pulled.
.PHONY: hub hub-load
HUB_NEEDS_VENV = @test -x $(BIN)/python || { echo "hub: no course environment in $(BIN): run \`make book\` first (it creates .venv)" >&2; exit 2; }

hub:
	$(HUB_NEEDS_VENV)
	$(BIN)/python -m hub

hub-load:
	$(HUB_NEEDS_VENV)
	$(BIN)/python -m benchmarks.hub_load $(LEARNERS)

clean:
	rm -rf _build
