# aiterspec: see README.md. Every target runs from a clean clone.
SHELL := /bin/bash
GO ?= go
GINKGO := $(GO) tool ginkgo
PYTHON ?= python3
# The peers `make conformance` runs the suite against, besides the reference:
# CPython and PyPy always, and each extra CPython (3.8 and later) that pyenv
# has installed, if any ("use if present": they cannot be installed here).
PYENV_PYTHONS := $(sort $(wildcard $(HOME)/.pyenv/versions/3.[89]*/bin/python3 $(HOME)/.pyenv/versions/3.1[0-9]*/bin/python3))
PEERS ?= cpython pypy $(addprefix cpython:,$(PYENV_PYTHONS))
REPORTS ?= reports/latest

.PHONY: all setup test vet staticcheck unit harness-tests suite conformance bench bench-report clean

all: test

## setup: install the real implementations the adapters drive (idempotent).
setup:
	@command -v $(PYTHON) >/dev/null || { echo "setup: $(PYTHON) is required (apt-get install -y python3)"; exit 1; }
	@if command -v pypy3 >/dev/null; then echo "setup: pypy3 already installed: $$(pypy3 --version 2>&1 | tail -1)"; \
	else echo "setup: installing pypy3"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq pypy3 >/dev/null; fi
	@command -v pypy3 >/dev/null && echo "setup: done"

## test: vet, staticcheck, every Go test (including the suite against the reference), the harness's own tests.
test: vet staticcheck unit harness-tests suite

vet:
	$(GO) vet ./...
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi

## staticcheck: honnef.co/go/tools, a go.mod tool directive; staticcheck.conf says which checks.
staticcheck:
	$(GO) tool staticcheck ./...

unit:
	$(GO) test ./...

harness-tests:
	$(PYTHON) -m unittest adapters/python/test_harness.py

## suite: the conformance suite against the built-in reference (what `go tool ginkgo ./spec` runs).
suite:
	$(GINKGO) ./spec

## conformance: the suite against the reference and every peer, with JSON reports; fails on any
## harness error (a crash, hang or protocol violation), not on a peer's real non-conformance.
conformance:
	@mkdir -p $(REPORTS)
	@for a in reference $(PEERS); do \
	  name=$$(echo "$$a" | sed -e 's|^cpython:.*/versions/\([^/]*\)/bin/python3$$|cpython-\1|' -e 's|[:/]|_|g'); \
	  echo "== conformance: $$a -> $(REPORTS)/$$name.json"; \
	  $(GINKGO) --no-color --json-report=$(abspath $(REPORTS))/$$name.json ./spec -- --adapter=$$a >$(REPORTS)/$$name.log 2>&1; \
	  grep -E "^(Ran [0-9]|SUCCESS|FAIL)" $(REPORTS)/$$name.log | sed 's/^/   /'; \
	done
	$(GO) run ./cmd/aiterspec check --require-ran $(REPORTS)/*.json

## bench: the per-item cost of every available implementation (the Go-native subjects, each
## CPython, PyPy, ...), each workload checked, then timed BENCH_COUNT times, interleaved across
## implementations; writes reports/bench.txt (Go benchmark format, for benchstat).
BENCH_COUNT ?= 10
BENCH_SUBJECTS ?= reference go-chan go-pull $(PEERS)
BENCH_FLAGS ?=
BENCH_UNIT ?= ns/item
bench:
	@mkdir -p reports
	$(GO) run ./cmd/aiterspec bench --count=$(BENCH_COUNT) --skip-missing $(BENCH_FLAGS) \
	  $(addprefix --adapter=,$(BENCH_SUBJECTS)) -o reports/bench.txt

## bench-report: reports/bench.md (benchstat tables) and reports/bench.html (charts) from reports/bench.txt.
bench-report:
	$(GO) run ./cmd/aiterspec bench --report --unit=$(BENCH_UNIT) reports/bench.txt

clean:
	rm -rf $(REPORTS)
