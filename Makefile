# Two commands do all the set-up on a fresh clone:
#   make run   - virtual environment, install, fetch and start Neo4j, migrate, seed demo data, serve
#   make test  - the same set-up, then every test against a real Neo4j of its own
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CLI := $(VENV)/bin/chuyengia
STAMP := $(VENV)/.installed

.PHONY: install browser neo4j run test stop bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the end-to-end tests of the web pages (browser downloads are not
# possible here; Playwright drives this executable).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

neo4j: install
	$(CLI) db start

run: neo4j
	$(CLI) db migrate
	$(CLI) seed --if-empty
	$(CLI) serve

test: install browser
	$(PY) -m pytest

stop: install
	$(CLI) db stop

clean:
	rm -rf $(VENV) registry/localdb/launcher/target
