package exec_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

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

// A command that is no harness and prints nothing (cat waits for input,
// sleep for nothing) fails in seconds, not after the start-up limit
// (issue 14 §7); the error says how to give a slow harness longer. With
// --start-timeout given, that limit is the whole limit.
func TestSilentCommandFailsFast(t *testing.T) {
	for _, command := range []string{"cat", "sleep 100"} {
		start := time.Now()
		_, err := adapters.Open("exec:"+command, adapters.Options{})
		if err == nil || !strings.Contains(err.Error(), "printed nothing at all within 3s") || !strings.Contains(err.Error(), "--start-timeout") {
			t.Errorf("exec:%s: %v", command, err)
		}
		if d := time.Since(start); d > 15*time.Second {
			t.Errorf("exec:%s failed after %s", command, d)
		}
	}
	_, err := adapters.Open("exec:sleep 100", adapters.Options{StartTimeout: 1500 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "sent no hello within 1.5s") {
		t.Errorf("exec:sleep 100 with a start-up limit of 1.5s: %v", err)
	}
}
