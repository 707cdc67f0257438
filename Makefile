# The two commands of the README: `make run` (the product with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test bench lint lock demo clean chromium

# Each lock is installed again only when it changes.
$(VENV)/.run-installed: requirements/base.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/base.txt
	@touch $@

$(VENV)/.test-installed: requirements/test.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/test.txt
	@touch $@ $(VENV)/.run-installed

run: export DEBUG ?= true
run: $(VENV)/.run-installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compilemessages --ignore=$(VENV) --verbosity=0
	$(PY) manage.py demo
	@set -e; \
	if [ -n "$$REDIS_URL" ]; then \
	  $(VENV)/bin/celery -A mentorship worker --beat --loglevel=INFO \
	    --schedule=$(VENV)/celerybeat-schedule & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null || true; wait $$worker 2>/dev/null || true' EXIT INT TERM; \
	fi; \
	$(PY) manage.py runserver $(HOST)

# Tests run against real PostgreSQL and Redis; ARGS passes options to pytest (e.g. ARGS="-k mail").
test: export DEBUG = true
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mentorship
test: export REDIS_URL ?= redis://127.0.0.1:6379/1
test: $(VENV)/.test-installed chromium
	$(PY) manage.py services
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py compilemessages --ignore=$(VENV)
	$(PY) -m pytest $(ARGS)

# The browser tests drive Debian's Chromium; as root it is installed when missing.
chromium:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && echo "Installing Chromium for the browser tests." \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || { echo "The browser tests need Chromium: run 'apt-get install chromium' as root."; exit 1; }

# Benchmarks (docs/performance.md): pages under gunicorn with the production settings at two
# sizes, the matching and the reminder fan-out against their budgets, printed as one table.
# ARGS passes options (e.g. ARGS="--only pages"); the first run makes its databases (minutes).
bench: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mentorship
bench: export REDIS_URL ?= redis://127.0.0.1:6379/9
bench: $(VENV)/.test-installed
	DEBUG=true $(PY) manage.py services
	$(PY) -m tests.bench.run $(ARGS)

lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerate the locks from pyproject.toml after changing a dependency there.
lock: $(VENV)/.run-installed
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-find-links --no-emit-index-url \
	  -o requirements/base.txt pyproject.toml
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-find-links --no-emit-index-url \
	  --extra test -c requirements/base.txt -o requirements/test.txt pyproject.toml

# Translators: extract the strings into locale/*/LC_MESSAGES/django.po (needs GNU gettext).
messages: export DEBUG ?= true
messages: $(VENV)/.run-installed
	$(PY) manage.py makemessages --ignore=$(VENV) --ignore=staticfiles --no-location \
	  -l lt -l lv -l ru

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
