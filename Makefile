# sop — two commands on a fresh Debian machine with Swift:
#   make run    installs what is missing, builds, checks and lists the catalogue
#   make test   installs what the tests need, runs them all
SHELL := /bin/bash
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RELEASE_BIN := .build/release/sop
DEBUG_BIN := .build/debug/sop
PYTHON ?= python3
VENV := .build-venv
export NO_COLOR := 1

.PHONY: run test fidelity-test transcription-test deps run-deps manual-deps test-deps bench-deps sanitize build build-debug check-catalog unit-tests schema-tests render-tests bpmn-tests manual-tests manual property bench-compile bench-render bench-runtime bench-robust bench-bpmn bench-paths catalog-table docs clean diff-deps diff-tests bench-diff lsp-deps lsp-tests bench-lsp fuzz bench-simulate simulate-deps simulate-tests server-deps server-tests serve bench-serve pg-deps scale-tests bench-scale store-tests

## deps: system packages the build needs (libyaml through pkg-config; SQLite for GRDB).
deps:
	@if ! pkg-config --exists yaml-0.1 2>/dev/null || ! pkg-config --exists sqlite3 2>/dev/null; then \
	  echo "installing libyaml-dev, libsqlite3-dev and pkg-config"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq libyaml-dev libsqlite3-dev pkg-config; \
	fi

