# Two commands on a fresh machine: `make run` (serve the demo) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTEST := $(BIN)/python -m pytest

.PHONY: run test test-sqlite test-postgres lint model clean

$(BIN)/moderato: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## Set up, create the SQLite database and first admin, and serve on http://127.0.0.1:8000
run: $(BIN)/moderato
	$(BIN)/moderato init
	$(BIN)/moderato serve --bind 127.0.0.1:8000

## Set up and run the whole suite, on SQLite and then on PostgreSQL
test: test-sqlite test-postgres

test-sqlite: $(BIN)/moderato
	$(PYTEST)

test-postgres: $(BIN)/moderato
	MODERATO_TEST_DATABASE_URL=$(PG_TEST_URL) $(PYTEST) -m "not browser"

lint: $(BIN)/moderato
	$(BIN)/ruff check service tests bench

## Rebuild the shipped model from the public data sets (see README: Training data)
model: $(BIN)/moderato
	$(BIN)/moderato train \
	  --data ../shared/data/youtube_spam --data ../shared/data/sms_spam \
	  --data ../shared/data/davidson_offensive --data ../shared/data/olid \
	  --seed data/seed.csv --out models --version 2026.11.28-22

clean:
	rm -rf $(VENV) instance .pytest_cache
