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
run: install
	@mkdir -p var/celery/out var/celery/processed var/mail var/media
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_reference_data
	@if [ "$$($(PY) -c 'import django,os;os.environ.setdefault("DJANGO_SETTINGS_MODULE","svrp.settings");django.setup();from django.conf import settings;print(int(settings.DEBUG))')" = 1 ]; then \
	  $(PY) manage.py create_demo_accounts && $(PY) manage.py load_demo_data; fi
	@echo "SVRP Portal: http://127.0.0.1:$(PORT)/  (Ctrl-C stops the web server, worker and beat)"
	$(VENV)/bin/honcho start --port $(PORT)

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