## run-deps: what `make run` draws with: Graphviz `dot` (the site's SVG drawings). Another
## job may hold apt's lock: wait for it instead of failing.
run-deps: deps
	@if ! command -v dot >/dev/null 2>&1; then \
	  echo "installing graphviz"; \
	  $(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	  $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends graphviz fonts-liberation; \
	fi

## manual-deps: what `make manual` prints with: Graphviz and headless Chromium.
manual-deps: run-deps
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "installing chromium"; \
	  $(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	  $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium fonts-liberation fonts-dejavu-core; \
	fi

## diff-deps: what `sop diff`'s tests run: git (the external diff driver in a real
## repository), cmark-gfm (Debian: renders the change note as GitHub does) and PyYAML (PyPI,
## in the private venv: rewrites every catalogue file without changing it).
diff-deps:
	@missing=""; command -v git >/dev/null 2>&1 || missing="$$missing git"; \
	  command -v cmark-gfm >/dev/null 2>&1 || missing="$$missing cmark-gfm"; \
	  if [ -n "$$missing" ]; then \
	    echo "installing$$missing"; \
	    $(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	    $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $$missing; \
	  fi
	@if ! $(VENV)/bin/python -c 'import yaml' 2>/dev/null; then \
	  echo "installing PyYAML into $(VENV)"; \
	  ( [ -x $(VENV)/bin/pip ] || $(PYTHON) -m venv $(VENV) 2>/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); } ) && \
	  $(VENV)/bin/pip install -q --disable-pip-version-check 'PyYAML==6.*'; \
	fi

## test-deps: what the tests run besides Swift: check-jsonschema (PyPI) in a private venv.
test-deps: deps diff-deps
	@if [ ! -x $(VENV)/bin/check-jsonschema ]; then \
	  echo "installing check-jsonschema into $(VENV)"; \
	  ( $(PYTHON) -m venv $(VENV) 2>/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); } ) && \
	  $(VENV)/bin/pip install -q --disable-pip-version-check check-jsonschema==0.* ; \
	fi
	@if ! $(VENV)/bin/python -c 'import pytest, yaml' 2>/dev/null; then \
	  echo "installing pytest and PyYAML into $(VENV)"; $(VENV)/bin/pip install -q --disable-pip-version-check 'pytest==8.*' 'PyYAML==6.*'; \
	fi
	@if ! $(VENV)/bin/python -c 'import pm4py' 2>/dev/null; then \
	  echo "installing pm4py into $(VENV)"; $(VENV)/bin/pip install -q --disable-pip-version-check 'pm4py==2.*'; \
	fi
	@# The BPMN export's real clients: SpiffWorkflow 3.2 and bpmn-io (PyPI), xmllint (Debian).
	@if ! $(VENV)/bin/python -c 'import SpiffWorkflow, bpmn_io' 2>/dev/null; then \
	  echo "installing spiffworkflow and bpmn-io into $(VENV)"; $(VENV)/bin/pip install -q --disable-pip-version-check 'spiffworkflow==3.2.*' 'bpmn-io==0.2.2'; \
	fi
	@if ! command -v xmllint >/dev/null; then \
	  echo "installing libxml2-utils (xmllint)"; $(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq libxml2-utils; \
	fi
	@if ! command -v tmux >/dev/null; then \
	  echo "installing tmux"; $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq tmux; \
	fi
	@# The drawing tests' real clients: Graphviz `dot`, headless Chromium, poppler-utils (the
	@# manual's PDF: pdfinfo, pdftotext, pdftoppm), and mermaid.js 11
	@# (the copy shipped inside the PyPI package mmdc, used in the browser). Another job may
	@# hold apt's lock: wait for it instead of failing.
	@missing=""; command -v dot >/dev/null 2>&1 || missing="$$missing graphviz"; \
	  command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	  if [ -n "$$missing" ]; then \
	    echo "installing$$missing"; \
	    $(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	    $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $$missing fonts-liberation fonts-dejavu-core; \
	  fi
	@if ! $(VENV)/bin/python -c 'import mmdc' >/dev/null 2>&1; then \
	  echo "installing mmdc (for its copy of mermaid.js) into $(VENV)"; \
	  $(VENV)/bin/pip install -q --disable-pip-version-check mmdc==0.7.0; \
	fi

## lsp-deps: the language server's real clients: pytest-lsp (PyPI, into the venv) and
## Neovim (Debian; its built-in LSP client, driven headless).
lsp-deps:
	@if ! $(VENV)/bin/python -c 'import pytest_lsp, yaml' 2>/dev/null; then \
	  echo "installing pytest-lsp into $(VENV)"; \
	  ( [ -x $(VENV)/bin/pip ] || $(PYTHON) -m venv $(VENV) 2>/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); } ) && \
	  $(VENV)/bin/pip install -q --disable-pip-version-check 'pytest==8.*' 'pytest-lsp==1.0.*' 'PyYAML==6.*'; \
	fi
	@if ! command -v nvim >/dev/null 2>&1; then \
	  echo "installing neovim"; \
	  $(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	  $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends neovim; \
	fi
## simulate-deps: the published simulator `sop simulate` is compared with: Prosimos 2.1
## (PyPI, with PyYAML for reading the profile) in the private venv.
simulate-deps:
	@if ! $(VENV)/bin/python -c 'import prosimos, yaml' 2>/dev/null; then \
	  echo "installing prosimos 2.1 and PyYAML into $(VENV)"; \
	  ( [ -x $(VENV)/bin/pip ] || $(PYTHON) -m venv $(VENV) 2>/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); } ) && \
	  $(VENV)/bin/pip install -q --disable-pip-version-check 'prosimos==2.1.*' 'PyYAML==6.*'; \
	fi
	@command -v bc >/dev/null 2>&1 || { $(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq bc; }

build: deps
	$(SWIFT) build -c release --product sop

build-debug: deps
	$(SWIFT) build

## run: the main job on the embedded defaults: check, list, and draw the catalogue site
## (with Graphviz's SVG drawings; the training manual's PDF too when Chromium is installed).
run: run-deps build
	@echo "== sop check sops/"
	@$(RELEASE_BIN) check sops
	@echo "== catalogue"
	@$(RELEASE_BIN) list sops
	@echo "== catalogue site (sheets and drawings of every SOP)"
	@$(RELEASE_BIN) catalog sops -o site $$(command -v chromium >/dev/null 2>&1 && echo --pdf)
	@echo "open $(CURDIR)/site/index.html in a browser"

## test: every test: Swift unit, golden and CLI tests, the JSON Schema tests, then the
## drawings judged by Graphviz, mermaid.js and Chromium (screenshots in .build/render-screens).
test: test-deps simulate-deps lsp-deps server-deps pg-deps build-debug
	$(SWIFT) test 2>&1 | tee .build/swift-test.log; exit $${PIPESTATUS[0]}
	SOP=$(CURDIR)/$(DEBUG_BIN) bash Tests/Server/run.sh
	SOP=$(CURDIR)/$(DEBUG_BIN) VENV=$(CURDIR)/$(VENV) bash Tests/Scale/run.sh
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" bash Tests/Schema/run.sh
	bash Tests/Render/run.sh $(DEBUG_BIN)
	PY=$(VENV)/bin/python BIN=$(DEBUG_BIN) bash Tests/Runtime/run.sh
	PY=$(VENV)/bin/python bash Tests/Manual/run.sh $(DEBUG_BIN)
	$(PYTHON) Tests/Property/run.py --bin $(DEBUG_BIN) --python $(VENV)/bin/python --seeds 1-8 --max-steps 80 --max-actors 20 --sample 2
	PY=$(VENV)/bin/python bash Tests/BPMN/run.sh $(DEBUG_BIN)
	PY=$(VENV)/bin/python bash Tests/Diff/run.sh $(DEBUG_BIN)
	SOP_BIN=$(CURDIR)/$(DEBUG_BIN) $(VENV)/bin/python -m pytest -q -c Tests/LanguageServer/pytest.ini Tests/LanguageServer
	PY=$(VENV)/bin/python BIN=$(DEBUG_BIN) bash Tests/Simulation/run.sh
	@# The catalogue against its sources ($$SOP_SEEDS; the only test that reads outside the repository, skipped where they are absent).
	$(VENV)/bin/python -m pytest -q -rs Tests/Catalogue
	$(MAKE) store-tests

## server-deps: what the server tests drive: Debian's chromium, chromium-driver, wrk and curl,
## and Graphviz (the case page's flowchart);
## schemathesis, Selenium and requests (PyPI) in the private venv.
server-deps: deps
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  command -v chromedriver >/dev/null 2>&1 || missing="$$missing chromium-driver"; \
	  command -v dot >/dev/null 2>&1 || missing="$$missing graphviz"; \
	  command -v wrk >/dev/null 2>&1 || missing="$$missing wrk"; \
	  command -v curl >/dev/null 2>&1 || missing="$$missing curl"; \
	  if [ -n "$$missing" ]; then \
	    echo "installing$$missing"; \
	    $(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	    $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $$missing fonts-liberation fonts-dejavu-core; \
	  fi
	@if ! $(VENV)/bin/python -c 'import schemathesis, selenium, requests' 2>/dev/null; then \
	  echo "installing schemathesis, selenium and requests into $(VENV)"; \
	  ( [ -x $(VENV)/bin/pip ] || $(PYTHON) -m venv $(VENV) 2>/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); } ) && \
	  $(VENV)/bin/pip install -q --disable-pip-version-check 'schemathesis==4.32.*' 'selenium==4.50.*' 'requests==2.*'; \
	fi

