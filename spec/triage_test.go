package spec_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"

	"github.com/aiterspec/aiterspec/reports"
	"github.com/aiterspec/aiterspec/spec"
)

// A triage file (reports/triage/IMPLEMENTATION.json) records every class of
// differences `aiterspec diff --adapter=IMPLEMENTATION --against=cpython`
// found, and what covers it. The README's differential table shows the
// same classes in prose; this file is what keeps that table honest.
type triage struct {
	Implementation string `json:"implementation"`
	// Language is the Python version the implementation announces: the
	// version profile its specs are held to.
	Language string `json:"language"`
	// Run is the command that found the classes, and Commit the main it ran on.
	Run     string        `json:"run"`
	Commit  string        `json:"commit"`
	Agree   int           `json:"agree"`
	Differ  int           `json:"differ"`
	Classes []triageClass `json:"classes"`
}

type triageClass struct {
	Signature string `json:"signature"`
	Programs  int    `json:"programs"`
	// What differs, in words.
	What string `json:"what"`
	// Covered says how: "baseline" (each spec fails on the implementation,
	// for this reason, and its baseline says so), "version" (each spec
	// expects what the implementation's Python version does: a Since
	// profile or a message change) or "fixed" (a defect of aiterspec's own
	// harness or generator, fixed in Fix).
	Covered string   `json:"covered"`
	Specs   []string `json:"specs,omitempty"`
	Fix     string   `json:"fix,omitempty"`
}

// TestDifferentialTriage checks every triage file: each class is covered
// by specs that exist and that the implementation's baseline expects to
// fail, or whose expectation for its Python version is not 3.11's, or was
// a defect now fixed; and the README's row for the implementation gives
// the number of classes the file has.
func TestDifferentialTriage(t *testing.T) {
	files, err := filepath.Glob("../reports/triage/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no triage files in reports/triage (%v)", err)
	}
	behaviours := map[string]spec.Behaviour{}
	for _, b := range spec.Behaviours() {
		behaviours[b.ID] = b
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var tr triage
			dec := json.NewDecoder(strings.NewReader(string(data)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&tr); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if want := strings.TrimSuffix(filepath.Base(f), ".json"); tr.Implementation != want {
				t.Errorf("implementation %q in %s", tr.Implementation, f)
			}
			version, err := spec.ParseVersion(tr.Language)
			if err != nil {
				t.Fatalf("language: %v", err)
			}
			baseline, err := reports.LoadBaseline(filepath.Join("..", reports.BaselinePath(tr.Implementation)))
			if err != nil {
				t.Fatal(err)
			}
			baselined := map[string]bool{}
			for _, e := range baseline.Entries {
				baselined[e.ID] = true
			}
			programs := 0
			for _, c := range tr.Classes {
				programs += c.Programs
				if c.Signature == "" || c.What == "" {
					t.Errorf("class %q: a signature and what differs are required", c.Signature)
				}
				switch c.Covered {
				case "fixed":
					if c.Fix == "" {
						t.Errorf("class %q is fixed, but by what?", c.Signature)
					}
					continue
				case "baseline", "version":
				default:
					t.Errorf("class %q: covered %q, want baseline, version or fixed", c.Signature, c.Covered)
					continue
				}
				if len(c.Specs) == 0 {
					t.Errorf("class %q names no spec", c.Signature)
				}
				for _, id := range c.Specs {
					b, ok := behaviours[id]
					switch {
					case !ok:
						t.Errorf("class %q: no behaviour %s", c.Signature, id)
					case c.Covered == "baseline" && !baselined[id]:
						t.Errorf("class %q: %s is not in %s's baseline: it does not fail there", c.Signature, id, tr.Implementation)
					case c.Covered == "version" && !differsIn(b, version):
						t.Errorf("class %q: no spec of %s expects something else in Python %s than in 3.11", c.Signature, id, tr.Language)
					}
				}
			}
			if programs != tr.Differ {
				t.Errorf("the classes hold %d programs; the run found %d that differ", programs, tr.Differ)
			}
			row := regexp.MustCompile(`(?m)^\|[^|\n]*\[triage\]\(reports/triage/` + regexp.QuoteMeta(tr.Implementation) + `\.json\)[^|\n]*\| (\d+) \|`)
			m := row.FindSubmatch(readme)
			if m == nil {
				t.Fatalf("README.md has no row `| NAME ([triage](reports/triage/%s.json)) | CLASSES | ...` in its differential table", tr.Implementation)
			}
			if got := string(m[1]); got != fmt.Sprint(len(tr.Classes)) {
				t.Errorf("README.md says %s classes for %s; %s has %d", got, tr.Implementation, f, len(tr.Classes))
			}
		})
	}
}

// differsIn reports whether some spec of b expects, for Python version v,
// other observations than for 3.11: the suite's own expectation for v (a
// version profile, a message change), compared with 3.11's.
func differsIn(b spec.Behaviour, v *semver.Version) bool {
	for _, c := range b.Specs {
		if !reflect.DeepEqual(c.Expectation(v), c.Expectation(python311)) {
			return true
		}
	}
	return false
}

var python311 = semver.MustParse("3.11.7")
