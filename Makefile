# CityEnforce: `make run` serves the demo, `make test` runs the suite (embedded default).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
export DEMO_PASSWORD ?= cityenforce-demo

.PHONY: run test e2e deps venv messages migrate seed serve bench clean

deps: $(VENV)/.installed messages static/vendor/echarts/echarts.min.js

# Browser libraries from the npm registry, pinned by package-lock.json, served from static/vendor (no CDN):
# `npm ci` only when node_modules is missing or the lock changed.
node_modules/.package-lock.json: package.json package-lock.json
	command -v npm >/dev/null 2>&1 || ./bin/ensure-system-deps
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

static/vendor/echarts/echarts.min.js: node_modules/.package-lock.json
	mkdir -p $(@D)
	cp node_modules/echarts/dist/echarts.min.js $@

$(VENV)/.installed: requirements.txt bin/ensure-system-deps
	./bin/ensure-system-deps
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages -v0 --ignore=.venv

migrate: deps
	$(PY) manage.py migrate --noinput -v0

seed: migrate
	$(PY) manage.py seed_demo

serve:
	$(PY) manage.py collectstatic --noinput -v0
	@echo "CityEnforce on http://$(HOST):$(PORT)/  (admin: /admin/, API docs: /api/docs/)"
	@# The periodic jobs (deadline sweeps, outbox retries, re-verification) run beside the server; production runs celery beat.
	$(PY) manage.py run_periodic & periodic=$$!; trap 'kill $$periodic 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) cityenforce.asgi:application

run: seed serve

test: deps
	$(PY) -m pytest

# Headless Chromium walks each persona's pages on a fresh small demo city (installs chromium and playwright).
e2e: deps
	./bin/e2e

bench: deps
	$(PY) bench/run.py

clean:
	rm -rf var .pytest_cache
