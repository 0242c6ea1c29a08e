package differential

import (
	"context"
	"testing"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/interp"
	"github.com/aiterspec/aiterspec/adapters/interp/mutants"
	. "github.com/aiterspec/aiterspec/scenario"
)

func mutantPair(t *testing.T, name string) *Pair {
	t.Helper()
	m, ok := mutants.Lookup(name)
	if !ok {
		t.Fatalf("no mutant %q", name)
	}
	opts := adapters.Options{ScenarioTimeout: 5 * time.Second}
	a, err := m.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	return &Pair{A: a, B: interp.New(interp.DefaultOps(), opts), Messages: ExactMessages}
}

// TestShrinkKeepsTheBugAndDropsTheRest shrinks a padded program showing
// one bug (athrow() behaving as asend()) to the few statements the bug
// needs.
func TestShrinkKeepsTheBugAndDropsTheRest(t *testing.T) {
	p := mutantPair(t, "athrow-is-asend")
	agen := AsyncDef("ag0",
		Emit("ag0 start"),
		Try(Yield(Lit(1)), Yield(Lit(2))).Except("KeyError", "e", Emit("ag0 caught", Var("e")), Yield(Lit(3))).WithFinally(Emit("ag0 finally")),
		For("i", Call("range", Lit(3)), Yield(Var("i"))))
	sc := Scenario{ID: ProgramID, Needs: []Capability{CapAsyncGenerators, CapAsyncGenMethods},
		Module: []Stmt{agen, AsyncDef("unused", Yield(Lit("u"))), Class("C", Def("m", Return(Lit(1))))},
		Main: []Stmt{
			Let("g0", Call("ag0")), Let("g1", Call("unused")), Emit("padding"),
			Observe(Await(ANext(Var("g0")))), Observe(Await(ANext(Var("g1"), Lit("D")))),
			Observe(Await(Method(Var("g0"), "athrow", Exc("KeyError", "boom")))),
			Observe(BinOp(Lit(1), "+", Lit(2))), Do(Await(Sleep(0))),
			Observe(Await(Method(Var("g0"), "aclose"))),
		}}
	first := p.Run(context.Background(), &sc)
	if first.Verdict != Diverge {
		t.Fatalf("the program does not show the bug: %v", first.Verdict)
	}
	small, o, steps := Shrink(context.Background(), p, &sc, first.Signature)
	if o.Verdict != Diverge || o.Signature != first.Signature {
		t.Fatalf("shrunk program: %v %q, want the signature %q", o.Verdict, o.Signature, first.Signature)
	}
	again := p.Run(context.Background(), small)
	if again.Signature != first.Signature {
		t.Fatalf("rerun of the shrunk program: %q, want %q", again.Signature, first.Signature)
	}
	n := Statements(small)
	t.Logf("%d statements shrunk to %d in %d runs: %s", Statements(&sc), n, steps, encode(t, small))
	// The bug needs the generator (a def, a try catching what athrow
	// throws, a handler that shows it ran, a yield to stop at and one
	// after it for asend to reach), a binding, one step into the try, and
	// the athrow: 8 statements.
	if n > 8 {
		t.Errorf("shrunk to %d statements, want at most 8:\n%s", n, GoSpec("x", small, o.B.Observations, "", nil))
	}
}

// TestSearchShrinksEveryClass searches a mutant with shrinking on: every
// class it reports comes with a shrunk program of at most 15 statements
// that still shows the class's signature on a fresh pair.
func TestSearchShrinksEveryClass(t *testing.T) {
	opts := adapters.Options{ScenarioTimeout: 5 * time.Second}
	m, _ := mutants.Lookup("aclose-skips-finally")
	rep, err := Search(context.Background(), Config{
		A:      func() (adapters.Adapter, error) { return m.Open(opts) },
		B:      func() (adapters.Adapter, error) { return interp.New(interp.DefaultOps(), opts), nil },
		Seed:   5,
		Count:  200,
		Shrink: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Classes) == 0 {
		t.Fatalf("no class found in %s", rep)
	}
	fresh := mutantPair(t, "aclose-skips-finally")
	for _, cl := range rep.Classes {
		if cl.Flaky || cl.Shrunk == nil {
			t.Errorf("class %q: flaky=%v, shrunk=%v", cl.Signature, cl.Flaky, cl.Shrunk != nil)
			continue
		}
		n, orig := Statements(&cl.Shrunk.Scenario), Statements(&cl.First.Scenario)
		if n > 15 || n > orig {
			t.Errorf("class %q: shrunk from %d to %d statements", cl.Signature, orig, n)
		}
		if o := fresh.Run(context.Background(), &cl.Shrunk.Scenario); o.Signature != cl.Signature {
			t.Errorf("class %q: the shrunk program shows %q on a fresh pair", cl.Signature, o.Signature)
		}
	}
}

func TestSearchAgreesWithItself(t *testing.T) {
	opts := adapters.Options{ScenarioTimeout: 5 * time.Second}
	ref := func() (adapters.Adapter, error) { return interp.New(interp.DefaultOps(), opts), nil }
	rep, err := Search(context.Background(), Config{A: ref, B: ref, Seed: 9, Count: 500})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Programs != 500 || rep.Diverged != 0 || rep.Invalid != 0 || rep.Skipped != 0 {
		t.Errorf("the reference against itself: %s", rep)
	}
}

func TestSearchStopsAtItsDeadline(t *testing.T) {
	opts := adapters.Options{ScenarioTimeout: 5 * time.Second}
	ref := func() (adapters.Adapter, error) { return interp.New(interp.DefaultOps(), opts), nil }
	start := time.Now()
	rep, err := Search(context.Background(), Config{A: ref, B: ref, Seed: 9, Duration: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Programs == 0 {
		t.Error("no program ran")
	}
	if el := time.Since(start); el > 20*time.Second {
		t.Errorf("a 300ms search took %v", el)
	}
}