## server-tests: only the server's: its Swift tests, then the real clients against a running
## `sop serve` (refusals, schemathesis, Selenium + Chromium, kill -9); screenshots in
## .build/server-screenshots.
server-tests: server-deps build-debug
	$(SWIFT) test --filter SOPServerTests
	SOP=$(CURDIR)/$(DEBUG_BIN) bash Tests/Server/run.sh

## store-tests: one conformance suite for every store (memory, SQLite, PostgreSQL) and the
## scale-out checks on PostgreSQL (two desks on one database, sessions, timers once, the
## database unreachable, store copy): a private cluster (Scripts/pg-cluster.sh, port
## $(STORE_PG_PORT), under .build/) started here and stopped after, even when a test fails.
STORE_PG_DIR := .build/pg-store-tests
STORE_PG_PORT ?= 55433
store-tests: pg-deps build-debug
	@trap 'bash Scripts/pg-cluster.sh stop $(STORE_PG_DIR) $(STORE_PG_PORT)' EXIT; \
	  bash Scripts/pg-cluster.sh start $(STORE_PG_DIR) $(STORE_PG_PORT) || exit 1; \
	  export SOP_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$(STORE_PG_PORT)/sop; \
	  $(SWIFT) test --filter 'StoreConformance|ScaleOut' 2>&1 | tee .build/store-tests.log; exit $${PIPESTATUS[0]}

## serve: `sop serve` on the catalogue with the demo users of Scripts/serve-demo.sh (Graphviz
## draws the case pages' flowcharts; store
## demo.db; PORT=8080, HOST=127.0.0.1 by default). Passwords: demo-<name>.
serve: run-deps build
	@bash Scripts/serve-demo.sh $(RELEASE_BIN)

## bench-serve: wrk against `sop serve` (release): "my tasks" reads and durable completions
## per second with p50/p99, beside the in-process runtime figure measured in the same run.
bench-serve: build server-deps
	@bash Benchmarks/serve.sh $(RELEASE_BIN)

