# make run   serve the site at http://127.0.0.1:8000 (SQLite unless DATABASE_URL is set), with the mail worker
# make test  ruff, the whole pytest suite (PostgreSQL when DATABASE_URL is set), then the fault suite
# make bench the production stack against pre-rendered pages: requests a second, ratio, p50/p95/p99,
#             then the admin's search among 5,000 requests (bench/run.py; needs wrk and PostgreSQL's
#             server binaries). BENCH_SECONDS=1 BENCH_ROUNDS=1: quick.
# make restore-drill AGE_IDENTITY=key-file BACKUP_DIR=folder  restore the newest encrypted backup into a
#             scratch database and folder and compare it with the live one (docs/privacy-at-rest.md)
# make model-check  the model of a request's life (tests/intake/test_life_model.py) at length: 300
#             examples of 40 steps, random seeds (CI runs 10 fixed ones). LIFE_MODEL_EXAMPLES=N to change.
# make mutants  mutation testing of intake/ and pages' rendering and publishing, on demand (not in
#             CI, not in make test): a fresh run of every mutant, then the survivors and the score.
#             MUTANTS='intake.form.spam.*' re-runs only those, keeping the other results.
# make image-check  the Docker image built and the compose stack run as docs/deploying.md says, then
#             checked from outside (tests/image; as root, with docker.io, debootstrap and age installed).

VENV := .venv
PY := $(VENV)/bin/python
# The first Python 3.12 or newer on PATH.
PYTHON ?= $(shell for candidate in python3.13 python3.12 python3 python; do \
	$$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$candidate; break; }; \
	done)

.PHONY: run test lint format migrations-check mutants bench image-check restore-drill model-check venv venv-dev clean

# The notification worker runs alongside the server (printing alerts to the console
# unless EMAIL_HOST is set) and stops with it.
run: venv
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(PY) manage.py migrate --no-input
	export DJANGO_DEBUG=$${DJANGO_DEBUG:-true}; \
	$(PY) manage.py send_notifications & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# The main suite runs in TEST_WORKERS processes (pytest-xdist; each its own test database): most
# of its time is spent waiting on Chromium, gunicorn and PostgreSQL, so two share two cores well.
# The fault suite runs on its own: it restarts its PostgreSQL, which would break pytest-django's
# connections (pyproject.toml's addopts --ignore it; an explicit path collects it). It runs in two
# lanes: the mail outage, mostly waiting, beside the other tests one at a time; the slow-client test,
# whose timings must not share the machine, after both (tests/faults/lanes.py).
TEST_WORKERS ?= 2
test: venv-dev lint
	$(PY) -m pytest -n $(TEST_WORKERS)
	$(PY) -m pytest tests/faults -n 2 --dist loadgroup

# The same checks as the pre-commit hook (.pre-commit-config.yaml): ruff, and djhtml for templates.
lint: venv-dev
	$(VENV)/bin/pre-commit run --all-files --show-diff-on-failure

format: venv-dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .
	$(VENV)/bin/djhtml templates/

# mutmut runs the tests in mutants/ on SQLite, where each worker gets its own in-memory database
# (workers sharing one PostgreSQL test database would trample each other). Two workers: the
# machine is shared.
MUTANT_WORKERS ?= 2
# The tests read the production storage's manifest (debug off), as the Docker build collects it;
# settings load only with keys, and these throwaway ones exist only for this step.
THROWAWAY_KEY := AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
COLLECTSTATIC_ENV := DJANGO_SECRET_KEY=collectstatic-only FIELD_ENCRYPTION_KEYS=$(THROWAWAY_KEY) FIELD_HASH_KEY=$(THROWAWAY_KEY)
mutants: venv-dev
	$(COLLECTSTATIC_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	$(if $(MUTANTS),,rm -rf mutants)
	env -u DATABASE_URL DJANGO_SECRET_KEY=mutation-testing-only \
		$(VENV)/bin/mutmut run --max-children $(MUTANT_WORKERS) $(MUTANTS)
	@echo "Not killed (mutmut show <name> shows one):"
	@$(VENV)/bin/mutmut results
	@$(VENV)/bin/mutmut export-cicd-stats >/dev/null
	@$(PY) -c 'import json; s = json.load(open("mutants/mutmut-cicd-stats.json")); print(f"{s["killed"]} of {s["total"]} mutants killed, {s["timeout"]} timed out, {s["survived"]} survived, {s["no_tests"]} reached by no test.")'

LIFE_MODEL_EXAMPLES ?= 300
model-check: venv-dev
	LIFE_MODEL_EXAMPLES=$(LIFE_MODEL_EXAMPLES) LIFE_MODEL_STEPS=40 LIFE_MODEL_RANDOM=1 \
		$(PY) -m pytest tests/intake/test_life_model.py -p no:cacheprovider

# Debian's wrk (apt-get install wrk) sends the pages' requests; the stack is the fault suite's.
bench: venv-dev
	$(PY) -m bench.run

# Starts dockerd when none runs (and stops it after), builds the stand-in base images when their
# recipes changed (tests/image/standins.py), then runs pytest on tests/image.
image-check: venv-dev
	$(PY) -m tests.image.run

migrations-check: venv
	DJANGO_DEBUG=true $(PY) manage.py makemigrations --check --dry-run

venv: $(VENV)/.requirements
venv-dev: $(VENV)/.requirements-dev

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "make: Python 3.12 or newer is needed and none was found on PATH." >&2; \
		echo "      Install it (python.org, your package manager or pyenv), then run make again." >&2; \
		exit 1; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.requirements: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.requirements-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.requirements

clean:
	rm -rf $(VENV) staticfiles test-artifacts mutants .pytest_cache .ruff_cache

# Proves the newest backup restores (at_rest/backups.py): decrypts it with the age private key in
# AGE_IDENTITY, restores it into a scratch database and folder, compares, drops them. Removes no backup.
#   make restore-drill AGE_IDENTITY=/path/to/backup-key.txt BACKUP_DIR=/path/to/backups
restore-drill: venv
	@test -n "$(AGE_IDENTITY)" -a -n "$(BACKUP_DIR)" || { echo "make restore-drill AGE_IDENTITY=key-file BACKUP_DIR=folder" >&2; exit 2; }
	$(PY) manage.py restore_drill --identity "$(AGE_IDENTITY)" --dir "$(BACKUP_DIR)"
