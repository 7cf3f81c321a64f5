# Ankommen — the two commands: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := build/static/vendor/htmx.min.js
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=
CHROMIUM ?= /usr/bin/chromium
BENCH_ARGS ?=

.PHONY: install demo serve test check lint types lock clean messages messages-update browser security audit-deps bench-load

install: $(STAMP) $(ASSETS) messages

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p build/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js build/static/vendor/htmx.min.js
	cp node_modules/axe-core/axe.min.js build/static/vendor/axe.min.js

messages: $(STAMP)
	@if command -v msgfmt >/dev/null; then \
	  cd src/ankommen && ../../$(BIN)/ankommen compilemessages --verbosity 0; \
	else echo "gettext (msgfmt) fehlt: apt-get install gettext – englische Übersetzung nicht kompiliert" >&2; fi

# After adding or changing a UI string: extract all strings into the English catalogue, then
# translate every new or "fuzzy" entry in src/ankommen/locale/en/LC_MESSAGES/django.po.
# (File-only locations keep the diff small when code moves.)
messages-update: $(STAMP)
	cd src/ankommen && ../../$(BIN)/ankommen makemessages --locale en \
	  --add-location file --no-obsolete --ignore 'static/*' --verbosity 0

demo: install
	mkdir -p var
	ANKOMMEN_MODE=demo $(BIN)/ankommen demo --county oder-spree
	ANKOMMEN_MODE=demo $(BIN)/ankommen runserver $(HOST)

test: install browser
	$(BIN)/pytest $(PYTEST_ARGS)

# The browser tests drive Debian's Chromium (no browser download); without it they are skipped.
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "== installing Debian's chromium for the browser tests" >&2; \
	    (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null) \
	      || echo "warning: chromium not installed; browser tests will be skipped" >&2; \
	  else echo "chromium missing (apt-get install chromium): browser tests will be skipped" >&2; fi; \
	fi

# Static security analysis and known vulnerabilities in the pinned dependencies.
security: $(STAMP)
	$(BIN)/bandit -q -c pyproject.toml -r src
	$(MAKE) --no-print-directory audit-deps

# Skips with a message (exit 0) when the advisory database cannot be reached.
audit-deps: $(STAMP)
	$(BIN)/python -m tests.security.dependency_audit

# Load test at state scale on PostgreSQL (not part of make test); see docs/benchmarks.md.
bench-load: install
	$(BIN)/python bench/load/run.py $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

types: $(STAMP)
	$(BIN)/mypy

check: install browser lint types security
	$(BIN)/ankommen makemigrations --check --dry-run
	ANKOMMEN_MODE=production SECRET_KEY=check-$$(date +%s)-a-long-random-secret-key-for-deploy-check-only \
	  ANKOMMEN_FIELD_KEY=$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	  ALLOWED_HOSTS=ankommen.example DATABASE_URL=sqlite:///:memory: \
	  $(BIN)/ankommen check --deploy --fail-level WARNING
	$(BIN)/pytest $(PYTEST_ARGS)

lock:
	$(BIN)/pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) build node_modules var
