# The course's commands. Each one creates .venv/ and installs what it needs on first use.
#   make book   build the website into _build/html (the main job)
#   make test   run every test: unit tests, nbval over the chapters, the book build, the browser tests
#   make lab    open the course in JupyterLab (chapters open as notebooks)
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# Kernels started by the build, nbval and JupyterLab must find the venv's python first.
export PATH := $(BIN):$(PATH)
export PYTHONHASHSEED := 0
INSTALLED := $(VENV)/.installed

.PHONY: help install book test lab references bench clean

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

book: $(INSTALLED)
	$(BIN)/jupyter-book build . -W -n --keep-going

test: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest tests book
	$(MAKE) book

lab: $(INSTALLED)
	$(BIN)/jupyter lab --ServerApp.root_dir=$(CURDIR) book/01_discriminative_models.md

# Re-execute the chapters into tests/reference/ (after changing a chapter's code or outputs).
references: $(INSTALLED)
	$(BIN)/python scripts/make_references.py $(CHAPTERS)

bench: $(INSTALLED)
	$(BIN)/python -m benchmarks

clean:
	rm -rf _build
