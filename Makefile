# `make run` and `make test` work on a fresh machine with Python 3.11, pip and Debian's apt.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: install system-deps run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --no-warn-script-location -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

system-deps:
	@scripts/system-deps.sh

run: install
	@if [ -f streamlit_app.py ]; then \
		$(PY) -m streamlit run streamlit_app.py --server.port $(PORT) --server.headless true \
			--browser.gatherUsageStats false; \
	else \
		$(PY) -m engine diagnose; \
	fi

lint: install
	$(VENV)/bin/ruff check .

test: install system-deps
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -rs

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