## pg-deps: what the scale-out tests and benchmark run (issue 14): Debian's PostgreSQL server
## (initdb, pg_ctl, pgbench; a private cluster per run, Scripts/pg-cluster.sh), nginx, wrk and
## systemd-analyze; requests (PyPI) in the private venv. Debian's own cluster and nginx service
## are not started: a policy-rc.d refuses service starts during the install (unless the machine
## already has one).
pg-deps:
	@missing=""; ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	  command -v wrk >/dev/null 2>&1 || missing="$$missing wrk"; \
	  command -v curl >/dev/null 2>&1 || missing="$$missing curl"; \
	  command -v systemd-analyze >/dev/null 2>&1 || missing="$$missing systemd"; \
	  if [ -n "$$missing" ]; then \
	    echo "installing$$missing (their services are not started)"; \
	    policy=""; if [ ! -e /usr/sbin/policy-rc.d ]; then \
	      printf '#!/bin/sh\nexit 101\n' | $(SUDO) tee /usr/sbin/policy-rc.d >/dev/null && $(SUDO) chmod 755 /usr/sbin/policy-rc.d && policy=1; fi; \
	    $(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	    $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $$missing; rc=$$?; \
	    [ -z "$$policy" ] || $(SUDO) rm -f /usr/sbin/policy-rc.d; \
	    [ $$rc = 0 ] || exit $$rc; \
	  fi
	@if ! $(VENV)/bin/python -c 'import requests' 2>/dev/null; then \
	  echo "installing requests into $(VENV)"; \
	  ( [ -x $(VENV)/bin/pip ] || $(PYTHON) -m venv $(VENV) 2>/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); } ) && \
	  $(VENV)/bin/pip install -q --disable-pip-version-check 'requests==2.*'; \
	fi

## scale-tests: two `sop serve` nodes on one private PostgreSQL cluster behind nginx (the
## committed deploy/ files), then the faults: simultaneous completions, timers once, SIGKILL of
## a node and a PostgreSQL restart under load, projection = fold; the systemd unit verified.
## STORE=sqlite runs the same on one SQLite file (Tests/Scale/run.sh).
scale-tests: pg-deps build-debug
	SOP=$(CURDIR)/$(DEBUG_BIN) VENV=$(CURDIR)/$(VENV) bash Tests/Scale/run.sh

## bench-scale: completions/s and p99 over HTTP (wrk): one node on SQLite, one on PostgreSQL,
## two on PostgreSQL behind nginx, beside pgbench -N on the same cluster in the same run.
bench-scale: build pg-deps
	@bash Benchmarks/scale.sh $(RELEASE_BIN)

## fidelity-test: every text of the catalogue against its source (SOP_SEEDS=… to point
## elsewhere; a skip where the sources are absent). `transcription-test` is its old name.
fidelity-test: test-deps
	$(VENV)/bin/python -m pytest -q -rs Tests/Catalogue
transcription-test: fidelity-test

## property: the long run of the property tests (issue 17): 300 seeds, up to 20,000 steps and
## 200 actors, a sample of 20 judged by the real clients (release build; an hour or more).
property: test-deps build
	$(PYTHON) Tests/Property/run.py --bin $(RELEASE_BIN) --python $(VENV)/bin/python --seeds $${SEEDS:-1-300} --max-steps 20000 --max-actors 200 --sample 20

## lsp-tests: the language server through real clients: pytest-lsp drives `sop lsp` through
## every feature; Neovim's built-in client sees the diagnostic of a typo (Tests/LanguageServer).
lsp-tests: lsp-deps build-debug
	SOP_BIN=$(CURDIR)/$(DEBUG_BIN) $(VENV)/bin/python -m pytest -q -c Tests/LanguageServer/pytest.ini Tests/LanguageServer

## bench-lsp: latency of diagnostics after one keystroke (median, p99) on the largest catalogue
## file and a 1,000-step SOP, against `sop check FILE` in the same run.
bench-lsp: build
	@$(PYTHON) Benchmarks/lsp.py --bin $(RELEASE_BIN)

## fuzz: libFuzzer with AddressSanitizer on the reader, checks, lowering and the language
## server's change handling for FUZZ_SECONDS (default 1800); findings minimised into
## Tests/Fuzz/crashes (a sanitized build of its own: not part of `make test`).
fuzz: deps
	@bash Fuzz/run.sh
## simulate-tests: `sop simulate` against Prosimos 2.1 on the BPMN export, the profile schema,
## the command line, pm4py on the simulated event log and Chromium on the HTML report.
simulate-tests: test-deps simulate-deps build-debug
	PY=$(VENV)/bin/python BIN=$(DEBUG_BIN) bash Tests/Simulation/run.sh

## bench-simulate: a million LAPOR!-SP4N cases (Monte Carlo), the discrete-event engine's
## events/s with queues, and the ratio to Prosimos per case on the same model, in one run.
bench-simulate: build simulate-deps
	@PY=$(VENV)/bin/python bash Benchmarks/simulate.sh $(RELEASE_BIN)

