# GNU make. `make run` for a development server, `make test` for lint, architecture contracts
# (lint-imports, pyproject.toml) + the test suite
# (including browser tests on the system Chromium, see scripts/ensure_browser.sh).
# With DATABASE_URL / REDIS_URL unset, an embedded PostgreSQL and Redis are started
# under var/ (config/embedded.py) and keep running until `make stop`.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install run test bench backup stop status clean

install: $(STAMP)

# Re-install only when a requirements file changes.
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# manage.py and Celery default to the production settings (config/settings/production.py):
# the local demo names its own.
run: export DJANGO_SETTINGS_MODULE = config.settings.local
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_seed
	$(BIN)/python manage.py demo_history
	$(BIN)/python manage.py demo_uploads
	$(BIN)/python manage.py demo_funds
	$(BIN)/python manage.py demo_households
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py demo_logins
	@echo
	@echo "  打开 Open: http://127.0.0.1:8000/   (Ctrl-C 停止 web、worker、beat)"
	@echo
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho -f Procfile.dev start

# Browser tests need the system Chromium and a CJK font; the script apt-installs them as root
# (and only then), otherwise says what to install. `make run` never touches apt.
test: install
	$(BIN)/ruff check .
	PYTHONPATH=. $(BIN)/lint-imports
	@# Django's deployment checklist on the production settings, every warning fatal. Dummy
	@# values: nothing connects; SECRET_KEY random like a real one (security.W009).
	DJANGO_SETTINGS_MODULE=config.settings.production ALLOWED_HOSTS=duban.example.gov.cn \
	  SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	  DATABASE_URL=postgres://check:check@127.0.0.1:9/check REDIS_URL=redis://127.0.0.1:9/0 \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING
	bash scripts/ensure_browser.sh
	$(BIN)/pytest

# A consistent backup (pg_dump custom format + uploaded files + row counts) under var/backups/,
# then the restore drill on it (scratch database, row counts, audit chain, files). In production
# run `manage.py backup --dir …` and `manage.py restore_drill …` with production settings.
backup: export DJANGO_SETTINGS_MODULE = config.settings.local
backup: install
	$(BIN)/python manage.py backup --dir var/backups | tee var/.last-backup
	$(BIN)/python manage.py restore_drill "$$(sed -n 's/^备份已写入 //p' var/.last-backup)"

# The load generator (locust) is installed for the benchmarks only (requirements-bench.txt).
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP) requirements-bench.txt
	$(BIN)/python -m pip install --quiet -r requirements-bench.txt
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench

# Stops the embedded servers of this checkout (no-op when none run); works without the venv.
stop:
	$(PYTHON) config/embedded.py stop

status:
	$(PYTHON) config/embedded.py status

clean: stop
	rm -rf var $(VENV)
