# The SVRP Portal. `make run` and `make test` are the two commands of the README.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: run test install lint assets browsers clean bench

$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check uv \
	  && $(VENV)/bin/uv pip sync --quiet --python $(PY) requirements.lock \
	  || $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $@

install: $(VENV)/.installed

run: export DEBUG ?= true
# Each step says what it does in one line; the details (and WeasyPrint's, Celery's and Django's
# routine lines) go to var/svrp.log (SVRP_LOG_FILE).
run: install
	@mkdir -p var/celery/out var/celery/processed var/mail var/media
	@echo "Bringing the database up to date (migrations)..."
	@$(PY) manage.py migrate --no-input -v 0
	@echo "Loading the reference data (groups, seats, measures, schedules)..."
	@$(PY) manage.py load_reference_data -v 0 >/dev/null
	@if [ "$$($(PY) -c 'import django,os;os.environ.setdefault("DJANGO_SETTINGS_MODULE","svrp.settings");django.setup();from django.conf import settings;print(int(settings.DEBUG))')" = 1 ]; then \
	  echo "Creating the demo accounts and loading the demo data (DEBUG is on)..." \
	  && $(PY) manage.py create_demo_accounts && $(PY) manage.py load_demo_data >/dev/null \
	  && echo "Demo accounts, one per role: vru.staff, board.member, subgroup.chair, data.provider, admin." \
	  && echo "Their password is printed on the first run and kept in var/demo-credentials.txt; set DEMO_PASSWORD to choose it."; fi
	@echo "Starting the web server, the Celery worker and beat (details in the log, var/svrp.log by default)..."
	@echo "SVRP Portal: http://127.0.0.1:$(PORT)/  (Ctrl-C stops the web server, worker and beat)"
	@$(VENV)/bin/honcho start --port $(PORT)

test: install
	@missing=""; \
	  [ -x "$${SVRP_CHROMIUM:-/usr/bin/chromium}" ] || missing="$$missing chromium"; \
	  command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	  command -v libreoffice >/dev/null || missing="$$missing libreoffice-calc"; \
	  if [ -n "$$missing" ]; then \
	    echo "make test reads the portal's pages and files as a person would: install$$missing (apt-get install -y$$missing), or set SVRP_CHROMIUM to your Chromium."; exit 1; fi
	@mkdir -p var/static
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

assets:
	./scripts/build-assets.sh

bench: install
	./scripts/bench.sh

clean:
	rm -rf $(VENV) var
