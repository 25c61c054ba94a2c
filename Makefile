# The two commands of README.md, plus the benchmark and lint helpers.
PYTHON ?= python3

.PHONY: run test lint openapi bench

run:  ## install the shop and serve it on :8000 (seeded SQLite in instance/)
	$(PYTHON) -m pip install -e .
	$(PYTHON) -m shopapp serve

test:  ## install what the tests need and run them (PostgreSQL too if SHOP_TEST_DATABASE_URL is set)
	$(PYTHON) -m pip install -e ".[test,postgres]"
	$(PYTHON) -m pytest

lint:
	$(PYTHON) -m pip install -e ".[dev]"
	$(PYTHON) -m ruff check .

openapi:  ## regenerate the committed openapi.yaml from the live app
	$(PYTHON) -m shopapp openapi write --format=yaml openapi.yaml

bench:  ## the performance yardstick against the shop and its floors (docs/PERFORMANCE.md)
	$(PYTHON) -m pip install -e ".[dev]"
	command -v wrk >/dev/null || apt-get install -y -q --no-install-recommends wrk
	$(PYTHON) scripts/bench.py --runs 3
