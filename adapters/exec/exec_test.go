package exec_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/adapters"
	_ "github.com/aiterspec/aiterspec/adapters/exec"
	. "github.com/aiterspec/aiterspec/scenario"
)

func TestEmptyCommand(t *testing.T) {
	for _, spec := range []string{"exec", "exec:", "exec:  "} {
		_, err := adapters.Open(spec, adapters.Options{})
		if err == nil || !strings.Contains(err.Error(), "no command") || !strings.Contains(err.Error(), "--adapter='exec:") {
			t.Errorf("%q: %v", spec, err)
		}
	}
}

func TestCommandNotFound(t *testing.T) {
	_, err := adapters.Open("exec:aiterspec-no-such-harness --flag", adapters.Options{})
	if err == nil || !strings.Contains(err.Error(), "status 127: the shell did not find the command") ||
		!strings.Contains(err.Error(), "aiterspec-no-such-harness: not found") {
		t.Fatalf("error: %v", err)
	}
}

// The test runs in adapters/exec, as the suite runs in spec/: the relative
// path is resolved from the module root.
func TestRelativePathFromModuleRoot(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not found on PATH")
	}
	a, err := adapters.Open("exec:node adapters/process/examples/minimal-node/harness.mjs", adapters.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if info := a.Info(); info.Name != "node-minimal" {
		t.Errorf("info %+v", info)
	}
	s := &Scenario{ID: "SEED-AGEN-ORDER", Needs: []Capability{CapAsyncGenerators},
		Module: []Stmt{AsyncDef("get_evens", YieldEach(0, 2))},
		Main: []Stmt{
			Let("evens", Call("get_evens")),
			Observe(Await(ANext(Var("evens")))),
			Observe(Await(ANext(Var("evens")))),
			Observe(Await(ANext(Var("evens")))),
		}}
	r := a.Run(context.Background(), s)
	if r.State != adapters.Completed || len(r.Observations) != 3 || r.Observations[2].String() != "raised StopAsyncIteration" {
		t.Fatalf("result %+v", r)
	}
	// Beyond its subset it answers unsupported.
	s = &Scenario{ID: "CLASS", Module: []Stmt{Class("C", Pass())}}
	if r := a.Run(context.Background(), s); r.State != adapters.Unsupported || !strings.Contains(r.Reason, "statement class") {
		t.Fatalf("result %+v", r)
	}
}
