# The front door. `make run` and `make test` are all a newcomer needs (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
PORT ?= 8000
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/trellis
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run worker test lint fmt migrations-check bench seed clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON) --quiet
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed node_modules/.installed

# Links in e-mails and credentials name the address being served (SITE_URL wins when set).
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	DEBUG=true $(MANAGE) migrate --noinput
	DEBUG=true $(MANAGE) seed
	@echo "Serving on http://127.0.0.1:$(PORT) with a background worker and the periodic jobs (Ctrl-C stops all)."
	@trap 'kill 0' EXIT INT TERM; \
	DEBUG=true $(MANAGE) db_worker --queue-name '*' --interval 1 & \
	mkdir -p var; while true; do DEBUG=true $(MANAGE) run_periodic >>var/periodic.log 2>&1; sleep 300; done & \
	DEBUG=true $(MANAGE) runserver --noreload 127.0.0.1:$(PORT)

worker: install
	$(MANAGE) db_worker --queue-name '*'

seed: install
	DEBUG=true $(MANAGE) seed

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	DJANGO_SETTINGS_MODULE=config.settings_test $(MANAGE) makemigrations --check --dry-run

test: install lint migrations-check
	bash scripts/run-tests

# stdout carries only the benchmarks' JSON lines (DESIGN §7), so set-up output goes to stderr.
bench:
	@$(MAKE) --no-print-directory install >&2
	@bash scripts/run-benchmarks

clean:
	rm -rf $(VENV) $(TOOLS) node_modules var/static
