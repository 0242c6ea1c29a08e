package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestCheckFailsOnErroredSpecsOnly(t *testing.T) {
	var out, errs bytes.Buffer
	code := run([]string{"check", "--require-ran", "../../reports/testdata/pypy-sample.json"}, &out, &errs)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (the sample has an errored spec)\n%s%s", code, &out, &errs)
	}
	for _, want := range []string{"3 passed", "1 failed", "1 unsupported", "1 errored"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("tally lacks %q:\n%s", want, &out)
		}
	}
	if !strings.Contains(errs.String(), "ERRORED SEED-AGEN-ORDER") || !strings.Contains(errs.String(), "SIGSEGV") {
		t.Errorf("the errored spec and its evidence are not named:\n%s", &errs)
	}
	if strings.Contains(errs.String(), "S08") {
		t.Errorf("a failed (non-conforming) spec was reported as a harness error:\n%s", &errs)
	}
}

func TestUsageErrors(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run(nil, &out, &errs); code != 2 {
		t.Errorf("no arguments: exit %d, want 2", code)
	}
	if code := run([]string{"chek"}, &out, &errs); code != 2 || !strings.Contains(errs.String(), `unknown command "chek"`) {
		t.Errorf("unknown command: exit %d, stderr %q", code, &errs)
	}
	if code := run([]string{"check"}, &out, &errs); code != 2 {
		t.Errorf("check without reports: exit %d, want 2", code)
	}
}

func TestAdaptersListsTheBuiltIns(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run([]string{"adapters"}, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, &errs)
	}
	for _, want := range []string{"reference", "cpython[:PATH]", "pypy[:PATH]", "exec:COMMAND"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("adapters lacks %q:\n%s", want, &out)
		}
	}
}
