# Newsroom: `make run` to try it, `make test` to check it.
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTHON ?= python3
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/newsroom

.PHONY: run test services messages catalogs e2e bench soak audit cluster cluster-check lint format clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# The translations (docs/translations.md): each locale/<language>/LC_MESSAGES/<domain>.po (django:
# templates and Python; djangojs: the back office's scripts) compiled to the .mo Django reads, again
# whenever the .po changes. Babel compiles them in Python, so running the site needs no system
# gettext; it also refuses a catalog whose placeholders do not match.
CATALOGS := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
messages: $(CATALOGS)
locale/%.mo: locale/%.po | $(VENV)/.installed
	$(VENV)/bin/pybabel -q compile --locale $(word 2,$(subst /, ,$@)) --input-file $< --output-file $@

# Updating the catalogs after strings change in templates or code: Django's makemessages with the
# project's defaults (newsroom/management/commands/makemessages.py) needs GNU gettext's xgettext
# (Debian's gettext). New strings arrive untranslated, and the suite says which until they are.
LANGUAGE_FLAGS = $(foreach po,$(wildcard locale/*/LC_MESSAGES/django.po),-l $(word 2,$(subst /, ,$(po))))
catalogs: $(VENV)/.installed
	command -v xgettext >/dev/null || (apt-get update -q && apt-get install -y -q gettext)
	DJANGO_DEBUG=1 $(PY) manage.py makemessages $(LANGUAGE_FLAGS)
	DJANGO_DEBUG=1 $(PY) manage.py makemessages --domain djangojs $(LANGUAGE_FLAGS)

run: $(VENV)/.installed messages
	mkdir -p var
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py rebuild_search
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py seed_demo --users \
		$${NEWSROOM_LANGUAGE:+--language $$NEWSROOM_LANGUAGE}
	@echo "Newsroom is at http://127.0.0.1:$(PORT)/  (back office: http://127.0.0.1:$(PORT)/admin/)"
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:$(PORT)

# What the suite talks to besides Postgres: Redis on 127.0.0.1:6379, Debian's PgBouncer, and Varnish
# with its xkey module (tests/test_varnish.py); the replica, PgBouncer and S3 tests start their own
# throwaway Postgres, PgBouncer and moto on free ports.
services:
	command -v pgbouncer >/dev/null || (apt-get update -q && apt-get install -y -q pgbouncer)
	command -v varnishd >/dev/null && dpkg -s varnish-modules >/dev/null 2>&1 \
		|| (apt-get update -q && apt-get install -y -q varnish varnish-modules)
	command -v redis-server >/dev/null || (apt-get update -q && apt-get install -y -q redis-server)
	command -v xgettext >/dev/null || (apt-get update -q && apt-get install -y -q gettext)
	redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 \
		|| redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no --daemonize yes

test: $(VENV)/.installed services messages
	$(VENV)/bin/lint-imports --no-cache
	DJANGO_DEBUG=1 DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(VENV)/bin/pytest --create-db -q -m "not e2e"

# Real-browser journeys: Debian's Chromium (never a downloaded browser), Playwright, axe-core,
# and the W3C's Nu HTML Checker (vnu.jar, run with Debian's Java; its Java download script is skipped).
AXE_CORE := 4.14.1
VNU_JAR := 26.9.27
e2e: $(VENV)/.installed messages
	command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium)
	command -v npm >/dev/null || (apt-get update -q && apt-get install -y -q npm)
	test -x /usr/bin/java || (apt-get update -q && apt-get install -y -q default-jre-headless)
	grep -qs '"version": "$(AXE_CORE)"' var/e2e/node_modules/axe-core/package.json \
		&& grep -qs '"version": "$(VNU_JAR)"' var/e2e/node_modules/vnu-jar/package.json \
		|| npm install --no-save --no-audit --no-fund --ignore-scripts --prefix var/e2e \
			axe-core@$(AXE_CORE) vnu-jar@$(VNU_JAR)
	$(VENV)/bin/pytest -q -m e2e tests/e2e

# Reader pages at 1,000 and 100,000 stories, page cache on and off, beside a bare Django view
# (the floor): gunicorn sync workers on loopback, wrk as the load; figures in var/bench/.
# A database per size, named after BENCH_DATABASE_URL. Quick run: BENCH_ARGS="--duration 5 --sizes 1000".
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/newsroom_bench
bench: $(VENV)/.installed messages
	command -v wrk >/dev/null || (apt-get update -q && apt-get install -y -q wrk)
	DATABASE_URL=$(BENCH_DATABASE_URL) DJANGO_DEBUG=0 DJANGO_HTTPS=0 \
		DJANGO_SECRET_KEY=bench-only-secret-key-for-loopback-runs \
		$(PY) manage.py bench $(BENCH_ARGS)

# Soak: production settings under gunicorn, 64 connections for 60 s over reader pages and comment posts.
SOAK_DATABASE_URL ?= $(BENCH_DATABASE_URL)
soak: $(VENV)/.installed messages
	DATABASE_URL=$(SOAK_DATABASE_URL) DJANGO_DEBUG=0 DJANGO_HTTPS=0 \
		DJANGO_SECRET_KEY=soak-only-secret-key-for-loopback-runs \
		REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/$${TEST_REDIS_DB:-9}} \
		$(PY) manage.py soak $(SOAK_ARGS)

# Known vulnerabilities in the pinned requirements (pip-audit; see .ci/audit.py for when it cannot run).
audit: $(VENV)/.installed
	$(PY) .ci/audit.py

# The multi-machine shape on loopback (deploy/cluster.py): Ctrl-C stops it.
cluster: $(VENV)/.installed services messages
	$(PY) deploy/cluster.py

# A short load through Varnish while the replica, an app server and the primary stop and start.
cluster-check: $(VENV)/.installed services messages
	$(PY) deploy/cluster.py check

lint: $(VENV)/.installed
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf var/test-media .pytest_cache .ruff_cache locale/*/LC_MESSAGES/*.mo
