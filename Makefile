# baocao — make demo: cài đặt và chạy thử đợt báo cáo mẫu; make test: cài đặt và chạy toàn bộ kiểm thử.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint site serve bench mutation clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

demo: setup
	$(BIN)/baocao demo --dir build/demo --serve

test: setup
	$(BIN)/ruff check scripts tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests
	$(BIN)/mypy

site: setup
	$(BIN)/mkdocs build --strict

serve: setup
	$(BIN)/mkdocs serve

mutation: setup
	$(BIN)/python scripts/mutation.py

bench: setup
	$(BIN)/python scripts/bench/history.py
	$(BIN)/python scripts/bench/site.py

clean:
	rm -rf build site .pytest_cache .ruff_cache
