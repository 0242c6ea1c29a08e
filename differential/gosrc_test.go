package differential

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/scenario"
)

// TestGoSpecRebuildsTheScenario renders generated programs as spec
// entries, compiles them with the builders of package scenario and checks
// that each builds exactly the scenario it came from, and its
// observations.
func TestGoSpecRebuildsTheScenario(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a program")
	}
	gen := NewGenerator(7, scenario.Capabilities)
	var src strings.Builder
	var want []string
	src.WriteString(rebuildPrelude)
	for n := uint64(0); n < 60; n++ {
		sc := gen.Program(n)
		obs := []scenario.Observation{
			scenario.Got(scenario.VTuple(1, 2.5, "s", nil, true)),
			scenario.Raises("TypeError", "x").CausedBy("ValueError", "y"),
			scenario.Raises("SyntaxError", "bad").AtLine(3),
			scenario.Event("e", scenario.VException("KeyError", "'k'")),
			scenario.Event("f"),
			scenario.Got(scenario.VObject("code")),
			scenario.Got(scenario.VDict("k", scenario.VSet(1, 2))),
			scenario.Got(scenario.VList()),
		}
		sc.ID = "X" // a spec's id is its behaviour's
		spec := GoSpec(sc.Title, &sc, obs, "other", obs)
		fmt.Fprintf(&src, "\tout = append(out, %s)\n", strings.TrimSuffix(strings.TrimSpace(stripComments(spec)), ","))
		data, err := json.Marshal(struct {
			S   scenario.Scenario
			Obs []scenario.Observation
		}{sc, obs})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, string(data))
	}
	src.WriteString("\tprint(out)\n}\n")
	dir := filepath.Join("testdata", "rebuild")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "run", "./"+filepath.ToSlash(dir))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the rendered specs do not compile or run: %v\n%s", err, stderr.String())
	}
	got := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(got) != len(want) {
		t.Fatalf("rebuilt %d scenarios, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("spec %d rebuilds a different scenario:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
}

func stripComments(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "//") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// rebuildPrelude gives the specs what spec/ gives them: spec and the case
// methods, building the scenario and its expectation.
const rebuildPrelude = `package main

import (
	"encoding/json"
	"fmt"

	. "github.com/aiterspec/aiterspec/scenario"
)

type Case struct {
	S   Scenario
	Obs []Observation
}

func spec(title string) *Case                    { return &Case{S: Scenario{ID: "X", Title: title}} }
func (c *Case) Needs(cs ...Capability) *Case      { c.S.Needs = append(c.S.Needs, cs...); return c }
func (c *Case) Sync() *Case                       { c.S.Mode = SyncMode; return c }
func (c *Case) Report(r ...string) *Case          { c.S.Report = append(c.S.Report, r...); return c }
func (c *Case) Module(s ...Stmt) *Case            { c.S.Module = append(c.S.Module, s...); return c }
func (c *Case) Main(s ...Stmt) *Case              { c.S.Main = append(c.S.Main, s...); return c }
func (c *Case) Observes(o ...Observation) *Case   { c.Obs = o; return c }

func print(cs []*Case) {
	for _, c := range cs {
		data, err := json.Marshal(c)
		if err != nil {
			panic(err)
		}
		fmt.Println(string(data))
	}
}

func main() {
	var out []*Case
`
