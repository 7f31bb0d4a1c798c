# make run   — start the bot on SQLite with the playground (http://127.0.0.1:3978/playground)
# make test  — lint and run the whole suite (SQLite and PostgreSQL, headless Chromium)
# make lint  — ruff only

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test lint chromium

# Readable logs for a person at a terminal, unless CONCORD_LOG_FORMAT says otherwise.
run: export CONCORD_LOG_FORMAT ?= text
run: $(INSTALLED)
	$(BIN)/concord db upgrade
	$(BIN)/concord serve

test: $(INSTALLED) chromium
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: $(INSTALLED)
	$(BIN)/ruff check .

# The virtual environment, with the project (editable) and its dev extras;
# reinstalled whenever pyproject.toml changes.
$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# Playwright drives Debian's Chromium (/usr/bin/chromium); it never downloads a browser.
chromium:
	@if [ -x /usr/bin/chromium ]; then \
		true; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else \
		echo "note: /usr/bin/chromium is missing and we are not root," \
			"so the browser tests will skip (install it: sudo apt-get install chromium)"; \
	fi
