# aiterspec: see README.md. Every target runs from a clean clone.
SHELL := /bin/bash
GO ?= go
GINKGO := $(GO) tool ginkgo
PYTHON ?= python3
# The peers `make conformance` and `make gate` run the suite against: every
# registered adapter that needs no argument (reference, cpython, pypy, and any
# added later), each CPython 3.8 and later that pyenv has installed, if any
# ("use if present": they cannot be installed here), and the Node example.
PYENV_PYTHONS := $(sort $(wildcard $(HOME)/.pyenv/versions/3.[89]*/bin/python3 $(HOME)/.pyenv/versions/3.1[0-9]*/bin/python3))
# The peers as adapter names (for make bench).
PEERS ?= cpython pypy micropython pyodide brython $(addprefix cpython:,$(PYENV_PYTHONS))
# The Node example harness, a peer too (its baseline: reports/baselines/node-minimal.json).
NODE_EXAMPLE := exec:node adapters/process/examples/minimal-node/harness.mjs
AITERSPEC := $(GO) run ./cmd/aiterspec
REPORTS ?= reports

.PHONY: all setup test vet staticcheck unit harness-tests suite fuzz-short fuzz conformance gate baselines bench bench-validate bench-report clean

all: test

## setup: install the real implementations the adapters drive (Cython with gcc and the Python
## headers for the cython adapter), and Chromium for the browser test of the HTML report (idempotent).
setup:
	@command -v $(PYTHON) >/dev/null || { echo "setup: $(PYTHON) is required (apt-get install -y python3)"; exit 1; }
	@missing=""; command -v pypy3 >/dev/null || missing="$$missing pypy3"; \
	  command -v chromium >/dev/null || missing="$$missing chromium"; \
	  command -v cython3 >/dev/null || missing="$$missing cython3"; \
	  command -v gcc >/dev/null || missing="$$missing gcc"; \
	  dpkg -s python3-dev >/dev/null 2>&1 || missing="$$missing python3-dev"; \
	  if [ -z "$$missing" ]; then echo "setup: pypy3, chromium, cython3, gcc and python3-dev already installed: $$(pypy3 --version 2>&1 | tail -1)"; \
	  else echo "setup: installing$$missing"; \
	    if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing >/dev/null; fi
	@command -v pypy3 >/dev/null && command -v chromium >/dev/null
	@# micropython, pyodide, brython: npm packages pinned by adapters/node/package-lock.json,
	@# installed again only when the lockfile changed (npm ci starts from scratch).
	@command -v node >/dev/null && command -v npm >/dev/null || { echo "setup: node and npm (Node.js 20 or later) are required for the micropython, pyodide and brython adapters (apt-get install -y nodejs npm)"; exit 1; }
	@if cmp -s adapters/node/package-lock.json adapters/node/node_modules/.aiterspec-installed; then \
	  echo "setup: npm packages already installed in adapters/node"; \
	else echo "setup: npm ci in adapters/node"; \
	  (cd adapters/node && npm ci --no-audit --no-fund --loglevel=error) && cp adapters/node/package-lock.json adapters/node/node_modules/.aiterspec-installed; fi
	@echo "setup: done"

## test: vet, staticcheck, every Go test (including the suite against the reference), the harness's own tests.
test: vet staticcheck unit harness-tests suite fuzz-short

# MUTANTS_TAG compiles in the reference library's mutation points (spec/selftest's mutants):
# vet and test the tagged files too.
MUTANTS_TAG := aiterspec_mutants

vet:
	$(GO) vet ./...
	$(GO) vet -tags $(MUTANTS_TAG) ./...
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi

## staticcheck: honnef.co/go/tools, a go.mod tool directive; staticcheck.conf says which checks.
staticcheck:
	$(GO) tool staticcheck ./...

unit:
	$(GO) test ./...
	$(GO) test -tags $(MUTANTS_TAG) ./adapters/interp/mutants/
	$(GO) test -tags $(MUTANTS_TAG) -run '^TestSearchFindsEveryLibraryMutant$$' ./differential/

harness-tests:
	$(PYTHON) -m unittest adapters/python/test_harness.py

