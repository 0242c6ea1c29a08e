package process_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/adapters"
	_ "github.com/aiterspec/aiterspec/adapters/python"
	"github.com/aiterspec/aiterspec/internal/peertest"
	. "github.com/aiterspec/aiterspec/scenario"
)

// TestRealInterpreterSegfault runs a real interpreter crash through the
// cpython adapter: CPython 3.11 dies with SIGSEGV on anext(it, default)
// when __anext__ is a plain def that raises (gh-131670). The scenario is
// errored with the signal, and the next scenario runs on a new harness.
func TestRealInterpreterSegfault(t *testing.T) {
	peertest.Find(t, "python3")
	a, err := adapters.Open("cpython", adapters.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if v := a.Info().LanguageVersion; !strings.HasPrefix(v, "3.11.") {
		t.Skipf("gh-131670 crashes CPython 3.11; python3 here is %s", v)
	}
	crash := &Scenario{
		ID:    "GH-131670",
		Title: "anext(it, default) where __anext__ is a plain def that raises",
		Needs: []Capability{CapANextBuiltin},
		Module: []Stmt{
			Class("It",
				Def("__aiter__", Return(Self())),
				Def("__anext__", Raise(Exc("ValueError", "boom")))),
		},
		Main: []Stmt{Observe(Await(ANext(Call("It"), Lit("default"))))},
	}
	r := a.Run(context.Background(), crash)
	if r.State != adapters.Errored || !strings.Contains(r.Reason, "killed by signal 11 (SIGSEGV)") {
		t.Fatalf("result %+v, want errored with SIGSEGV", r)
	}
	t.Logf("reason:\n%s", r.Reason)

	after := &Scenario{ID: "AFTER-CRASH", Main: []Stmt{Observe(Lit(1))}}
	r = a.Run(context.Background(), after)
	if r.State != adapters.Completed || len(r.Observations) != 1 || !r.Observations[0].Value.Equal(V(1)) {
		t.Fatalf("the scenario after the crash: %+v", r)
	}
}
