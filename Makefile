# `make run` and `make test` work on a fresh machine with Python 3.11, pip and Debian's apt.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: install system-deps run test lint bench clean locale

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

# The gettext catalogs: extract the ids from the code, merge them into each language's .po (new ids come in
# empty, so the catalog test names them until they are translated), and compile each to .mo as a check.
LOCALE := engine/locale
locale: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k t -k tn:1,2 -k N_ -k Text -k problem:2 -k YamlProblem -k explain:2 -k Explanation:3 --no-location --omit-header -o $(LOCALE)/messages.pot .
	$(VENV)/bin/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) -D messages --no-fuzzy-matching --ignore-obsolete
	$(VENV)/bin/pybabel compile -d $(LOCALE) -D messages --statistics

lint: install
	$(VENV)/bin/ruff check .

# two workers, each test file on one of them (a file's fixtures are built once); TEST_WORKERS=0 runs in this process
TEST_WORKERS ?= 2
test: install system-deps
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -rs $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile)

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
