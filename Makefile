# Suốt Đời — `make run` to try it, `make test` to check it.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-16)

.PHONY: run test test-fast lint bench messages totp venv clean a11y-tools interop-tools prod-local prod-local-down drill soak

run: venv ## Set everything up and serve on http://127.0.0.1:$(PORT)
	@PORT=$(PORT) ./scripts/run.sh

test: venv a11y-tools interop-tools ## The whole suite (SQLite, or PostgreSQL when DATABASE_URL is set)
	$(VENV)/bin/pytest

test-fast: venv interop-tools ## Everything but the browser journeys
	$(VENV)/bin/pytest -m "not browser"

lint: venv ## ruff, import contracts, migrations, translations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check_translations

bench: venv ## Benchmarks; each prints its figures
	$(PY) bench/run.py

prod-local: venv ## The production topology on 127.0.0.1:8080 (nginx, 2 app servers, 2 workers, primary + replica, pgbouncer, redis)
	./deploy/prod-local/up.sh

prod-local-down: ## Take the prod-local topology down again
	./deploy/prod-local/down.sh

drill: venv ## The fault drill against prod-local (brings it up and down)
	./deploy/drill.sh

soak: venv ## Ten minutes of mixed load through nginx on prod-local (brings it up and down)
	./deploy/drill.sh --soak

messages: venv ## Refresh the Vietnamese catalogue after changing strings
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py makemessages -l vi --no-location --no-obsolete -i ".venv/*" -i "var/*" -i "bench/*" -i "tests/*"
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py compilemessages -v0 -i ".venv" -i "var"

totp: venv ## Current two-factor code of the demo officers
	@$(PY) -c "import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings.dev');django.setup();from suotdoi.demo.management.commands.demo_logins import current_totp;print(current_totp())"

a11y-tools: ## axe-core for the accessibility checks (npm registry; skipped without npm)
	@if [ ! -f tests/browser/a11y/node_modules/axe-core/axe.min.js ]; then \
	  if command -v npm >/dev/null; then npm ci --prefix tests/browser/a11y --no-audit --no-fund --silent; \
	  else echo "npm not found: accessibility checks will be skipped"; fi; fi

interop-tools: ## The DCC credential verifier (npm, pinned) that checks what we issue
	@if [ ! -f tests/interop/node_modules/.package-lock.json ] || [ tests/interop/package-lock.json -nt tests/interop/node_modules/.package-lock.json ]; then \
	  npm ci --prefix tests/interop --no-audit --no-fund --silent; fi

venv: $(STAMP)

$(STAMP): requirements.lock
	@PYBIN=$$(./scripts/find-python.sh) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then \
	  rm -rf $(VENV); echo "Creating $(VENV) with $$PYBIN"; $$PYBIN -m venv $(VENV); fi
	$(PY) -m pip install -q --disable-pip-version-check uv==0.13.8
	$(VENV)/bin/uv pip sync -q --python $(PY) requirements.lock
	$(VENV)/bin/uv pip install -q --python $(PY) --no-deps -e .
	@rm -f $(VENV)/.installed-*; touch $@

clean:
	rm -rf $(VENV) var .pytest_cache test-artifacts
