# `make demo` and `make test` each set up everything on a fresh machine: system libraries
# WeasyPrint needs (where this machine can install them), the virtualenv, the project.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    := out

.PHONY: demo test lint typecheck pytest docs samples bench clean sysdeps

$(STAMP): pyproject.toml constraints.txt
	scripts/install-system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

sysdeps:
	scripts/install-system-deps.sh

# Validate every sample, write blank workbooks and (later) documents into out/.
demo: $(STAMP)
	mkdir -p $(OUT)
	$(BIN)/docgen template risk-assessment -o $(OUT)/risk-assessment.xlsx --overwrite
	$(BIN)/docgen template visit-report -o $(OUT)/visit-report.xlsx --overwrite
	$(BIN)/docgen validate samples/att --policy att --quiet
	$(BIN)/docgen validate samples/westside --policy westside --quiet
	$(BIN)/docgen validate samples/westside --policy samples/policies/our-school.toml --quiet
	@echo "--- the invalid samples are meant to fail (exit 1):"
	$(BIN)/docgen validate samples/invalid --policy att; test $$? -eq 1

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check docgen tests scripts

typecheck: $(STAMP)
	$(BIN)/mypy docgen

pytest: $(STAMP)
	$(BIN)/python -m pytest -q

# Regenerate the README's generated sections and the sample workbooks from the code.
docs: $(STAMP)
	$(BIN)/python -m docgen.docs

samples: $(STAMP)
	$(BIN)/python scripts/make_samples.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