## fuzz-short: each fuzz target for FUZZ_SHORT executions (part of test); fuzz: for FUZZTIME.
## A crash is saved under the package's testdata/fuzz/ and fails the run: commit it as a regression test.
## Budgets are execution counts, not durations: a duration -fuzztime fails now and then with
## "context deadline exceeded" and no crasher on a busy machine (Go's golang/go#75804, Go 1.26).
FUZZ_TARGETS := ./scenario:FuzzDecodeScenario ./scenario:FuzzDecodeObservations ./adapters/process:FuzzProtocolMessages
FUZZ_SHORT ?= 10000x
FUZZTIME ?= 2000000x
fuzz-short:
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZ_SHORT)

fuzz:
	@for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; name=$${t#*:}; \
	  echo "fuzz: $$name in $$pkg for $(FUZZTIME)"; \
	  $(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; done

## suite: the conformance suite against the built-in reference (what `go tool ginkgo ./spec` runs).
suite:
	$(GINKGO) ./spec

## conformance: run the suite against the reference and every peer (every registered adapter that
## needs no argument, each pyenv CPython, the Node example), gate each through its baseline, and
## write the matrix: reports/conformance.md, reports/conformance.html, reports/badges/.
conformance:
	$(AITERSPEC) report --registered --out $(REPORTS) $(addprefix cpython:,$(PYENV_PYTHONS)) '$(NODE_EXAMPLE)'

## gate: what CI runs: every peer through its baseline (reports/baselines/NAME.json), as
## `aiterspec check --adapter=NAME` does for one, with the suite built once; the matrix goes to a
## scratch folder. Exits non-zero on any regression or harness error not in a baseline.
gate:
	@out=$$(mktemp -d); trap 'rm -rf "$$out"' EXIT; \
	  $(AITERSPEC) report --registered --out "$$out" $(addprefix cpython:,$(PYENV_PYTHONS)) '$(NODE_EXAMPLE)'

## baselines: after adding or changing specs, record what each peer now does in its baseline
## (aiterspec check --update-baseline); then review `git diff reports/baselines` and replace each
## new entry's "recorded by --update-baseline" reason with the real one.
baselines:
	@set -e; for a in reference pypy cython micropython pyodide brython $(addprefix cpython:,$(PYENV_PYTHONS)) "$(NODE_EXAMPLE)"; do \
	  $(AITERSPEC) check --adapter="$$a" --update-baseline; done

## bench: the per-item cost of every available implementation (the Go-native subjects, each
## CPython, PyPy, ...), each workload checked, then timed BENCH_COUNT times, interleaved across
## implementations; writes reports/bench.txt (Go benchmark format, for benchstat).
BENCH_COUNT ?= 10
BENCH_SUBJECTS ?= reference go-chan go-pull $(PEERS)
# 10 ms a timed call and 50 ms of warm-up keep the whole run within 3 minutes on 2 shared cores.
BENCH_FLAGS ?= --target=10ms --warmup=50ms
BENCH_UNIT ?= ns/item
bench:
	@mkdir -p reports
	$(GO) run ./cmd/aiterspec bench --count=$(BENCH_COUNT) --skip-missing $(BENCH_FLAGS) \
	  $(addprefix --adapter=,$(BENCH_SUBJECTS)) -o reports/bench.txt

## bench-validate: the measurement's validation with issue 9's tight bounds (the CPython figure
## within 5% of a plain perf_counter_ns loop, ten runs within a ±3% CI). They hold on a quiet
## machine, not on a busy one, so make test checks only what load cannot break; run this one
## alone, on a machine with nothing else running.
bench-validate:
	AITERSPEC_BENCH_VALIDATE=1 $(GO) test -count=1 -v -run '^(TestCPythonFigureAgreesWithAPlainLoop|TestEmptyLoopSubtractionIsNeverNegative|TestTenRunsPinTheFigureDown)$$' ./bench/

## bench-report: reports/bench.md (benchstat tables) and reports/bench.html (charts) from reports/bench.txt.
bench-report:
	$(GO) run ./cmd/aiterspec bench --report --unit=$(BENCH_UNIT) reports/bench.txt

clean:
	rm -rf $(REPORTS)/latest
