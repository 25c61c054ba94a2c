# The two commands of README.md (`make run`, `make test`), plus lint, locks and the benchmark.
#
# Everything runs in a virtualenv inside the clone (.venv, made on first use) and installs
# through the committed lock files in requirements/, so every machine gets the same packages.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Locked, hash-checked dependencies first; then the shop itself without touching them.
INSTALL = $(BIN)/python -m pip install --quiet --disable-pip-version-check
LOCK = $(BIN)/uv pip compile setup.cfg --quiet --universal --python-version 3.11 \
	--generate-hashes --upgrade

.PHONY: run test lint openapi bench lock install-run install-test install-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install-run: $(BIN)/python
	$(INSTALL) --require-hashes -r requirements/run.txt
	$(INSTALL) --no-deps -e .

install-test: $(BIN)/python
	$(INSTALL) --require-hashes -r requirements/test.txt
	$(INSTALL) --no-deps -e .

install-dev: $(BIN)/python
	$(INSTALL) --require-hashes -r requirements/dev.txt
	$(INSTALL) --no-deps -e .

run: install-run  ## install the shop and serve it on :8000 (seeded SQLite in instance/)
	$(BIN)/shop serve

test: install-test  ## install what the tests need and run them (PostgreSQL too if SHOP_TEST_DATABASE_URL is set)
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check .

openapi: install-run  ## regenerate the committed openapi.yaml from the live app
	$(BIN)/shop openapi write --format=yaml openapi.yaml

lock: install-dev  ## re-resolve every lock in requirements/ from setup.cfg's ranges
	$(LOCK) --all-extras -o requirements/dev.txt
	$(LOCK) --extra postgres --extra scripts -c requirements/dev.txt -o requirements/run.txt
	$(LOCK) --extra postgres --extra scripts --extra test -c requirements/dev.txt \
		-o requirements/test.txt

bench: install-dev  ## the performance yardstick against the shop and its floors (docs/PERFORMANCE.md)
	command -v wrk >/dev/null || apt-get install -y -q --no-install-recommends wrk
	$(BIN)/python scripts/bench.py --runs 3
