# `make demo` and `make test` each set up everything on a fresh machine: system libraries
# WeasyPrint needs (where this machine can install them), the virtualenv, the project.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    := out

.PHONY: demo test lint typecheck pytest docs samples templates clean sysdeps bench browser

$(STAMP): pyproject.toml constraints.txt scripts/install-system-deps.sh
	scripts/install-system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

sysdeps:
	scripts/install-system-deps.sh

# The web app's browser tests drive Debian's Chromium, headless (installed when missing).
browser:
	scripts/install-system-deps.sh --browser

# Validate every sample, then render them all into out/ (PDF and DOCX), with the
# office check-in sheet for a day of visits. The invalid samples are meant to fail (exit 1).
DEMO_RENDER = --to pdf --to docx --overwrite
LETTERS = --school samples/westside-school.toml --overwrite --duplex --quiet
demo: $(STAMP)
	mkdir -p $(OUT)
	$(BIN)/docgen template risk-assessment -o $(OUT)/risk-assessment.xlsx --overwrite \
		--school samples/school.toml
	$(BIN)/docgen template visit-report -o $(OUT)/visit-report.xlsx --overwrite \
		--school samples/school.toml
	$(BIN)/docgen validate samples/att/*.json --school samples/school.toml --quiet
	$(BIN)/docgen validate samples/att/*.xlsx --school samples/school.toml --quiet
	$(BIN)/docgen validate samples/westside/*.json samples/day-plan \
		--school samples/westside-school.toml --quiet
	$(BIN)/docgen validate samples/westside/*.xlsx --school samples/westside-school.toml \
		--quiet
	$(BIN)/docgen validate samples/westside/*.json --school samples/westside-school.toml \
		--policy samples/policies/our-school.toml --quiet
	$(BIN)/docgen render samples/att/*.json --school samples/school.toml $(DEMO_RENDER) \
		--out $(OUT)/att
	$(BIN)/docgen render samples/att/*.xlsx --school samples/school.toml $(DEMO_RENDER) \
		--out $(OUT)/att/from-workbooks
	$(BIN)/docgen render samples/westside/*.json --school samples/westside-school.toml \
		$(DEMO_RENDER) --out $(OUT)/westside
	$(BIN)/docgen render samples/westside/*.xlsx --school samples/westside-school.toml \
		$(DEMO_RENDER) --out $(OUT)/westside/from-workbooks
	$(BIN)/docgen checkins samples/day-plan --date 24/11/2026 \
		--school samples/westside-school.toml $(DEMO_RENDER) --out $(OUT)/westside/checkins
	@echo "--- the export for CPOMS (run again, it exports nothing new):"
	$(BIN)/docgen export samples/att --school samples/school.toml --out $(OUT)/att/export \
		--mapping samples/export-mapping.toml --today 23/11/2026 --quiet
	@echo "--- the invalid samples are meant to fail (exit 1); the welfare concern not yet"
	@echo "--- reported is still printed, with a red banner:"
	$(BIN)/docgen render samples/invalid --school samples/school.toml $(DEMO_RENDER) \
		--out $(OUT)/invalid; test $$? -eq 1
	@echo "--- letters: a term of attendance exports, run month by month (each export has"
	@echo "--- a few bad rows on purpose: exit 1), then the visits' letters:"
	$(BIN)/docgen template attendance -o $(OUT)/attendance.xlsx --overwrite
	$(BIN)/docgen letters samples/letters/attendance-2026-11.xlsx $(LETTERS) --date 23/11/2026 \
		--out $(OUT)/letters/2026-11; test $$? -eq 1
	$(BIN)/docgen letters samples/letters/register-2026-12.csv $(LETTERS) --date 14/12/2026 \
		--out $(OUT)/letters/2026-12; test $$? -eq 1
	$(BIN)/docgen letters samples/letters/register-2027-01.csv $(LETTERS) --date 18/01/2027 \
		--out $(OUT)/letters/2027-01; test $$? -eq 1
	$(BIN)/docgen letters samples/letters/visits.json $(LETTERS) --date 20/11/2026 \
		--contacts samples/letters/attendance-2026-11.xlsx --out $(OUT)/letters/visits; \
		test $$? -eq 1
	$(BIN)/docgen letters samples/letters/visits.json $(LETTERS) --date 24/11/2026 \
		--letter missed-you --out $(OUT)/letters/missed-you; test $$? -eq 1
	$(BIN)/docgen history --school samples/westside-school.toml --pupil "Oliver Nowak"

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check docgen tests scripts bench

typecheck: $(STAMP)
	$(BIN)/mypy docgen

pytest: $(STAMP) browser
	$(BIN)/python -m pytest -q

# docgen against the raw libraries (WeasyPrint, docxtpl, openpyxl, LibreOffice) doing the same
# work; `make bench SIZE=large` adds 10,000 documents. Writes bench/results/latest.json.
SIZE ?= default
bench: $(STAMP)
	scripts/install-system-deps.sh --bench
	$(BIN)/python -m bench --size $(SIZE)

# Regenerate the README's generated sections and the samples from the code.
docs: $(STAMP)
	$(BIN)/python scripts/docs.py

samples: $(STAMP)
	$(BIN)/python scripts/make_samples.py
	$(BIN)/python scripts/make_letter_samples.py

# Rebuild the Word templates (docgen/templates/docx, letters/letter.docx) from their scripts.
templates: $(STAMP)
	$(BIN)/python scripts/build_docx_templates.py
	$(BIN)/python scripts/build_letter_template.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
