package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/scenario"
)

func TestDiffAgreeingImplementationsExitZero(t *testing.T) {
	var out, errs bytes.Buffer
	code := run([]string{"diff", "--adapter=reference", "--against=reference", "--count=60", "--seed=3"}, &out, &errs)
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s%s", code, &out, &errs)
	}
	if !strings.Contains(out.String(), "60 programs") || !strings.Contains(out.String(), "60 agree, 0 differ in 0 classes") {
		t.Errorf("summary:\n%s", &out)
	}
}

// TestDiffPrintsEachClassThreeWays holds a deliberately broken reference
// against the reference: exit 1, and each class shrunk and printed as
// JSON, Python and a spec, also written to --out.
func TestDiffPrintsEachClassThreeWays(t *testing.T) {
	dir := t.TempDir()
	var out, errs bytes.Buffer
	code := run([]string{"diff", "--adapter=mutant:athrow-is-asend", "--against=reference", "--count=40", "--seed=1", "--out=" + dir}, &out, &errs)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, &out, &errs)
	}
	text := out.String()
	for _, want := range []string{"=== class 1 of", "shrunk to", "--- scenario (JSON)", "--- Python", "async def _aiterspec_main():",
		"--- spec, for a behaviour(...) in spec/", "spec(\"TITLE", "Observes(", "// mutant:athrow-is-asend (reference", "observes instead:", "Rerun one program N"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "class-1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Signature  string
		Statements int
		Scenario   scenario.Scenario
		Sides      []struct{ Adapter string }
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatalf("class-1.json: %v", err)
	}
	if rec.Signature == "" || rec.Statements == 0 || rec.Statements > 15 || len(rec.Sides) != 2 || rec.Sides[0].Adapter != "mutant:athrow-is-asend" {
		t.Errorf("class-1.json: %+v", rec)
	}
	for _, f := range []string{"class-1.py", "class-1.go"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestDiffUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"diff", "--adapter=nosuch", "--count=1"}, `unknown adapter "nosuch"`},
		{[]string{"diff", "--against=nosuch", "--count=1"}, `unknown adapter "nosuch"`},
		{[]string{"diff", "--count=-1"}, "must not be negative"},
		{[]string{"diff", "--messages=loose"}, "--messages"},
		{[]string{"diff", "extra"}, "takes no arguments"},
	} {
		var out, errs bytes.Buffer
		if code := run(c.args, &out, &errs); code != 2 || !strings.Contains(errs.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", c.args, code, &errs, c.want)
		}
	}
}