## bpmn-tests: only the BPMN export's real-client and differential tests.
bpmn-tests: test-deps build-debug
	PY=$(VENV)/bin/python bash Tests/BPMN/run.sh $(DEBUG_BIN)

## diff-tests: only `sop diff`'s tests: the Swift DiffTests, then the real clients (every
## catalogue file reformatted is "no semantic change", git's external diff driver in a
## temporary repository, the change note rendered by cmark-gfm).
diff-tests: diff-deps build-debug
	$(SWIFT) test --filter 'DiffTests|LongestPathTests'
	PY=$(VENV)/bin/python bash Tests/Diff/run.sh $(DEBUG_BIN)

## bench-diff: `sop diff` beside `sop check` of the same files: the catalogue's two editions,
## 10,000-step SOPs with and without step ids.
bench-diff: build
	@bash Benchmarks/diff.sh $(RELEASE_BIN)

## bench-bpmn: export the catalogue and a 10,000-step SOP to BPMN; `sop check` as baseline.
bench-bpmn: build
	@bash Benchmarks/bpmn.sh $(RELEASE_BIN)

## render-tests: only the drawings' real-client tests.
render-tests: test-deps build-debug
	bash Tests/Render/run.sh $(DEBUG_BIN)

## manual-tests: only the training manual's checks (poppler-utils on the printed PDF).
manual-tests: test-deps build-debug
	PY=$(VENV)/bin/python bash Tests/Manual/run.sh $(DEBUG_BIN)

## manual: the training manual of the whole catalogue, printed to manual.pdf (ROLE="Call Taker"
## for one role's; LANG_MANUAL=en for English).
manual: manual-deps build
	@$(RELEASE_BIN) manual sops -o manual.pdf $(if $(ROLE),--role "$(ROLE)") $(if $(LANG_MANUAL),--lang $(LANG_MANUAL))

## sanitize: sop under AddressSanitizer and ThreadSanitizer on mutated SOPs, hostile shapes,
## a folder of many files and the property runner (every command, the language server and
## the server) on generated catalogues (two extra builds, so not part of `make test`).
sanitize: build test-deps
	@bash Tests/Sanitizers/run.sh

## bench-deps: the plain YAML linter the catalogue check is compared with (yamllint, PyPI).
bench-deps:
	@if [ ! -x $(VENV)/bin/yamllint ]; then \
	  echo "installing yamllint into $(VENV)"; \
	  ( [ -x $(VENV)/bin/pip ] || $(PYTHON) -m venv $(VENV) 2>/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); } ) && \
	  $(VENV)/bin/pip install -q --disable-pip-version-check 'yamllint==1.*'; \
	fi

## bench-compile: bare libyaml parse vs full check on generated SOPs of 10k and 100k steps;
## `sop check sops/` against yamllint on the same files.
bench-compile: build bench-deps
	@bash Benchmarks/compile.sh $(RELEASE_BIN)

## bench-runtime: in-memory engine steps/s and durable SQLite completions/s on a catalogue SOP.
bench-runtime: build
	@echo "machine: $$(nproc) cores, $$(free -g | awk '/Mem:/{print $$2}') GiB, $$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
	@$(RELEASE_BIN) debug bench-runtime sops/kota-tarakan/dkisp/kunjungan-tarakan-command-center.yaml

## bench-render: render the whole catalogue in every format; `sop check sops` as the baseline.
bench-render: build
	@bash Benchmarks/render.sh $(RELEASE_BIN)

## bench-paths: `sop paths --cover` of the catalogue and of generated 10k and 20k-step SOPs
## against compiling them; the manual of the whole catalogue against `sop check`.
bench-paths: build manual-deps
	@bash Benchmarks/paths.sh $(RELEASE_BIN)

## bench-robust: time and peak memory of every IR consumer for 10x the steps and 10x the actors
## (GNU time measures the peak memory).
bench-robust: build
	@command -v /usr/bin/time >/dev/null 2>&1 && command -v bc >/dev/null 2>&1 || { $(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq time bc; }
	@bash Benchmarks/robust.sh $(RELEASE_BIN)

## catalog-table: regenerate the README's catalogue table.
catalog-table: build
	@$(RELEASE_BIN) list sops

## docs: regenerate Docs/Diagnostics.md from the diagnostic catalogue.
docs: build
	@$(RELEASE_BIN) explain --markdown > Docs/Diagnostics.md

clean:
	rm -rf .build $(VENV)
