# Ancrage — every developer and CI entry point. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Find a Python 3.12+ interpreter: pyenv's 3.13 on these machines, else python3.13/3.12 on PATH.
PYTHON ?= $(shell for c in "env PYENV_VERSION=3.13.0 python3.13" python3.13 python3.12; do \
	  $$c -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1 && { echo "$$c"; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_ADDR ?= 127.0.0.1:8000

.PHONY: help install demo test lint typecheck migrations-check unit browser messages compilemessages clean lrs-conformance security security-scans

help: ## List the make targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 20

$(STAMP): pyproject.toml package.json package-lock.json
	@if [ -z "$(PYTHON)" ]; then echo "Ancrage needs Python 3.12 or newer: install python3.13 (e.g. 'pyenv install 3.13.0' or 'apt-get install python3.13') and retry." >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@command -v npm >/dev/null || { echo "Ancrage needs npm (Node.js 20+) for TeamsJS (Teams tabs) and axe-core (browser tests): install it and retry." >&2; exit 1; }
	npm ci --silent --no-audit --no-fund
	@touch $(STAMP)

install: $(STAMP) compilemessages ## Create .venv and install Ancrage with its dev tools

compilemessages: $(STAMP)
	@# A fresh clone may have no .po file yet (and compilemessages refuses a tree without any).
	@if [ -n "$$(find locale ancrage -name '*.po' 2>/dev/null | head -n 1)" ]; then \
	  $(PY) manage.py compilemessages --ignore='.venv' --ignore='node_modules' --ignore='var' -v 0; \
	fi

messages: $(STAMP) ## Refresh the .po files from the source (French and English)
	$(PY) manage.py makemessages -l fr -l en --no-obsolete --ignore='.venv/*' --ignore='node_modules/*' --ignore='var/*'

demo: install ## Set up and run the demo on http://127.0.0.1:8000 (SQLite, French, logins printed)
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_demo
	$(PY) manage.py catalog_reindex -v 0
	$(PY) manage.py runserver $(DEMO_ADDR) --noreload

lint: $(STAMP) ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP) ## mypy (strict) with django-stubs
	$(VENV)/bin/mypy ancrage config

migrations-check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run
	ANCRAGE_PROFILE=production SECRET_KEY=check-deploy-$$(printf '%064d' 0 | tr 0 x) ALLOWED_HOSTS=ancrage.example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING

unit: install ## The test suite on SQLite, then on PostgreSQL when DATABASE_URL names one
	@echo "== Test suite on SQLite"
	DATABASE_URL= $(VENV)/bin/pytest -q -n 2 -m "not browser"
	@if [[ "$$DATABASE_URL" == postgres* ]]; then \
	  echo "== Test suite on PostgreSQL"; \
	  $(VENV)/bin/pytest -q -n 2 -m "not browser"; \
	fi

browser: install ## Browser tests in Debian's headless Chromium (Playwright), on DATABASE_URL's database
	@echo "== Browser tests in /usr/bin/chromium, on $$([[ "$$DATABASE_URL" == postgres* ]] && echo PostgreSQL || echo SQLite)"
	$(VENV)/bin/pytest -q -m browser

test: install lint typecheck migrations-check security-scans unit browser ## Every check CI runs

clean: ## Remove the virtualenv, node_modules and local data
	rm -rf $(VENV) node_modules var

security: $(STAMP) ## Security gates: check --deploy + our checks, isolation matrix, bandit, semgrep, detect-secrets, schemathesis, pip-audit
	$(PY) tools/security/gates.py

security-scans: $(STAMP) ## The security gates that are not pytest tests (those run in `unit`)
	$(PY) tools/security/gates.py deploy bandit semgrep detect-secrets pip-audit

lrs-conformance: $(STAMP) ## ADL xAPI conformance suite (2.0.0 and 1.0.3) vs a local LRS; needs ADL_SUITE=/path to a checkout
	bash bench/lrs/run_conformance.sh
