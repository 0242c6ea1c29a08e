# aiterspec: see README.md. Every target runs from a clean clone.
SHELL := /bin/bash
GO ?= go
GINKGO := $(GO) tool ginkgo
PYTHON ?= python3
# The peers `make conformance` runs the suite against, besides the reference.
PEERS ?= cpython pypy
REPORTS ?= reports/latest

.PHONY: all setup test vet unit harness-tests suite conformance clean

all: test

## setup: install the real implementations the adapters drive (idempotent).
setup:
	@command -v $(PYTHON) >/dev/null || { echo "setup: $(PYTHON) is required (apt-get install -y python3)"; exit 1; }
	@if command -v pypy3 >/dev/null; then echo "setup: pypy3 already installed: $$(pypy3 --version 2>&1 | tail -1)"; \
	else echo "setup: installing pypy3"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq pypy3 >/dev/null; fi
	@command -v pypy3 >/dev/null && echo "setup: done"

## test: vet, every Go test (including the suite against the reference), the harness's own tests.
test: vet unit harness-tests suite

vet:
	$(GO) vet ./...
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi

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
	  echo "== conformance: $$a"; \
	  $(GINKGO) --json-report=$(abspath $(REPORTS))/$$a.json ./spec -- --adapter=$$a >$(REPORTS)/$$a.log 2>&1; \
	  tail -n 3 $(REPORTS)/$$a.log; \
	done
	$(GO) run ./cmd/aiterspec check --require-ran $(foreach a,reference $(PEERS),$(REPORTS)/$(a).json)

clean:
	rm -rf $(REPORTS)
