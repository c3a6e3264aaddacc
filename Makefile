# The two README commands: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench package install chromium clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests (Playwright drives the system browser; no download).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  || (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium); }

run: $(STAMP)
	$(BIN)/python -m devstack

# The browser tests' axe-core, exactly as pinned in package-lock.json (tests/e2e/axe.py loads it):
# `npm ci` again only when node_modules is missing or the lock changed.
NODE_STAMP := node_modules/.stamp
$(NODE_STAMP): package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm) \
	  || (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm); }
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

test: $(STAMP) chromium $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python -m bench

package: $(STAMP)
	$(BIN)/python scripts/package.py

clean:
	rm -rf build site/_build .pytest_cache
